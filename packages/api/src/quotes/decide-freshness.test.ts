import type { TQuote } from '@investiq/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { decideFreshness } from './decide-freshness';
import { clearSourceDelays, declareSourceDelay } from './source-delays';

const ref = { market: 'US' as const, symbol: 'AAPL' };
const quote = (ts: string): TQuote => ({
  market: 'US',
  symbol: 'AAPL',
  ts,
  source: 'demo',
  price: 190.12,
  open: 189,
  high: 191,
  low: 188.5,
  prevClose: 188,
  volume: 1000,
  change: 2.12,
  changePercent: 1.1277,
  currency: 'USD',
});

describe('decideFreshness (injected clock)', () => {
  const now = new Date('2025-01-02T15:00:10.000Z');

  it('is fresh at exactly maxAgeSeconds and includes the price', () => {
    const r = decideFreshness(ref, quote('2025-01-02T15:00:00.000Z'), 10, now);
    expect(r.status).toBe('fresh');
    if (r.status !== 'fresh') throw new Error('unreachable');
    expect(r.quote.price).toBe(190.12);
    expect(r.ageSeconds).toBe(10);
  });

  it('is stale one millisecond past the limit and carries no price', () => {
    const r = decideFreshness(ref, quote('2025-01-02T14:59:59.999Z'), 10, now);
    expect(r).toEqual({
      status: 'stale',
      market: 'US',
      symbol: 'AAPL',
      lastSeenAt: '2025-01-02T14:59:59.999Z',
      ageSeconds: 10,
      maxAgeSeconds: 10,
      checkedAt: now.toISOString(),
    });
    expect(JSON.stringify(r)).not.toContain('190.12');
  });

  it('is missing when nothing was ever seen', () => {
    expect(decideFreshness(ref, null, 10, now)).toEqual({
      status: 'missing',
      market: 'US',
      symbol: 'AAPL',
      maxAgeSeconds: 10,
      checkedAt: now.toISOString(),
    });
  });

  it('treats a slightly future timestamp (clock skew) as age 0, not negative', () => {
    const r = decideFreshness(ref, quote('2025-01-02T15:00:12.000Z'), 1, now);
    expect(r.status).toBe('fresh');
    if (r.status === 'fresh') expect(r.ageSeconds).toBe(0);
  });

  it('rounds age to 0.1 s', () => {
    const r = decideFreshness(ref, quote('2025-01-02T15:00:06.660Z'), 60, now);
    if (r.status !== 'fresh') throw new Error('expected fresh');
    expect(r.ageSeconds).toBe(3.3); // 3.34 s → 3.3
  });
});

describe('decideFreshness with exchange calendars', () => {
  const cn = { market: 'CN' as const, symbol: '600519.SH' };
  const cnQuote = (ts: string, source = 'demo'): TQuote => ({
    ...quote(ts),
    market: 'CN',
    symbol: '600519.SH',
    source,
    price: 1520.5,
    currency: 'CNY',
  });

  it('answers closed with the last close on a holiday (Spring Festival 2025), with closedSince and nextOpen', () => {
    // last session ended 2025-01-27 15:00 CST (07:00Z); the last quote was 2 s before the close
    const now = new Date('2025-01-30T03:00:00Z');
    const r = decideFreshness(cn, cnQuote('2025-01-27T06:59:58Z'), 10, now);
    expect(r).toMatchObject({
      status: 'closed',
      reason: 'non_trading_day',
      closedSince: '2025-01-27T07:00:00.000Z',
      nextOpen: '2025-02-05T01:30:00.000Z',
      quote: { price: 1520.5 },
    });
    expect(r).not.toHaveProperty('delaySeconds');
  });

  it('answers closed during the lunch break and after the close, with the reason', () => {
    const q = cnQuote('2025-03-04T03:29:55Z'); // 11:29:55 CST
    expect(decideFreshness(cn, q, 10, new Date('2025-03-04T04:00:00Z'))).toMatchObject({
      status: 'closed',
      reason: 'break',
      closedSince: '2025-03-04T03:30:00.000Z',
      nextOpen: '2025-03-04T05:00:00.000Z',
    });
    const close = cnQuote('2025-03-04T07:00:00Z'); // 15:00 CST, the close itself
    expect(decideFreshness(cn, close, 10, new Date('2025-03-04T12:00:00Z'))).toMatchObject({
      status: 'closed',
      reason: 'after_close',
    });
    expect(decideFreshness(cn, close, 10, new Date('2025-03-05T01:00:00Z'))).toMatchObject({
      status: 'closed',
      reason: 'pre_open',
      nextOpen: '2025-03-05T01:30:00.000Z',
    });
  });

  it('is stale (no price) when closed and the quote is older than the last session', () => {
    // last close 2025-01-27 07:00Z; this quote is from the session before (2025-01-24)
    const r = decideFreshness(cn, cnQuote('2025-01-24T07:00:00Z'), 10, new Date('2025-01-30T03:00:00Z'));
    expect(r).toMatchObject({ status: 'stale', lastSeenAt: '2025-01-24T07:00:00Z' });
    expect(JSON.stringify(r)).not.toContain('1520.5');
    // the boundary: 10 s + 1 ms before the close is already too old
    expect(
      decideFreshness(cn, cnQuote('2025-01-27T06:59:49.999Z'), 10, new Date('2025-01-30T03:00:00Z')).status,
    ).toBe('stale');
    expect(
      decideFreshness(cn, cnQuote('2025-01-27T06:59:50.000Z'), 10, new Date('2025-01-30T03:00:00Z')).status,
    ).toBe('closed');
  });

  it('is missing when closed and nothing was seen', () => {
    expect(decideFreshness(cn, null, 10, new Date('2025-01-30T03:00:00Z')).status).toBe('missing');
  });

  it('ignores the calendar in alwaysOpen mode (the demo)', () => {
    const now = new Date('2025-01-30T03:00:00Z');
    expect(decideFreshness(cn, cnQuote('2025-01-30T02:59:58Z'), 10, now, { alwaysOpen: true }).status).toBe(
      'fresh',
    );
    expect(decideFreshness(cn, cnQuote('2025-01-27T06:59:58Z'), 10, now, { alwaysOpen: true }).status).toBe(
      'stale',
    );
  });
});

