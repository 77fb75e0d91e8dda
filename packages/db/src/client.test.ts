import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from './client';
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

describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL sessions', () => {
  let h: DatabaseHandle & { url?: string };
  beforeAll(async () => {
    h = await createTestDatabase();
  });
  afterAll(async () => {
    await h?.close();
  });

  const waitFor = async (what: string, check: () => boolean | Promise<boolean>, ms = 5_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('a LISTEN session that is killed comes back by itself, says so, and receives again', async () => {
    const got: string[] = [];
    const states: string[] = [];
    const stop = await h.listen('t_reconnect', (p) => got.push(p), { onState: (s) => states.push(s) });
    try {
      const [me] = await h.query<{ db: string }>('SELECT current_database() AS db');
      const killed = await h.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = $1 AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
        [me!.db],
      );
      expect(killed.length).toBe(1);
      await waitFor('down then up', () => states.join(',') === 'down,up');
      await h.query(`SELECT pg_notify('t_reconnect', 'after')`);
      await waitFor('a notification after the reconnect', () => got.includes('after'));
    } finally {
      await stop();
    }
  });

  it('pooled sessions carry the configured statement timeout', async () => {
    const short = await createDatabase({
      databaseUrl: h.url,
      migrate: false,
      poolMax: 1,
      statementTimeoutMs: 200,
    });
    try {
      await expect(short.query('SELECT pg_sleep(3)')).rejects.toThrow(/statement timeout/);
      expect(await short.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await short.close();
    }
  });
});
