import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacktestService } from './backtests/backtest-service';
import { createLogger } from './observability/logger';
import { consumeRateLimit, purgeExpiredRateLimits } from './security/rate-limits';

// What must happen once per cluster, not once per process, with two "processes" (own pools) on one database:
// - the collector: collector/leader.test.ts (session advisory lock, standby takes over);
// - quote partitions and retention: quotes/maintenance.test.ts (pg_try_advisory_xact_lock, the other skips);
// - the rate-limit purge: here (pg_try_advisory_xact_lock, the other skips);
// - the backtest orphan sweep (and the report lease sweep, the same pattern): one conditional UPDATE, so each
//   orphaned row is failed by exactly one process however many sweep at once: here.
const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl)
  console.warn('cluster singletons: skipped, set TEST_DATABASE_URL to run them (PGlite is one process)');

describe.skipIf(!pgUrl)('cluster singletons on PostgreSQL (two processes)', () => {
  let base: DatabaseHandle & { url?: string };
  let a: DatabaseHandle;
  let b: DatabaseHandle;
  beforeAll(async () => {
    base = await createTestDatabase();
    a = await createDatabase({ databaseUrl: base.url, migrate: false, poolMax: 3 });
    b = await createDatabase({ databaseUrl: base.url, migrate: false, poolMax: 3 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await base?.close();
  });

  it('rate-limit purge: while one process purges, the other skips; then it purges', async () => {
    await consumeRateLimit(a, 'token', 'creates-the-table');
    await a.query(`INSERT INTO rate_limits (key, points, expire) VALUES ('iq_expired', 1, $1)`, [
      Date.now() - 1000,
    ]);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let inside!: () => void;
    const locked = new Promise<void>((r) => {
      inside = r;
    });
    // process A is in the middle of a purge: it holds the purge's transaction lock
    const purgingA = a.transaction(async (q) => {
      await q('SELECT pg_advisory_xact_lock(hashtext($1))', ['investiq_rate_limit_purge']);
      inside();
      await held;
    });
    await locked;
    expect(await purgeExpiredRateLimits(b)).toEqual({ ran: false, deleted: 0 });
    expect(await a.query(`SELECT 1 FROM rate_limits WHERE key = 'iq_expired'`)).toHaveLength(1);
    release();
    await purgingA;
    expect(await purgeExpiredRateLimits(b)).toEqual({ ran: true, deleted: 1 });
  });

  it('backtest orphan sweep: two processes sweeping at once fail each orphaned row exactly once', async () => {
    const ids = await base.query<{ id: string }>(
      `INSERT INTO backtests (status, strategy, spec, symbols, heartbeat_at)
         SELECT 'running', 'sma-cross', '{}'::jsonb, '[]'::jsonb, now() - interval '10 minutes'
           FROM generate_series(1, 50) RETURNING id`,
    );
    const log = createLogger({ level: 'silent' });
    const svcA = new BacktestService({ db: a, log, now: () => new Date() });
    const svcB = new BacktestService({ db: b, log, now: () => new Date() });
    const counts = await Promise.all([
      svcA.recoverInterrupted(),
      svcB.recoverInterrupted(),
      svcA.recoverInterrupted(),
      svcB.recoverInterrupted(),
    ]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(ids.length);
    const failed = await base.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM backtests WHERE status = 'failed' AND error LIKE 'interrupted%'`,
    );
    expect(failed[0]?.n).toBe(ids.length);
    await svcA.close();
    await svcB.close();
  });
});
