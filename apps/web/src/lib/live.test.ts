import type { TLatestQuote, TQuote } from '@investiq/contracts';
import { describe, expect, it } from 'vitest';
import { mergePushed } from './live';
import { liveStreamUrl } from './live-quotes';

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
const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 2, 0, s)).toISOString();
const fresh = (quoteAt: number, checked: number, price: number): TLatestQuote => ({
  status: 'fresh',
  market: 'HK',
  symbol: '0700.HK',
  quote: q(at(quoteAt), price),
  ageSeconds: checked - quoteAt,
  maxAgeSeconds: 30,
  checkedAt: at(checked),
});
const stale = (lastSeen: number, checked: number): TLatestQuote => ({
  status: 'stale',
  market: 'HK',
  symbol: '0700.HK',
  lastSeenAt: at(lastSeen),
  ageSeconds: checked - lastSeen,
  maxAgeSeconds: 30,
  checkedAt: at(checked),
});

describe('mergePushed', () => {
  it('takes a pushed answer with a newer quote, whatever the server judged it', () => {
    const prev = fresh(10, 11, 388);
    expect(mergePushed(prev, fresh(12, 12, 389))).toMatchObject({ status: 'fresh', quote: { price: 389 } });
    const delayed: TLatestQuote = {
      status: 'delayed',
      market: 'HK',
      symbol: '0700.HK',
      quote: q(at(12), 389),
      ageSeconds: 0,
      maxAgeSeconds: 30,
      delaySeconds: 900,
      checkedAt: at(12),
    };
    expect(mergePushed(prev, delayed)).toBe(delayed);
  });

  it('keeps the shown answer when the push is older: an older quote, or the same quote judged earlier', () => {
    const prev = fresh(10, 11, 388);
    expect(mergePushed(prev, fresh(9, 12, 387))).toBe(prev);
    expect(mergePushed(prev, fresh(10, 10, 388))).toBe(prev);
    expect(mergePushed(prev, stale(9, 50))).toBe(prev);
  });

  it('a push that says the shown quote went stale wins: stale is stale, no old price stays on screen', () => {
    const prev = fresh(10, 11, 388);
    const pushed = stale(10, 45);
    expect(mergePushed(prev, pushed)).toBe(pushed);
    expect(mergePushed(stale(10, 45), fresh(46, 46, 390))).toMatchObject({ status: 'fresh' });
  });

  it('ignores an answer for another symbol', () => {
    const prev = fresh(10, 11, 388);
    expect(mergePushed(prev, { ...fresh(20, 20, 1), symbol: '0005.HK' })).toBe(prev);
  });
});

describe('liveStreamUrl', () => {
  it('names each symbol once, in a stable order', () => {
    expect(
      liveStreamUrl([
        { market: 'US', symbol: 'AAPL' },
        { market: 'CN', symbol: '600519.SH' },
        { market: 'US', symbol: 'AAPL' },
      ]),
    ).toBe(`/api/v1/quotes/stream?symbols=${encodeURIComponent('CN:600519.SH,US:AAPL')}`);
  });
});
