import type { TQuote } from '@investiq/contracts';
import { describe, expect, it } from 'vitest';
import { decideFreshness } from './decide-freshness';

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
