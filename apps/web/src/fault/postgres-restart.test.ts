import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  attachSettings,
  createApiToken,
  createLogger,
  createRuntime,
  getSetting,
  type Runtime,
  SQuoteFreshness,
  setSetting,
} from '@investiq/api';
import { createApiHandler } from '@investiq/api/http';
import { createDatabase, type DatabaseHandle } from '@investiq/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startThrowawayCluster,
  type ThrowawayCluster,
  throwawayClusterUnavailable,
} from '../test-support/pg-cluster';

// Fault suite on a PostgreSQL cluster of its own (never the shared one): restart it while quotes are
// ingested at ~1 000 rows/s over HTTP, and SIGKILL the standalone collector in the middle of a batch.
const unavailable = throwawayClusterUnavailable();
if (unavailable) console.warn(`postgres fault suite skipped: ${unavailable}`);

const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `check` until it returns a truthy value; fail after `ms`. */
async function within<T>(ms: number, what: string, check: () => Promise<T> | T): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve(check()).catch(() => null);
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(20);
  }
}

describe.skipIf(unavailable !== null)('PostgreSQL faults (throwaway cluster)', () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('a restart during ~1 000 rows/s of ingest loses no acknowledged row; LISTEN and settings resume within 5 s', async () => {
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE restart_test');
    await admin.end();
    const url = cluster.url('restart_test');
    const rt: Runtime = await createRuntime(
      {
        databaseUrl: url,
        dataDir: 'memory://',
        provider: 'demo',
        demo: { seed: 42, alwaysOpen: true },
        collector: { enabled: false, intervalMs: 1000 },
        quotes: { defaultMaxAgeSeconds: 30, retentionDays: 30, historyYears: 1, maxIngestRows: 10_000 },
        logLevel: 'silent',
        database: { connectTimeoutMs: 2_000, statementTimeoutMs: 10_000 },
      },
      { log: createLogger({ level: 'silent' }), onProgress: () => {} },
    );
    // "Another process" changing settings: its own pool and LISTEN session.
    const other: DatabaseHandle = await createDatabase({ databaseUrl: url, migrate: false, poolMax: 2 });
    const stopOther = await attachSettings(other, { log: createLogger({ level: 'silent' }) });
    const handler = createApiHandler(rt);
    const server: Server = createServer((req, res) => {
      handler(req, res).then(
        (handled) => {
          if (!handled) res.writeHead(404).end();
        },
        () => res.end(),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { token } = await createApiToken(rt.db, { name: 'loader', role: 'analyst' });

    // Live updates as a subscriber sees them.
    const received: number[] = [];
    const live = new AbortController();
    const consuming = (async () => {
      for await (const q of rt.hub.subscribe(['US:AAPL'], live.signal)) received.push(Date.parse(q.ts));
    })().catch(() => {});
    expect((await getSetting(rt.db, SQuoteFreshness)).defaultMaxAgeSeconds).toBe(30); // cache warm

    // Load: a batch of 100 rows every 100 ms, each row a distinct timestamp; remember what was acknowledged.
    const t0 = Date.now() - 60_000;
    let k = 0;
    let sent = 0;
    const acked: number[] = [];
    const statuses = new Map<number, number>();
    let loading = true;
    const loader = (async () => {
      while (loading) {
        const started = Date.now();
        const batch = Array.from({ length: 100 }, () => t0 + k++);
        sent += batch.length;
        const res = await fetch(`${base}/api/v1/market-data/quotes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            quotes: batch.map((ts) => ({
              market: 'US',
              symbol: 'AAPL',
              ts: new Date(ts).toISOString(),
              price: 100 + (ts % 100) / 100,
              source: 'api.fault',
            })),
          }),
          signal: AbortSignal.timeout(15_000),
        }).catch(() => null);
        const status = res?.status ?? 0;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        await res?.arrayBuffer().catch(() => {});
        if (status === 200) acked.push(...batch);
        await sleep(Math.max(0, 100 - (Date.now() - started)));
      }
    })();

    try {
      const loadStart = Date.now();
      await within(10_000, 'first acknowledged batch', () => acked.length > 0);
      await sleep(1_500); // steady load before the fault (pacing, not waiting for a condition)
      await cluster.restart();
      const back = Date.now();
      const firstAfter = t0 + k; // every row from here on is ingested after the restart

      // Live updates resume: a quote ingested after the restart reaches the subscriber within 5 s.
      await within(5_000, 'a live quote ingested after the restart', () =>
        received.some((ts) => ts >= firstAfter),
      );
      // Settings propagation resumes: a change made by the other process is read here within 5 s.
      await within(5_000, 'the other process to store a settings change', async () => {
        await setSetting(other, SQuoteFreshness, { defaultMaxAgeSeconds: 17, retentionDays: 30 }, 'system');
        return true;
      });
      await within(
        5_000 - (Date.now() - back),
        'the settings change to reach this process',
        async () => (await getSetting(rt.db, SQuoteFreshness)).defaultMaxAgeSeconds === 17,
      );
      await sleep(1_000); // more load after recovery
      loading = false;
      await loader;
      const seconds = (Date.now() - loadStart) / 1000;
      expect(sent / seconds, 'offered load in rows/s').toBeGreaterThan(600);

      const stored = await rt.db.query<{ ts: Date }>(
        `SELECT ts FROM realtime_quotes WHERE source = 'api.fault'`,
      );
      const have = new Set(stored.map((r) => new Date(r.ts).getTime()));
      const lost = acked.filter((ts) => !have.has(ts));
      expect(lost.length, `acknowledged rows lost (statuses ${JSON.stringify([...statuses])})`).toBe(0);
      expect(acked.length).toBeGreaterThan(1_000);
    } finally {
      loading = false;
      await loader;
      live.abort();
      await consuming;
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await stopOther();
      await other.close();
      await rt.close();
    }
  }, 120_000);

  it('SIGKILL of the collector in the middle of a batch leaves nothing half-written', async () => {
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE collector_test');
      // node itself with the tsx loader, not the tsx wrapper: the wrapper forks, and SIGKILL of the wrapper
      // would leave the collector running (it only stopped by luck when nothing else held its event loop)
      const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(here, '../cli/collector.ts')], {
        env: {
          ...process.env,
          DATABASE_URL: `${cluster.url('collector_test')}?application_name=investiq-collector`,
          LOG_LEVEL: 'warn',
          QUOTE_HISTORY_YEARS: '1',
          COLLECTOR_INTERVAL_MS: '200',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => {
        output += d;
      });
      child.stderr.on('data', (d) => {
        output += d;
      });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, sig) => r(sig)));
      // Catch the collector's session inside a quote-batch transaction (warm start writes 5 000-row
      // batches: COPY into the staging table, then INSERT … SELECT), then kill the process.
      // Only once the migrations have committed (they run in one transaction whose SQL also names
      // realtime_quotes): catching that transaction instead would kill the process before any batch.
      const probe = new pg.Client({ connectionString: cluster.url('collector_test') });
      await probe.connect();
      await within(60_000, `the collector's migrations (output: ${output.slice(-500)})`, async () => {
        const r = await probe.query<{ ok: boolean }>(
          `SELECT to_regclass('public.realtime_quotes') IS NOT NULL AS ok`,
        );
        return r.rows[0]?.ok === true;
      }).finally(() => probe.end());
      const busy = await within(
        90_000,
        `the collector mid-batch (output: ${output.slice(-500)})`,
        async () => {
          const rows = await admin.query<{ pid: number; xid: string }>(
            `SELECT pid, backend_xid::text AS xid FROM pg_stat_activity
            WHERE application_name = 'investiq-collector' AND backend_xid IS NOT NULL
              AND query ~ '(quotes_stage|realtime_quotes)'`,
          );
          return rows.rows[0] ?? null;
        },
      );
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // The server notices the dropped connection and rolls the transaction back.
      await within(10_000, 'the killed session to end', async () => {
        const r = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [busy.pid]);
        return r.rowCount === 0;
      });
      const db = new pg.Client({ connectionString: cluster.url('collector_test') });
      await db.connect();
      try {
        const killed = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM realtime_quotes WHERE xmin::text = $1',
          [busy.xid],
        );
        expect(killed.rows[0]?.n, 'rows of the killed batch').toBe(0);
        // Every committed batch is whole: warm-start batches hold 5 000 rows (the last one fewer),
        // collector ticks one row per symbol.
        const groups = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM realtime_quotes GROUP BY xmin::text',
        );
        const sizes = groups.rows.map((g) => g.n);
        const odd = sizes.filter((n) => n !== 5_000);
        expect(odd.length, `batch sizes ${JSON.stringify(sizes)}`).toBeLessThanOrEqual(1);
      } finally {
        await db.end();
      }
    } finally {
      await admin.end();
    }
  }, 120_000);
});
