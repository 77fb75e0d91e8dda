import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createApiToken,
  createLogger,
  createRuntime,
  createUser,
  type Runtime,
  type RuntimeConfig,
} from '@investiq/api';
import { createApiHandler, webServerOptions } from '@investiq/api/http';
import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { type RunningServices, startAll } from '@investiq/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvestIQClient } from './index';

// The README's example script, run as a child process (tsx) against a real server: the API handler over a
// runtime on a temporary PGlite data dir (PostgreSQL when TEST_DATABASE_URL is set), the demo collector
// streaming quotes, and the four inference services (default models) behind INFERENCE_TOKEN.
const here = path.dirname(fileURLToPath(import.meta.url));
const example = path.resolve(here, '../examples/quote-and-report.ts');
const INFERENCE_TOKEN = 'client-example-inference-token-0123';
const run = promisify(execFile);

let dataDir: string | undefined;
let db: DatabaseHandle;
let services: RunningServices;
let rt: Runtime;
let server: Server;
let base: string;
let analystToken: string;
let viewerToken: string;

beforeAll(async () => {
  services = await startAll({
    ports: { llm: 0, sentiment: 0, timeseries: 0, 'cpu-timeseries': 0 },
    logLevel: 'silent',
    token: INFERENCE_TOKEN,
  });
  if (process.env.TEST_DATABASE_URL) db = await createTestDatabase();
  else {
    dataDir = mkdtempSync(path.join(tmpdir(), 'investiq-client-'));
    db = await createDatabase({ dataDir });
  }
  const config: RuntimeConfig = {
    dataDir: dataDir ?? 'unused://',
    provider: 'demo',
    demo: { seed: 42, alwaysOpen: true },
    collector: { enabled: true, intervalMs: 500 },
    quotes: { defaultMaxAgeSeconds: 30, retentionDays: 30, historyYears: 1, maxIngestRows: 10_000 },
    logLevel: 'silent',
    inference: {
      urls: services.urls,
      timeoutMs: { llm: 60_000, sentiment: 5_000, timeseries: 5_000, 'cpu-timeseries': 15_000 },
      token: INFERENCE_TOKEN,
    },
  };
  rt = await createRuntime(config, { db, log: createLogger({ level: 'silent' }), onProgress: () => {} });
  const handler = createApiHandler(rt);
  server = createServer(webServerOptions(), (req, res) => {
    handler(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404).end();
      })
      .catch(() => res.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const owner = await createUser(db, {
    username: 'scripter',
    password: 'a long enough passphrase',
    role: 'analyst',
  });
  analystToken = (await createApiToken(db, { name: 'example', role: 'analyst', ownerId: owner.id })).token;
  viewerToken = (await createApiToken(db, { name: 'reader', role: 'viewer', ownerId: owner.id })).token;
}, 180_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await rt?.close();
  await db?.close();
  await services?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('@investiq/client', () => {
  it('runs the README example: a quote, three live updates, a finished report', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', example], {
      env: { ...process.env, INVESTIQ_URL: base, INVESTIQ_TOKEN: analystToken },
      timeout: 150_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^quote CN:600519\.SH status=(fresh|delayed|closed) \d+(\.\d+)? CNY at /);
    expect(lines.filter((l) => /^live \d: CN:600519\.SH \d+(\.\d+)? CNY at \d{4}-/.test(l))).toHaveLength(3);
    const started = /^report ([0-9a-f-]{36}) (started|joined)$/.exec(
      lines.find((l) => l.startsWith('report ')) ?? '',
    );
    expect(started).not.toBeNull();
    const id = started![1]!;
    const last = lines.at(-1)!;
    expect(last).toMatch(new RegExp(`^report ${id} finished status=complete sections=6 degraded=\\d+$`));
    // the server agrees: the report the script waited for is stored, complete
    const client = createInvestIQClient({ baseUrl: base, token: viewerToken });
    const stored = await client.reports.get.query({ id });
    expect(stored).toMatchObject({ id, status: 'complete', market: 'CN', symbol: '600519.SH' });
    expect(stored.createdBy).toBe('token:example');
    // reports.get's output schema keeps the stored JSON (lineage, section outputs) whole
    expect(stored.lineage).toMatchObject({ provider: expect.any(String), params: expect.any(Object) });
    expect(stored.sections.find((s) => s.module === 'profile')).toMatchObject({
      status: 'ok',
      output: { name: expect.any(String), quote: { status: expect.any(String) } },
    });
  }, 180_000);

  it('sends the token: without one the server answers 401, a viewer may not create reports', async () => {
    const noToken = createInvestIQClient({ baseUrl: base, token: 'iq_not-a-real-token' });
    await expect(noToken.quotes.latest.query({ market: 'CN', symbol: '600519.SH' })).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    const viewer = createInvestIQClient({ baseUrl: `${base}/`, token: viewerToken });
    const [one, many] = await Promise.all([
      viewer.quotes.latest.query({ market: 'US', symbol: 'AAPL' }),
      viewer.quotes.latestMany.query({ symbols: [{ market: 'HK', symbol: '0700.HK' }] }),
    ]);
    expect(one).toMatchObject({ market: 'US', symbol: 'AAPL' });
    expect(many.map((q) => q.symbol)).toEqual(['0700.HK']);
    // outputs pass their declared schemas on real data (a failing .output() is a 500 here)
    const [bars, hits] = await Promise.all([
      viewer.quotes.history.query({ market: 'CN', symbol: '600519.SH', interval: '1d', limit: 30 }),
      viewer.market.search.query({ query: '600519' }),
    ]);
    expect(bars).toHaveLength(30);
    expect(bars[0]).toEqual({
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      open: expect.any(Number),
      high: expect.any(Number),
      low: expect.any(Number),
      close: expect.any(Number),
      volume: expect.any(Number),
    });
    expect(hits[0]).toMatchObject({ market: 'CN', symbol: '600519.SH', match: 'code', tracked: true });
    await expect(viewer.reports.create.mutate({ market: 'CN', symbol: '600519.SH' })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
  });

  it('refuses a bad baseUrl or an empty token up front', () => {
    expect(() => createInvestIQClient({ baseUrl: 'localhost:3000', token: 'x' })).toThrow(/baseUrl/);
    expect(() => createInvestIQClient({ baseUrl: 'http://localhost:3000', token: ' ' })).toThrow(/token/);
  });
});
