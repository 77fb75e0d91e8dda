import {
  createDatabase,
  type DatabaseHandle,
  maintainQuoteStorage,
  QUOTE_MAINTENANCE_LOCK,
} from '@investiq/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQuoteFreshness } from '../settings/keys';
import { getSetting, seedSetting } from '../settings/service';
import { createTestRuntime } from '../test-support/runtime';
import { ingestQuotes } from './ingest-quotes';

const PG = Boolean(process.env.TEST_DATABASE_URL);
const clock = new Date('2026-03-10T12:00:00Z');

describe(`quote partition maintenance across processes (${PG ? 'PostgreSQL' : 'PGlite'})`, () => {
  let rt: Awaited<ReturnType<typeof createTestRuntime>>;
  /** "Process A": on PostgreSQL a second pool on the same database; on PGlite the same in-process handle. */
  let other: DatabaseHandle;
  beforeAll(async () => {
    rt = await createTestRuntime({
      now: () => clock,
      config: {
        quotes: { defaultMaxAgeSeconds: 30, retentionDays: 30, historyYears: 1, maxIngestRows: 10_000 },
      },
    });
    other = rt.dbUrl ? await createDatabase({ databaseUrl: rt.dbUrl, migrate: false, poolMax: 2 }) : rt.db;
  });
  afterAll(async () => {
    if (other && other !== rt?.db) await other.close();
    await rt?.close();
  });

  const quote = (ts: string, price: number) => ({
    market: 'US' as const,
    symbol: 'AAPL',
    ts: new Date(ts),
    source: 'maint-test',
    price,
    open: null,
    high: null,
    low: null,
    prevClose: null,
    volume: null,
  });

  it('an ingest for a day whose partition another process dropped recreates it instead of failing', async () => {
    // B (rt.db) ingests for 03-05: its per-process cache now says that day's partition exists.
    expect((await ingestQuotes(rt.db, [quote('2026-03-05T10:00:00Z', 1)])).inserted).toBe(1);
    // A applies a 2-day retention: 03-05 is dropped.
    const res = await maintainQuoteStorage(other, { from: clock, to: clock, retentionDays: 2, now: clock });
    expect(res).toMatchObject({ ran: true });
    expect(res.dropped).toBeGreaterThanOrEqual(1);
    // B ingests for 03-05 again: before the fix this answered "no partition of relation … found for row".
    expect((await ingestQuotes(rt.db, [quote('2026-03-05T11:00:00Z', 2)])).inserted).toBe(1);
    const n = await rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM realtime_quotes WHERE source = 'maint-test'`,
    );
    expect(n[0]?.n).toBe(1);
  });

  it('retention is one stored value: a later process with another QUOTE_RETENTION_DAYS does not change it', async () => {
    // The runtime seeded quotes.freshness from its environment (30 days) at start-up.
    expect((await getSetting(rt.db, SQuoteFreshness)).retentionDays).toBe(30);
    // A second process whose environment says 1 day tries to seed: the stored row wins.
    expect(await seedSetting(other, SQuoteFreshness, { defaultMaxAgeSeconds: 30, retentionDays: 1 })).toBe(
      false,
    );
    expect((await getSetting(other, SQuoteFreshness)).retentionDays).toBe(30);
    expect((await getSetting(rt.db, SQuoteFreshness)).retentionDays).toBe(30);
  });

  it.skipIf(!PG)('only one process runs maintenance at a time (advisory lock); the other skips', async () => {
    const holder = new pg.Client({ connectionString: rt.dbUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtext($1))', [QUOTE_MAINTENANCE_LOCK]);
      const skipped = await maintainQuoteStorage(other, {
        from: clock,
        to: clock,
        retentionDays: 30,
        now: clock,
      });
      expect(skipped).toEqual({ ran: false, created: 0, dropped: 0 });
      await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [QUOTE_MAINTENANCE_LOCK]);
      expect(
        (await maintainQuoteStorage(other, { from: clock, to: clock, retentionDays: 30, now: clock })).ran,
      ).toBe(true);
    } finally {
      await holder.end();
    }
  });
});
