import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiToken } from '@investiq/api';
import { createDatabase, type DatabaseHandle } from '@investiq/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  startThrowawayCluster,
  type ThrowawayCluster,
  throwawayClusterUnavailable,
} from '../test-support/pg-cluster';

// Two web processes (API handler without the Next.js pages: test-support/api-process.ts) on one PostgreSQL,
// behind a real nginx from Debian with round-robin upstreams: live quotes and report progress reach a client
// on either instance, a setup link printed by one works on the other, and starting the second instance
// leaves the first one's running report alone.
const NGINX = '/usr/sbin/nginx';
const unavailable =
  throwawayClusterUnavailable() ??
  (existsSync(NGINX) ? null : 'nginx not installed (apt-get install -y nginx)');
if (unavailable) console.warn(`several-instances suite skipped: ${unavailable}`);

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.resolve(here, '../../../../node_modules/.bin/tsx');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function within<T>(ms: number, what: string, check: () => Promise<T> | T): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve(check()).catch(() => null);
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(25);
  }
}

interface Instance {
  child: ChildProcess;
  port: number;
  setupLink: string | null;
  output: () => string;
}

/** Start one web process; resolves once it listens (and printed its setup link, if any). */
async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(tsx, [path.resolve(here, '../test-support/api-process.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  await within(90_000, `instance to start (output: ${out.slice(-800)})`, () => {
    if (child.exitCode !== null) throw new Error(`instance exited: ${out}`);
    return /^ready$/m.test(out);
  });
  const port = Number(/listening (\d+)/.exec(out)?.[1]);
  const setupLink = /setup-link (\S+)/.exec(out)?.[1] ?? null;
  return { child, port, setupLink, output: () => out };
}

async function stopInstance(i: Instance | undefined) {
  if (!i || i.child.exitCode !== null) return;
  const exited = new Promise((r) => i.child.once('exit', r));
  i.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (i.child.exitCode === null) i.child.kill('SIGKILL');
}

/** An SSE stream through the proxy: which upstream served it, and everything received so far. */
interface Stream {
  upstream: string;
  text: () => string;
  close: () => void;
}
async function openStream(url: string, token: string): Promise<Stream> {
  const ac = new AbortController();
  const res = await fetch(url, {
    signal: ac.signal,
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  let text = '';
  const reader = res.body!.getReader();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += new TextDecoder().decode(value);
    }
  })().catch(() => {});
  return { upstream: res.headers.get('x-upstream') ?? '?', text: () => text, close: () => ac.abort() };
}

/** Open streams through the round-robin proxy until one is served by each instance. */
async function oneStreamPerInstance(url: string, token: string): Promise<Stream[]> {
  const byUpstream = new Map<string, Stream>();
  for (let i = 0; i < 6 && byUpstream.size < 2; i++) {
    const s = await openStream(url, token);
    if (byUpstream.has(s.upstream)) s.close();
    else byUpstream.set(s.upstream, s);
  }
  expect(byUpstream.size, 'streams served by both instances').toBe(2);
  return [...byUpstream.values()];
}

