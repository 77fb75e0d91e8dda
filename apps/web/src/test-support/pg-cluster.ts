import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PostgreSQL cluster owned by one test: its own data directory, socket directory and port. */
export interface ThrowawayCluster {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function pgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

/**
 * Why a throwaway cluster cannot run here, or null when it can: restarting PostgreSQL needs our own
 * cluster (never the machine's shared one), and initdb must run as the `postgres` user, so root is needed.
 */
export function throwawayClusterUnavailable(): string | null {
  // npm test runs the web suite twice (PGlite, then TEST_DATABASE_URL); these suites bring their own
  // cluster, so the first pass is enough.
  if (process.env.TEST_DATABASE_URL) return 'runs in the pass without TEST_DATABASE_URL (own cluster)';
  if (process.getuid?.() !== 0) return 'needs root (initdb runs via runuser -u postgres)';
  if (!pgBin()) return 'PostgreSQL server binaries (initdb) not found under /usr/lib/postgresql';
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** initdb + pg_ctl start on a free loopback port (≈ 2–3 s). */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = pgBin();
  if (!bin) throw new Error('initdb not found');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'investiq-pg-'));
  await run('chown', ['postgres', dir]);
  const asPostgres = (cmd: string, args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { timeout: 60_000 });
  await asPostgres('initdb', ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  const ctl = (...args: string[]) =>
    asPostgres('pg_ctl', ['-D', `${dir}/data`, '-o', opts, '-l', `${dir}/log`, '-w', ...args]);
  await ctl('start');
  let stopped = false;
  return {
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async restart() {
      await ctl('-m', 'fast', 'restart');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await ctl('-m', 'immediate', 'stop').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