describe('decideFreshness with a declared source delay', () => {
  const hk = { market: 'HK' as const, symbol: '0700.HK' };
  const hkQuote = (ts: string, source: string): TQuote => ({
    ...quote(ts),
    market: 'HK',
    symbol: '0700.HK',
    source,
    price: 388.2,
    currency: 'HKD',
  });
  afterEach(() => clearSourceDelays());
  // 2025-03-04 (Tue) 10:30 HKT = 02:30Z: HKEX open
  const now = new Date('2025-03-04T02:30:00Z');

  it('answers delayed within maxAge + delay, with delaySeconds and the price', () => {
    declareSourceDelay('sina', { HK: 900 });
    const r = decideFreshness(hk, hkQuote('2025-03-04T02:15:00Z', 'sina'), 30, now); // 900 s old
    expect(r).toMatchObject({
      status: 'delayed',
      delaySeconds: 900,
      ageSeconds: 900,
      quote: { price: 388.2 },
    });
    const justIn = decideFreshness(hk, hkQuote('2025-03-04T02:14:30Z', 'sina'), 30, now); // 930 s
    expect(justIn.status).toBe('delayed');
  });

  it('is stale (no price) past maxAge + delay', () => {
    declareSourceDelay('sina', { HK: 900 });
    const r = decideFreshness(hk, hkQuote('2025-03-04T02:14:29.999Z', 'sina'), 30, now);
    expect(r.status).toBe('stale');
    expect(JSON.stringify(r)).not.toContain('388.2');
  });

  it('applies the delay per market and per source only', () => {
    declareSourceDelay('sina', { HK: 900 });
    // same age, an undeclared source: plain TTL → stale
    expect(decideFreshness(hk, hkQuote('2025-03-04T02:15:00Z', 'other'), 30, now).status).toBe('stale');
    expect(decideFreshness(hk, hkQuote('2025-03-04T02:29:50Z', 'other'), 30, now).status).toBe('fresh');
    // explicit option wins over the registry
    expect(
      decideFreshness(hk, hkQuote('2025-03-04T02:15:00Z', 'other'), 30, now, { delaySeconds: 900 }).status,
    ).toBe('delayed');
  });

  it('keeps delaySeconds on a closed answer (lunch break)', () => {
    declareSourceDelay('sina', { HK: 900 });
    const r = decideFreshness(
      hk,
      hkQuote('2025-03-04T03:50:00Z', 'sina'),
      30,
      new Date('2025-03-04T04:30:00Z'),
    );
    expect(r).toMatchObject({ status: 'closed', reason: 'break', delaySeconds: 900 });
  });

  it('rejects a nonsensical declaration', () => {
    expect(() => declareSourceDelay('x', { HK: -1 })).toThrow(/0\.\.86400/);
  });
});