describe.skipIf(unavailable !== null)('two web instances behind nginx on one PostgreSQL', () => {
  let cluster: ThrowawayCluster;
  let db: DatabaseHandle;
  let a: Instance | undefined;
  let b: Instance | undefined;
  let nginx: ChildProcess | undefined;
  let nginxDir = '';
  let env: Record<string, string> = {};
  let proxy = '';
  // Inference stand-in that holds every request until released, so a report stays running on purpose.
  let held: ServerResponse[] = [];
  let released = false;
  let inference: Server;
  const answer = (res: ServerResponse) =>
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"test stand-in"}');

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE multi');
    await admin.end();
    inference = createServer((_req: IncomingMessage, res: ServerResponse) => {
      if (released) answer(res);
      else held.push(res);
    });
    await new Promise<void>((r) => inference.listen(0, '127.0.0.1', r));
    const inf = `http://127.0.0.1:${(inference.address() as AddressInfo).port}`;
    env = {
      DATABASE_URL: cluster.url('multi'),
      PORT: '0',
      LOG_LEVEL: 'warn',
      COLLECTOR_MODE: 'off',
      QUOTE_HISTORY_YEARS: '1',
      REPORT_LEASE_MS: '3000',
      INFERENCE_LLM_URL: inf,
      INFERENCE_SENTIMENT_URL: inf,
      INFERENCE_TIMESERIES_URL: inf,
      INFERENCE_CPU_URL: inf,
      INFERENCE_LLM_TIMEOUT_MS: '60000',
      INFERENCE_SENTIMENT_TIMEOUT_MS: '60000',
      INFERENCE_TIMESERIES_TIMEOUT_MS: '60000',
      INFERENCE_CPU_TIMEOUT_MS: '60000',
    };
    a = await startInstance(env);
    db = await createDatabase({ databaseUrl: cluster.url('multi'), migrate: false, poolMax: 2 });
  }, 180_000);

  afterAll(async () => {
    released = true;
    for (const res of held) answer(res);
    held = [];
    nginx?.kill('SIGQUIT');
    await stopInstance(a);
    await stopInstance(b);
    await db?.close();
    await new Promise((r) => inference?.close(r));
    await cluster?.stop();
    if (nginxDir) rmSync(nginxDir, { recursive: true, force: true });
  }, 60_000);

  /** The second instance (if a test has not started it yet) and nginx in front of both, round robin. */
  async function ensureProxy() {
    b ??= await startInstance(env);
    if (proxy) return;
    nginxDir = mkdtempSync(path.join(os.tmpdir(), 'investiq-nginx-'));
    const port = await freePort();
    writeFileSync(
      path.join(nginxDir, 'nginx.conf'),
      `worker_processes 1;
error_log ${nginxDir}/error.log warn;
pid ${nginxDir}/nginx.pid;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${nginxDir}/body;
  proxy_temp_path ${nginxDir}/proxy;
  fastcgi_temp_path ${nginxDir}/fastcgi;
  uwsgi_temp_path ${nginxDir}/uwsgi;
  scgi_temp_path ${nginxDir}/scgi;
  upstream investiq { server 127.0.0.1:${a!.port}; server 127.0.0.1:${b!.port}; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://investiq;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_read_timeout 1h;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`,
    );
    nginx = spawn(NGINX, ['-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proxy = `http://127.0.0.1:${port}`;
    await within(10_000, 'nginx to answer', async () => (await fetch(`${proxy}/api/health`)).status > 0);
  }

  it('starting a second instance leaves the first one’s running report running; progress reaches clients of both', async () => {
    const { token } = await createApiToken(db, { name: 'analyst', role: 'analyst' });
    const created = await fetch(`http://127.0.0.1:${a!.port}/api/trpc/reports.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ market: 'US', symbol: 'AAPL', language: 'en' }),
    });
    expect(created.status).toBe(200);
    const id = ((await created.json()) as { result: { data: { id: string } } }).result.data.id;
    const status = async () =>
      (await db.query<{ status: string }>('SELECT status FROM reports WHERE id = $1', [id]))[0]?.status;
    expect(await status()).toBe('running');

    // The second instance starts (its start-up recovers only reports whose lease expired).
    b = await startInstance(env);
    expect(await status(), 'report of instance A after instance B started').toBe('running');

    await ensureProxy();

    const input = encodeURIComponent(JSON.stringify({ id }));
    const streams = await oneStreamPerInstance(`${proxy}/api/trpc/reports.progress?input=${input}`, token);
    for (const s of streams)
      await within(10_000, `first progress snapshot via ${s.upstream}`, () => s.text().includes('"running"'));
    // Let the report finish: both the owner's clients and the other instance's clients see it complete.
    released = true;
    for (const res of held.splice(0)) answer(res);
    for (const s of streams)
      await within(30_000, `final progress via ${s.upstream}: ${s.text().slice(-300)}`, () =>
        s.text().includes('"status":"complete"'),
      );
    for (const s of streams) s.close();
    expect(await status()).toBe('complete');
  }, 240_000);

  it('live quotes ingested through the proxy reach SSE clients of both instances', async () => {
    await ensureProxy();
    const { token } = await createApiToken(db, { name: 'quotes', role: 'analyst' });
    const input = encodeURIComponent(JSON.stringify({ symbols: [{ market: 'US', symbol: 'MSFT' }] }));
    const streams = await oneStreamPerInstance(`${proxy}/api/trpc/quotes.live?input=${input}`, token);
    // The subscription registers asynchronously; ingest until both clients have the quote (bounded).
    const ts = new Date(Date.now() - 1_000).toISOString();
    await within(10_000, 'the quote on both streams', async () => {
      const res = await fetch(`${proxy}/api/v1/market-data/quotes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          quotes: [{ market: 'US', symbol: 'MSFT', ts, price: 321.5, source: 'api.proxy' }],
        }),
      });
      expect(res.status).toBe(200);
      await sleep(200);
      return streams.every((s) => s.text().includes('321.5'));
    });
    for (const s of streams) s.close();
  }, 60_000);

  it('the setup link printed by one instance works on the other', async () => {
    await ensureProxy();
    expect(a!.setupLink, a!.output()).toBeTruthy();
    const token = new URL(a!.setupLink!).searchParams.get('token');
    // Wrong tokens are refused by both instances (through the proxy, round robin)…
    const seen = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const bad = await fetch(`${proxy}/api/auth/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'not-the-token', username: 'boss', password: 'correct horse battery' }),
      });
      expect(bad.status).toBe(403);
      seen.add(bad.headers.get('x-upstream') ?? '?');
    }
    expect(seen.size).toBe(2);
    // …and A's link is accepted by B.
    const ok = await fetch(`http://127.0.0.1:${b!.port}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, username: 'boss', password: 'correct horse battery' }),
    });
    expect(ok.status, await ok.clone().text()).toBe(200);
    const users = await db.query<{ username: string }>('SELECT username FROM users');
    expect(users.map((u) => u.username)).toEqual(['boss']);
  }, 60_000);
});
