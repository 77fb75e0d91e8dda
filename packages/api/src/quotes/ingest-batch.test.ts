import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { fastCheckRow } from './ingest-fast-check';
import { validateAndIngest } from './ingest-pipeline';
import { fitsScale, ingestQuotes, parseIngestBatch, QUOTES_CHANNEL, ZIngestQuote } from './ingest-quotes';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const now = new Date('2026-03-02T15:00:00Z');
const opts = { now, retentionDays: 30, defaultSource: 'test' };
const ok = { market: 'US', symbol: 'AAPL', ts: '2026-03-02T14:00:00Z', price: 187.25 };

/** 5 000 distinct valid rows: one per second for AAPL, starting at `from`. */
const batch = (n: number, from = Date.parse('2026-03-02T13:00:00Z'), symbol = 'AAPL') =>
  Array.from({ length: n }, (_, i) => ({
    market: 'US',
    symbol,
    ts: new Date(from + i * 1000).toISOString(),
    price: 100 + (i % 100) / 100,
    volume: i,
  }));

describe('the hand-written row check agrees with the zod schema', () => {
  // fastCheckRow may only vouch for rows zod accepts, and must output what zod outputs; the valid rows here
  // are ones it must vouch for (or the fast path would silently never run).
  const valid: unknown[] = [
    ok,
    { ...ok, symbol: '  aapl ', source: ' api.feed ' },
    { ...ok, ts: new Date('2026-03-02T14:00:00Z') },
    { ...ok, ts: '2024-02-29T23:59:59.123456+05:30' },
    { ...ok, open: null, high: undefined, low: 1, prevClose: 99.999999, volume: 0 },
    { ...ok, price: 0.000001, volume: Number.MAX_SAFE_INTEGER },
    { ...ok, price: 99_999_999_999_999.98 },
    { ...ok, market: 'HK', symbol: '0700.HK' },
  ];
  const invalid: unknown[] = [
    null,
    [],
    'AAPL',
    { ...ok, extra: 1 },
    { ...ok, extra: undefined },
    Object.assign(Object.create({ inherited: 1 }), ok),
    { ...ok, market: 'XX' },
    { ...ok, market: undefined },
    { ...ok, symbol: '   ' },
    { ...ok, symbol: 'A'.repeat(17) },
    { ...ok, symbol: 7 },
    { ...ok, ts: '2025-02-29T00:00:00Z' },
    { ...ok, ts: '2026-03-02T14:00Z' },
    { ...ok, ts: '2026-03-02T14:00:00' },
    { ...ok, ts: '2026-03-02 14:00:00Z' },
    { ...ok, ts: 1_772_460_000_000 },
    { ...ok, ts: new Date(Number.NaN) },
    { ...ok, price: Number.NaN },
    { ...ok, price: Number.POSITIVE_INFINITY },
    { ...ok, price: 0 },
    { ...ok, price: 0.0000009 },
    { ...ok, price: 1e14 },
    { ...ok, price: '187.25' },
    { ...ok, price: undefined },
    { ...ok, high: -1 },
    { ...ok, prevClose: Number.NaN },
    { ...ok, volume: -1 },
    { ...ok, volume: 1.5 },
    { ...ok, volume: 2 ** 53 },
    { ...ok, volume: '5' },
    { ...ok, source: null },
    { ...ok, source: '' },
    { ...ok, source: 'has space' },
    { ...ok, source: 'x'.repeat(33) },
  ];

  it.each(valid.map((v) => [v]))('vouches for %j exactly as zod parses it', (row) => {
    const zod = ZIngestQuote.safeParse(row);
    expect(zod.success).toBe(true);
    const fast = fastCheckRow(row);
    expect(fast).not.toBeNull();
    expect(Object.fromEntries(Object.entries(fast!).filter(([, v]) => v !== undefined))).toEqual(
      Object.fromEntries(Object.entries(zod.data!).filter(([, v]) => v !== undefined)),
    );
  });

  it.each(invalid.map((v) => [v]))('leaves %j to zod, which refuses it', (row) => {
    expect(ZIngestQuote.safeParse(row).success).toBe(false);
    expect(fastCheckRow(row)).toBeNull();
  });

  it("fitsScale's shortcut gives the rule's answer (10^6 prices, random and on the 6th-decimal edge)", () => {
    const rule = (v: number) => Math.abs(Number(v.toFixed(6)) - v) <= Math.abs(v) * 1e-12;
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const values = [0.1 + 0.2, 1.0000001, 123.4567895, 1e8 - 0.000001, 1e8 + 0.5, 99_999_999.999999];
    for (let i = 0; i < 1_000_000; i++) {
      const magnitude = 10 ** Math.floor(rand() * 15 - 6);
      const v = rand() * magnitude;
      // half of them: exactly k / 10^6 (what real prices are), the other half: any double
      values.push(i % 2 === 0 ? Math.round(v * 1e6) / 1e6 : v);
    }
    const disagree = values.filter((v) => v > 0 && fitsScale(v) !== rule(v));
    expect(disagree).toEqual([]);
    expect(values.filter((v) => fitsScale(v)).length).toBeGreaterThan(400_000);
  });
});

