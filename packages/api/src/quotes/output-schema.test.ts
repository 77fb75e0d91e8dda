import { type TQuote, ZLatestQuote } from '@investiq/contracts';
import { describe, expect, it } from 'vitest';
import { decideFreshness } from './decide-freshness';

// quotes.latest / latestMany declare `.output(ZLatestQuote)`: every answer decideFreshness gives must pass
// it unchanged (zod strips unknown keys, so a field the schema forgot would silently vanish from the API).
const quote = (market: 'CN' | 'HK', symbol: string, ts: string, price: number): TQuote => ({
  market,
  symbol,
  ts,
  source: 'demo',
  price,
  open: price,
  high: price,
  low: price,
  prevClose: null,
  volume: null,
  change: null,
  changePercent: null,
  currency: market === 'CN' ? 'CNY' : 'HKD',
});
const cn = { market: 'CN' as const, symbol: '600519.SH' };
const hk = { market: 'HK' as const, symbol: '0700.HK' };
// 2025-03-04 (Tue) 10:30 HKT = 02:30Z: both markets open; 04:00Z is the Shanghai lunch break
const open = new Date('2025-03-04T02:30:00Z');

const answers = {
  fresh: decideFreshness(cn, quote('CN', cn.symbol, '2025-03-04T02:29:55Z', 1520.5), 10, open),
  stale: decideFreshness(cn, quote('CN', cn.symbol, '2025-03-04T02:00:00Z', 1520.5), 10, open),
  delayed: decideFreshness(hk, quote('HK', hk.symbol, '2025-03-04T02:15:00Z', 388.2), 30, open, {
    delaySeconds: 900,
  }),
  closed: decideFreshness(
    cn,
    quote('CN', cn.symbol, '2025-03-04T03:29:55Z', 1521),
    10,
    new Date('2025-03-04T04:00:00Z'),
  ),
  closedDelayed: decideFreshness(
    cn,
    quote('CN', cn.symbol, '2025-03-04T03:29:55Z', 1521),
    10,
    new Date('2025-03-04T04:00:00Z'),
    { delaySeconds: 60 },
  ),
  missing: decideFreshness(cn, null, 10, open),
};

describe('ZLatestQuote (quotes.latest output)', () => {
  it.each(Object.entries(answers))('passes the %s answer through unchanged', (_name, answer) => {
    expect(ZLatestQuote.parse(answer)).toEqual(answer);
  });

  it('covers every status', () => {
    expect(new Set(Object.values(answers).map((a) => a.status))).toEqual(
      new Set(['fresh', 'stale', 'delayed', 'closed', 'missing']),
    );
    expect(answers.closedDelayed).toHaveProperty('delaySeconds', 60);
  });

  it('refuses an answer that breaks the contract (stale without lastSeenAt, fresh without a quote, a price as text)', () => {
    const { quote: _q, ...rest } = answers.fresh as Extract<typeof answers.fresh, { quote: TQuote }>;
    expect(ZLatestQuote.safeParse({ ...rest, status: 'stale' }).success).toBe(false);
    expect(ZLatestQuote.safeParse(rest).success).toBe(false);
    expect(ZLatestQuote.safeParse({ ...answers.fresh, quote: { price: '1520.5' } }).success).toBe(false);
  });
});
