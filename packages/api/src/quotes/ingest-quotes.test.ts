import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { Runtime } from '../runtime';
import { createTestRuntime } from '../test-support/runtime';
import { getLatestQuote, getLatestQuotes } from './get-latest-quotes';
import { ingestQuotes, parseIngestBatch } from './ingest-quotes';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
let clock = new Date('2026-03-02T15:00:00Z');

describe(`ingest and read quotes (${DB})`, () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await createTestRuntime({ now: () => clock });
  });
  afterAll(async () => {
    await rt?.close();
  });

  const parse = (quotes: unknown[]) =>
    parseIngestBatch({ quotes }, { now: clock, retentionDays: 30, defaultSource: 'test' });
  const row = (ts: string, price: number, symbol = 'AAPL') => ({
    market: 'US',
    symbol,
    ts,
    price,
    prevClose: 100,
  });

  it('reports missing before any quote, then fresh with price and change, then stale without price', async () => {
    expect((await getLatestQuote(rt.db, { market: 'US', symbol: 'MSFT' }, 10, clock)).status).toBe('missing');
    await ingestQuotes(rt.db, parse([row('2026-03-02T14:59:55Z', 101.5, 'MSFT')]));
    const fresh = await getLatestQuote(rt.db, { market: 'US', symbol: 'MSFT' }, 10, clock);
    expect(fresh).toMatchObject({
      status: 'fresh',
      ageSeconds: 5,
      quote: { price: 101.5, change: 1.5, changePercent: 1.5, currency: 'USD' },
    });
    const later = new Date(clock.getTime() + 6_000);
    const stale = await getLatestQuote(rt.db, { market: 'US', symbol: 'MSFT' }, 10, later);
    expect(stale).toMatchObject({ status: 'stale', lastSeenAt: '2026-03-02T14:59:55.000Z', ageSeconds: 11 });
    expect(stale).not.toHaveProperty('quote');
  });

  it('is idempotent on (market, symbol, ts, source) and keeps exact decimal prices', async () => {
    const batch = parse([row('2026-03-02T14:59:00Z', 187.123456), row('2026-03-02T14:59:30Z', 187.2)]);
    expect(await ingestQuotes(rt.db, batch)).toEqual({ received: 2, inserted: 2, duplicates: 0 });
    expect(await ingestQuotes(rt.db, batch)).toEqual({ received: 2, inserted: 0, duplicates: 2 });
    const rows = await rt.db.query<{ price: string }>(
      `SELECT price::text AS price FROM realtime_quotes WHERE symbol = 'AAPL' AND source = 'test' ORDER BY ts`,
    );
    expect(rows.map((r) => r.price)).toEqual(['187.123456', '187.200000']);
  });

  it('picks the newest quote per symbol in one call, in request order', async () => {
    const res = await getLatestQuotes(
      rt.db,
      [
        { market: 'US', symbol: 'AAPL' },
        { market: 'HK', symbol: '0700.HK' },
      ],
      120,
      clock,
    );
    expect(res.map((r) => [r.symbol, r.status])).toEqual([
      ['AAPL', 'fresh'],
      ['0700.HK', 'missing'],
    ]);
    if (res[0]?.status === 'fresh') expect(res[0].quote.price).toBe(187.2);
  });

  it('refuses unknown symbols with NOT_FOUND naming them', async () => {
    await expect(getLatestQuotes(rt.db, [{ market: 'US', symbol: 'ZZZZ' }], 10, clock)).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
        message: 'unknown symbol: US:ZZZZ',
      },
    );
  });

  it('rejects a batch with one bad row naming the row and field, and writes nothing of it', async () => {
    const before = await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM realtime_quotes');
    let err: unknown;
    try {
      parse([row('2026-03-02T14:58:00Z', 10), { ...row('2026-03-02T14:58:01Z', 10), price: -1 }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BAD_REQUEST');
    expect((err as AppError).message).toMatch(/^quotes\[1\]\.price: price must be > 0/);
    expect((err as AppError).message).toContain('nothing was written');
    const after = await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM realtime_quotes');
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it.each([
    [{ market: 'XX', symbol: 'AAPL', ts: '2026-03-02T14:00:00Z', price: 1 }, 'quotes[0].market'],
    [
      { market: 'CN', symbol: 'AAPL', ts: '2026-03-02T14:00:00Z', price: 1 },
      "quotes[0].symbol: symbol 'AAPL' is not a valid CN symbol",
    ],
    [
      { market: 'US', symbol: 'AAPL', ts: '2026-03-02 14:00', price: 1 },
      'quotes[0].ts: ts must be an ISO 8601 time',
    ],
    [
      { market: 'US', symbol: 'AAPL', ts: '2026-03-02T16:00:00Z', price: 1 },
      'quotes[0].ts: ts 2026-03-02T16:00:00.000Z is in the future',
    ],
    [
      { market: 'US', symbol: 'AAPL', ts: '2025-01-01T00:00:00Z', price: 1 },
      'older than the 30-day quote retention window',
    ],
    [
      { market: 'US', symbol: 'AAPL', ts: '2026-03-02T14:00:00Z', price: 'x' },
      'quotes[0].price: price must be a number',
    ],
    [{ market: 'US', symbol: 'AAPL', ts: '2026-03-02T14:00:00Z' }, 'quotes[0].price: price is required'],
    [{ market: 'US', ts: '2026-03-02T14:00:00Z', price: 1 }, 'quotes[0].symbol: symbol is required'],
    [
      { market: 'US', symbol: 'AAPL', ts: '2026-03-02T14:00:00Z', price: 1, high: 1, low: 2 },
      'quotes[0].high: high must be ≥ low',
    ],
    [{ market: 'US', symbol: 'AAPL', ts: '2026-03-02T14:00:00Z', price: 1, extra: 1 }, 'quotes[0].(row)'],
    [
      { market: 'US', symbol: 'AAPL', ts: '2026-03-02T14:00:00Z', price: 1, volume: 1.5 },
      'quotes[0].volume: volume must be an integer',
    ],
  ])('rejects %j', (bad, expected) => {
    expect(() => parse([bad])).toThrow(expected);
  });

  it('rejects empty and oversized batches and non-array bodies', () => {
    expect(() => parse([])).toThrow('at least one row');
    expect(() =>
      parseIngestBatch({ quotes: 'x' }, { now: clock, retentionDays: 30, defaultSource: 't' }),
    ).toThrow('body must be {"quotes": [...]}');
    const big = Array.from({ length: 11 }, (_, i) =>
      row(`2026-03-02T14:00:${String(i).padStart(2, '0')}Z`, 1),
    );
    expect(() =>
      parseIngestBatch({ quotes: big }, { now: clock, retentionDays: 30, defaultSource: 't', maxRows: 10 }),
    ).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }));
  });

  it('creates the partition for a new day on demand', async () => {
    clock = new Date('2026-03-12T00:00:30Z'); // beyond the pre-created week
    await ingestQuotes(rt.db, parse([row('2026-03-12T00:00:10Z', 190)]));
    const parts = await rt.db.query<{ p: string }>(
      `SELECT tableoid::regclass::text AS p FROM realtime_quotes WHERE ts = '2026-03-12T00:00:10Z'`,
    );
    expect(parts[0]?.p).toBe('realtime_quotes_20260312');
  });
});
