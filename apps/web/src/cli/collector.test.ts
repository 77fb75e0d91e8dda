import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@investiq/db/testing';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.resolve(here, '../../../../node_modules/.bin/tsx');

function run(env: Record<string, string>) {
  const child = spawn(tsx, [path.join(here, 'collector.ts')], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  child.on('error', (err) => {
    output += String(err);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('npm run collector (its own process)', () => {
  it('refuses to run on the embedded database and says why', async () => {
    const p = run({ DATABASE_URL: '' });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('needs DATABASE_URL (PostgreSQL)');
  }, 60_000);

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'ingests demo quotes into PostgreSQL, serves its metrics, and stops cleanly on SIGTERM',
    async () => {
      const db = await createTestDatabase();
      const metricsPort = await freePort();
      try {
        const p = run({
          DATABASE_URL: db.url!,
          COLLECTOR_INTERVAL_MS: '300',
          QUOTE_HISTORY_YEARS: '1',
          COLLECTOR_METRICS_PORT: String(metricsPort),
        });
        const deadline = Date.now() + 60_000;
        let n = 0;
        while (Date.now() < deadline) {
          n = (
            await db.query<{ n: number }>('SELECT count(DISTINCT symbol)::int AS n FROM realtime_quotes')
          )[0]!.n;
          if (n >= 12) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        expect(n, p.output()).toBeGreaterThanOrEqual(12);
        // the warm start writes quotes before the runtime is up; the metrics listener comes after it,
        // and the counters after the first poll
        let metrics = '';
        while (
          Date.now() < deadline &&
          !/investiq_collector_ticks_total\{outcome="ok"\} [1-9]/.test(metrics)
        ) {
          metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
            .then((r) => r.text())
            .catch(() => '');
          await new Promise((r) => setTimeout(r, 250));
        }
        expect(metrics).toMatch(/investiq_collector_ticks_total\{outcome="ok"\} [1-9]/);
        expect(metrics).toMatch(/investiq_market_last_quote_timestamp_seconds\{market="US"\} \d/);
        expect(metrics).toContain('investiq_quote_ingest_lag_seconds_count{path="collector"}');
        expect((await fetch(`http://127.0.0.1:${metricsPort}/other`)).status).toBe(404);
        p.child.kill('SIGTERM');
        expect(await p.exited).toBe(0);
      } finally {
        await db.close();
      }
    },
    90_000,
  );

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'two collector processes on one database: one polls, the other stands by and takes over when it stops',
    async () => {
      const db = await createTestDatabase();
      const ports = [await freePort(), await freePort()];
      const procs: ReturnType<typeof run>[] = [];
      const start = (i: number) =>
        run({
          DATABASE_URL: db.url!,
          LOG_LEVEL: 'info',
          COLLECTOR_INTERVAL_MS: '300',
          COLLECTOR_LEADER_RETRY_MS: '300',
          QUOTE_HISTORY_YEARS: '1',
          COLLECTOR_METRICS_PORT: String(ports[i]),
        });
      const okTicks = async (i: number) => {
        const text = await fetch(`http://127.0.0.1:${ports[i]}/metrics`)
          .then((r) => r.text())
          .catch(() => '');
        return Number(/investiq_collector_ticks_total\{outcome="ok"\} (\d+)/.exec(text)?.[1] ?? 0);
      };
      const until = async (what: string, check: () => boolean | Promise<boolean>) => {
        const deadline = Date.now() + 60_000;
        while (!(await check())) {
          if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what}\n${procs.map((p) => p.output()).join('\n---\n')}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      try {
        procs.push(start(0));
        await until('the first collector to lead', () =>
          procs[0]!.output().includes('collector leader: holds the lock'),
        );
        await until('the leader to poll', async () => (await okTicks(0)) >= 1);
        procs.push(start(1));
        await until('the second collector to stand by', () =>
          procs[1]!.output().includes('collector standby: another process holds the lock'),
        );
        // while the leader keeps polling for several of the standby's retry intervals, the standby never polls
        const t0 = await okTicks(0);
        await until('five more leader ticks', async () => (await okTicks(0)) >= t0 + 5);
        expect(await okTicks(1)).toBe(0);
        expect(procs[1]!.output()).not.toContain('collector leader: holds the lock');

        procs[0]!.child.kill('SIGTERM');
        expect(await procs[0]!.exited).toBe(0);
        await until('the standby to take over', () =>
          procs[1]!.output().includes('collector leader: holds the lock'),
        );
        await until('the new leader to poll', async () => (await okTicks(1)) >= 1);
        procs[1]!.child.kill('SIGTERM');
        expect(await procs[1]!.exited).toBe(0);
      } finally {
        for (const p of procs) p.child.kill('SIGKILL');
        await db.close();
      }
    },
    180_000,
  );
});
