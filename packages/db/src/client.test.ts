import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './client';
import {
  applyQuoteRetention,
  ensureQuotePartitions,
  listQuotePartitions,
  quotesStorage,
} from './quotes-storage';
import { createTestDatabase } from './testing';

// Runs against PGlite by default and against real PostgreSQL when TEST_DATABASE_URL is set.
describe(`database (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await createTestDatabase();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('applies migrations and partitions realtime_quotes by time', async () => {
    const storage = await quotesStorage(h);
    // TimescaleDB is not installable on this machine, so the native path is what we can check here.
    expect(storage).toBe('native');
    const rows = await h.query<{ strategy: string }>(
      `SELECT partstrat AS strategy FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid WHERE c.relname = 'realtime_quotes'`,
    );
    expect(rows[0]?.strategy).toBe('r');
  });

  it('creates daily partitions ahead of time, idempotently, and routes rows into them', async () => {
    const created = await ensureQuotePartitions(
      h,
      new Date('2030-01-01T12:00:00Z'),
      new Date('2030-01-03T00:00:00Z'),
    );
    expect(created).toBe(3);
    expect(
      await ensureQuotePartitions(h, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-03T00:00:00Z')),
    ).toBe(0);
    await h.query(
      `INSERT INTO realtime_quotes (market, symbol, ts, source, price) VALUES ('US','AAPL','2030-01-02T23:59:59Z','t',1),('US','AAPL','2030-01-03T00:00:00Z','t',2)`,
    );
    const parts = await h.query<{ part: string; n: number }>(
      `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM realtime_quotes GROUP BY 1 ORDER BY 1`,
    );
    expect(parts).toEqual([
      { part: 'realtime_quotes_20300102', n: 1 },
      { part: 'realtime_quotes_20300103', n: 1 },
    ]);
  });

  it('rejects rows for days without a partition instead of storing them somewhere unexpected', async () => {
    await expect(
      h.query(
        `INSERT INTO realtime_quotes (market, symbol, ts, source, price) VALUES ('US','AAPL','2031-05-01T00:00:00Z','t',1)`,
      ),
    ).rejects.toThrow(/no partition/);
  });

  it('retention drops whole days older than the window and keeps the rest', async () => {
    const { dropped, storage } = await applyQuoteRetention(h, 1, new Date('2030-01-04T00:00:00Z'));
    expect(storage).toBe('native');
    expect(dropped).toBe(2); // cutoff 2030-01-03T00:00Z: the days 01-01 and 01-02 end at or before it
    expect(await listQuotePartitions(h)).toEqual(['realtime_quotes_20300103']);
    const n = await h.query<{ n: number }>('SELECT count(*)::int AS n FROM realtime_quotes');
    expect(n[0]?.n).toBe(1);
  });

  it('refuses to create an absurd number of partitions in one call', async () => {
    await expect(ensureQuotePartitions(h, new Date('2000-01-01'), new Date('2030-01-01'))).rejects.toThrow(
      /refusing/,
    );
  });
});