describe(`batch ingest: validation and duplicates (${DB})`, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const notes: string[] = [];
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    stop = await db.listen(QUOTES_CHANNEL, (p) => notes.push(p));
  });
  afterAll(async () => {
    await stop?.();
    await db?.close();
  });
  let markers = 0;
  /**
   * Forget the notifications so far once every one sent so far has arrived: on PostgreSQL they come over the
   * LISTEN connection some time after the commit, and one from the previous test arriving after a plain
   * `notes.length = 0` failed CI. A marker sent now is delivered after all of them.
   */
  const settleNotes = async () => {
    const marker = JSON.stringify(`marker-${++markers}`);
    await db.query('SELECT pg_notify($1, $2)', [QUOTES_CHANNEL, marker]);
    await waitFor(() => notes.includes(marker));
    notes.length = 0;
  };
  const count = async () =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM realtime_quotes'))[0]?.n ?? 0;
  const countOf = async (symbol: string) =>
    (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM realtime_quotes WHERE symbol = $1', [
        symbol,
      ])
    )[0]?.n ?? 0;
  const waitFor = async (cond: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error('condition not met within 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it.each([
    ['a wrong type (zod names it)', { price: 'x' }, 'quotes[2500].price: price must be a number'],
    ['an unknown key', { note: 'x' }, 'quotes[2500].(row)'],
    [
      'a bad symbol (rule)',
      { symbol: 'aapl1234' },
      "quotes[2500].symbol: symbol 'AAPL1234' is not a valid US",
    ],
    ['a 7th decimal', { price: 100.0000001 }, 'quotes[2500].price: price has more than 6 decimal places'],
    ['high below low', { high: 1, low: 2 }, 'quotes[2500].high: high must be ≥ low'],
    [
      'a future ts',
      { ts: '2026-03-02T15:05:00Z' },
      'quotes[2500].ts: ts 2026-03-02T15:05:00.000Z is in the future',
    ],
  ])(
    'a bad row in the middle of a 5 000-row batch (%s) rejects the batch naming row and field; nothing written',
    async (_, patch, message) => {
      const rows: Record<string, unknown>[] = batch(5000);
      rows[2500] = { ...rows[2500], ...patch };
      const before = await count();
      let err: unknown;
      try {
        await ingestQuotes(db, parseIngestBatch({ quotes: rows }, opts));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('BAD_REQUEST');
      expect((err as AppError).message).toContain(message);
      expect((err as AppError).message).toMatch(/; nothing was written$/);
      expect((err as AppError).details).toMatchObject({ issues: [{ row: 2500 }] });
      expect(await count()).toBe(before);
      // one pass (validateAndIngest: chunks validated while the COPY runs): the same error, nothing written
      let again: unknown;
      try {
        await validateAndIngest(db, { quotes: rows }, opts);
      } catch (e) {
        again = e;
      }
      expect(again).toBeInstanceOf(AppError);
      expect((again as AppError).message).toBe((err as AppError).message);
      expect((again as AppError).details).toEqual((err as AppError).details);
      expect(await count()).toBe(before);
    },
  );

  it('one pass: a bad row in the last chunk aborts a COPY already under way; the error lists every problem', async () => {
    const rows: Record<string, unknown>[] = batch(5000, Date.parse('2026-03-02T09:00:00Z'), 'IBM');
    rows[4999] = { ...rows[4999], price: -1 };
    rows[4998] = { ...rows[4998], volume: -1 };
    const before = await count();
    const err = await validateAndIngest(db, rows, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    // the whole batch's error, as parseIngestBatch gives it before any write
    expect(() => parseIngestBatch(rows, opts)).toThrow((err as AppError).message);
    expect((err as AppError).message).toMatch(
      /^quotes\[4998\]\.volume: volume must be ≥ 0 \(and \d more problems?\); nothing was written$/,
    );
    const issues = (err as AppError & { details: { issues: { row: number }[] } }).details.issues;
    expect(issues.map((i) => i.row)).toEqual([4998, 4999, 4999]); // price -1: below zero and below the minimum
    expect(await count()).toBe(before);
    // the connection the aborted COPY ran on is usable again: the same rows, fixed, are stored
    rows[4999] = { ...rows[4999], price: 1 };
    rows[4998] = { ...rows[4998], volume: 1 };
    const { rows: written, ...result } = await validateAndIngest(db, rows, opts);
    expect(result).toEqual({ received: 5000, inserted: 5000, duplicates: 0 });
    expect(written).toEqual(parseIngestBatch(rows, opts));
    expect(await count()).toBe(before + 5000);
  });

  it('one pass: 400/413 before anything else, and no partition made for a bad row far in the future', async () => {
    await expect(validateAndIngest(db, { quotes: [] }, opts)).rejects.toThrow('at least one row');
    await expect(validateAndIngest(db, batch(3), { ...opts, maxRows: 2 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    const partitions = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'realtime_quotes'`,
        )
      )[0]!.n;
    const had = await partitions();
    await expect(validateAndIngest(db, [{ ...ok, ts: '2999-01-01T00:00:00Z' }], opts)).rejects.toThrow(
      'is in the future; nothing was written',
    );
    expect(await partitions()).toBe(had);
  });

  it('two batches writing the same keys in opposite orders both succeed (a deadlock victim runs again)', async () => {
    const rows = batch(10_000, Date.parse('2026-03-02T04:00:00Z'), 'ADBE');
    const results = await Promise.all([
      validateAndIngest(db, rows, opts),
      validateAndIngest(db, [...rows].reverse(), opts),
    ]);
    const inserted = results.map((r) => r.inserted);
    expect(inserted[0]! + inserted[1]!).toBe(10_000);
    expect(results.map((r) => r.received)).toEqual([10_000, 10_000]);
    expect(await countOf('ADBE')).toBe(10_000);
  });

  it('one pass: re-sent rows late in the batch take the fallback, with the chunks already validated', async () => {
    const rows = batch(5000, Date.parse('2026-03-02T08:00:00Z'), 'CSCO');
    await validateAndIngest(db, rows.slice(4000), opts);
    const { rows: _rows, ...result } = await validateAndIngest(db, rows, opts);
    expect(result).toEqual({ received: 5000, inserted: 4000, duplicates: 1000 });
    expect(await countOf('CSCO')).toBe(5000);
  });

  it('stores a 5 000-row batch, then counts re-sent rows as duplicates and keeps the first stored values', async () => {
    const first = batch(5000, Date.parse('2026-03-02T10:00:00Z'), 'MSFT');
    expect(await ingestQuotes(db, parseIngestBatch(first, opts))).toEqual({
      received: 5000,
      inserted: 5000,
      duplicates: 0,
    });
    // half already stored (with other prices, which must not overwrite), half new
    const again = batch(5000, Date.parse('2026-03-02T10:00:00Z') + 2500 * 1000, 'MSFT').map((r) => ({
      ...r,
      price: 1,
    }));
    expect(await ingestQuotes(db, parseIngestBatch(again, opts))).toEqual({
      received: 5000,
      inserted: 2500,
      duplicates: 2500,
    });
    const [stored] = await db.query<{ resent: number; n: number }>(
      `SELECT count(*) FILTER (WHERE price = 1)::int AS resent, count(*)::int AS n
         FROM realtime_quotes WHERE symbol = 'MSFT'`,
    );
    expect(stored).toEqual({ resent: 2500, n: 7500 });
    // the whole batch again: nothing new
    expect(await ingestQuotes(db, parseIngestBatch(again, opts))).toEqual({
      received: 5000,
      inserted: 0,
      duplicates: 5000,
    });
  });

  it('falls back whole when the stored rows come late in the batch (COPY fails part-way), newest announced', async () => {
    const from = Date.parse('2026-03-02T11:00:00Z');
    const rows = batch(5000, from, 'ORCL');
    await ingestQuotes(db, parseIngestBatch(rows.slice(4900), opts));
    await settleNotes();
    expect(await ingestQuotes(db, parseIngestBatch(rows, opts))).toEqual({
      received: 5000,
      inserted: 4900,
      duplicates: 100,
    });
    const [stored] = await db.query<{ n: number; first: string }>(
      `SELECT count(*)::int AS n, min(ts) AS first FROM realtime_quotes WHERE symbol = 'ORCL'`,
    );
    expect(stored?.n).toBe(5000);
    expect(new Date(stored!.first).toISOString()).toBe('2026-03-02T11:00:00.000Z');
    await waitFor(() => notes.length >= 1);
    expect(JSON.parse(notes[0]!)).toEqual([
      ['US', 'ORCL', '2026-03-02T12:23:19.000Z', 'test', 100.99, null, null, null, null, 4999],
    ]);
  });

  it('keeps the first of a key repeated within one batch', async () => {
    const rows = [
      { ...ok, symbol: 'NVDA', ts: '2026-03-02T14:30:00Z', price: 10 },
      { ...ok, symbol: 'NVDA', ts: '2026-03-02T14:30:01Z', price: 11 },
      { ...ok, symbol: 'NVDA', ts: '2026-03-02T14:30:00Z', price: 12 },
    ];
    expect(await ingestQuotes(db, parseIngestBatch(rows, opts))).toEqual({
      received: 3,
      inserted: 2,
      duplicates: 1,
    });
    const stored = await db.query<{ price: number }>(
      `SELECT price::float8 AS price FROM realtime_quotes WHERE symbol = 'NVDA' ORDER BY ts`,
    );
    expect(stored.map((r) => r.price)).toEqual([10, 11]);
  });

  it('announces a batch with one NOTIFY carrying the newest quote per symbol, and nothing for all-duplicates', async () => {
    await settleNotes();
    const rows = [
      ...batch(3, Date.parse('2026-03-02T14:40:00Z'), 'AMD'),
      ...batch(2, Date.parse('2026-03-02T14:40:00Z'), 'INTC'),
    ];
    await ingestQuotes(db, parseIngestBatch(rows, opts));
    await waitFor(() => notes.length >= 1);
    // all duplicates: no notification; the next new batch's is the next one to arrive
    await ingestQuotes(db, parseIngestBatch(rows, opts));
    await ingestQuotes(db, parseIngestBatch(batch(1, Date.parse('2026-03-02T14:50:00Z'), 'AMD'), opts));
    await waitFor(() => notes.length >= 2);
    expect(notes.map((n) => JSON.parse(n))).toEqual([
      [
        ['US', 'AMD', '2026-03-02T14:40:02.000Z', 'test', 100.02, null, null, null, null, 2],
        ['US', 'INTC', '2026-03-02T14:40:01.000Z', 'test', 100.01, null, null, null, null, 1],
      ],
      [['US', 'AMD', '2026-03-02T14:50:00.000Z', 'test', 100, null, null, null, null, 0]],
    ]);
  });
});
