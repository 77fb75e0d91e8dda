import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { createDemoMarket } from '@investiq/market/demo';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSymbols } from '../market/sync-market';
import { waitFor } from '../test-support/runtime';
import { Collector } from './collector';
import { COLLECTOR_LOCK, type Leadership, leadCollector } from './leader';

// Two (or three) collector "processes" on one database, each with its own connection pool and leadership
// session, as two collector pods would have. Only the holder of the advisory lock may tick.
const RETRY_MS = 200;
// pg_locks row of a granted advisory lock on hashtext($1) in this database (the int4 key is sign-extended to
// int8, whose low 32 bits are objid).
const COLLECTOR_LOCK_HELD = `locktype = 'advisory' AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND objid::text::bigint = (hashtext($1)::bigint & 4294967295)`;

interface Proc {
  db: DatabaseHandle;
  collector: Collector;
  leadership: Leadership;
  logs: string[];
}

async function startProcess(url: string | undefined, shared: DatabaseHandle): Promise<Proc> {
  const db = url ? await createDatabase({ databaseUrl: url, migrate: false, poolMax: 3 }) : shared;
  const logs: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const provider = createDemoMarket({ seed: 42, alwaysOpen: true });
  const universe = (await provider.listSymbols()).map((s) => ({ market: s.market, symbol: s.symbol }));
  const collector = new Collector({
    db,
    provider,
    symbols: async () => universe,
    intervalMs: 50,
    retentionDays: 30,
    log,
  });
  const leadership = leadCollector(db, collector, { log, retryMs: RETRY_MS });
  await leadership.ready;
  return { db, collector, leadership, logs };
}

async function stopProcess(p: Proc, shared: DatabaseHandle) {
  await p.leadership.stop();
  if (p.db !== shared) await p.db.close();
}

describe('collector leadership on PGlite (one process)', () => {
  let db: DatabaseHandle;
  beforeAll(async () => {
    db = await createDatabase({ dataDir: 'memory://' }); // opening + migrating PGlite: in the hook's budget
    await syncSymbols(db, createDemoMarket({ seed: 42, alwaysOpen: true }));
  });
  afterAll(async () => {
    await db?.close();
  });

  it('is alone and polls; stopping stops the collector', async () => {
    const p = await startProcess(undefined, db);
    expect(p.leadership.role()).toBe('alone');
    await waitFor(() => p.collector.status().ticks >= 2, 10_000, 'two ticks');
    expect(p.collector.status()).toMatchObject({ state: 'running', role: 'alone', lastError: null });
    await p.leadership.stop();
    expect(p.collector.status()).toMatchObject({ state: 'stopped', role: 'stopped' });
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl)
  console.warn(
    'collector leadership on PostgreSQL: skipped, set TEST_DATABASE_URL to run it (PGlite is one process)',
  );

describe.skipIf(!pgUrl)('collector leadership on PostgreSQL (several processes)', () => {
  let base: DatabaseHandle & { url?: string };
  const procs: Proc[] = [];
  const start = async () => {
    const p = await startProcess(base.url, base);
    procs.push(p);
    return p;
  };

  beforeAll(async () => {
    base = await createTestDatabase();
    await syncSymbols(base, createDemoMarket({ seed: 42, alwaysOpen: true }));
  });
  afterAll(async () => {
    for (const p of procs) await stopProcess(p, base).catch(() => {});
    await base?.close();
  });

  let leader: Proc;
  let standby: Proc;

  it('two collectors on one database: one leads and polls, the other stands by and never ticks', async () => {
    const a = await start();
    const b = await start();
    const roles = [a.leadership.role(), b.leadership.role()].sort();
    expect(roles).toEqual(['leader', 'standby']);
    [leader, standby] = a.leadership.role() === 'leader' ? [a, b] : [b, a];

    await waitFor(() => leader.collector.status().ticks >= 5, 15_000, 'five leader ticks');
    expect(leader.collector.status()).toMatchObject({ state: 'running', role: 'leader', lastError: null });
    expect(await quoteCount()).toBeGreaterThan(0); // written by the leader: the standby never ticked
    // several of the standby's retry intervals have passed: it still holds nothing and did nothing
    expect(standby.collector.status()).toMatchObject({ state: 'stopped', role: 'standby', ticks: 0 });
    expect(standby.logs.join('')).toContain('collector standby: another process holds the lock');
    expect(await lockHolders()).toBe(1);
  });

  it('the standby takes over when the leader stops, within its retry interval', async () => {
    const ticksAtStop = leader.collector.status().ticks;
    await leader.leadership.stop();
    expect(leader.collector.status()).toMatchObject({ state: 'stopped', role: 'stopped' });
    await waitFor(() => standby.leadership.role() === 'leader', 10 * RETRY_MS + 5_000, 'the standby to lead');
    const t0 = standby.collector.status().ticks;
    await waitFor(() => standby.collector.status().ticks >= t0 + 3, 15_000, 'ticks of the new leader');
    expect(leader.collector.status().ticks).toBe(ticksAtStop);
    expect(await lockHolders()).toBe(1);
    [leader, standby] = [standby, leader];
  });

  it('a leader whose session is killed stops polling at once; exactly one leads afterwards', async () => {
    const third = await start();
    expect(third.leadership.role()).toBe('standby');
    const old = leader;
    const [holder] = await base.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE ${COLLECTOR_LOCK_HELD}`,
      [COLLECTOR_LOCK],
    );
    await base.query('SELECT pg_terminate_backend($1)', [holder?.pid]);
    await waitFor(() => old.collector.status().state === 'stopped', 10_000, 'the old leader to stop');
    expect(old.logs.join('')).toContain('collector lost the lock');
    await waitFor(
      () => [old, third].some((p) => p.leadership.role() === 'leader'),
      10 * RETRY_MS + 5_000,
      'a new leader',
    );
    // let several retry intervals pass: never two at once
    const t0 = Math.max(old.collector.status().ticks, third.collector.status().ticks);
    await waitFor(
      () => Math.max(old.collector.status().ticks, third.collector.status().ticks) >= t0 + 5,
      15_000,
      'ticks after the takeover',
    );
    const running = [old, third].filter((p) => p.collector.status().state === 'running');
    expect(running).toHaveLength(1);
    expect(running[0]?.leadership.role()).toBe('leader');
    expect(await lockHolders()).toBe(1);
  });

  async function quoteCount() {
    return (await base.query<{ n: number }>('SELECT count(*)::int AS n FROM realtime_quotes'))[0]?.n ?? 0;
  }
  async function lockHolders() {
    const [r] = await base.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE ${COLLECTOR_LOCK_HELD}`,
      [COLLECTOR_LOCK],
    );
    return r?.n ?? 0;
  }
});
