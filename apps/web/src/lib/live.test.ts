import type { TLatestQuote, TQuote } from '@investiq/contracts';
import { describe, expect, it } from 'vitest';
import { mergeLiveQuote } from './live';

const q = (ts: string, price: number): TQuote => ({
  market: 'HK',
  symbol: '0700.HK',
  ts,
  source: 'sina',
  price,
  open: null,
  high: null,
  low: null,
  prevClose: null,
  volume: null,
  change: null,
  changePercent: null,
  currency: 'HKD',
});

describe('mergeLiveQuote', () => {
  const now = Date.now();
  const iso = (msAgo: number) => new Date(now - msAgo).toISOString();

  it('keeps a delayed answer delayed and judges the push against maxAge + delay', () => {
    const prev: TLatestQuote = {
      status: 'delayed',
      market: 'HK',
      symbol: '0700.HK',
      quote: q(iso(905_000), 388),
      ageSeconds: 905,
      maxAgeSeconds: 30,
      delaySeconds: 900,
      checkedAt: iso(0),
    };
    const merged = mergeLiveQuote(prev, q(iso(901_000), 389), 0);
    expect(merged).toMatchObject({ status: 'delayed', delaySeconds: 900, quote: { price: 389 } });
    // older than maxAge + delay: not taken
    expect(mergeLiveQuote(prev, q(iso(940_000), 390), 0)).toBe(prev);
  });

  it('never turns a closed answer into a live one on the client (no calendar there)', () => {
    const prev: TLatestQuote = {
      status: 'closed',
      market: 'HK',
      symbol: '0700.HK',
      quote: q(iso(3_600_000), 388),
      reason: 'after_close',
      closedSince: iso(3_600_000),
      nextOpen: iso(-3_600_000),
      ageSeconds: 3600,
      maxAgeSeconds: 30,
      checkedAt: iso(0),
    };
    const merged = mergeLiveQuote(prev, q(iso(1_000), 391), 0);
    expect(merged).toMatchObject({ status: 'closed', quote: { price: 391 } });
    expect(mergeLiveQuote(prev, q(iso(7_200_000), 380), 0)).toBe(prev);
  });

  it('turns a stale answer fresh on a new in-budget push, as before', () => {
    const prev: TLatestQuote = {
      status: 'stale',
      market: 'HK',
      symbol: '0700.HK',
      lastSeenAt: iso(60_000),
      ageSeconds: 60,
      maxAgeSeconds: 30,
      checkedAt: iso(0),
    };
    expect(mergeLiveQuote(prev, q(iso(1_000), 392), 0)).toMatchObject({
      status: 'fresh',
      quote: { price: 392 },
    });
  });
});
