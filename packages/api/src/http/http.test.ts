import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import type { Runtime } from '../runtime';
import { createTestRuntime, waitFor } from '../test-support/runtime';
import { createApiHandler } from './index';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();
const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

describe(`HTTP API (${DB})`, () => {
  let rt: Runtime;
  let server: Server;
  let base: string;
  let analyst: string;
  let viewer: string;
  let admin: string;
  // a clock that runs in real time from a Monday 10:00 New York (NYSE open): quotes ingested over REST
  // (source 'api') are judged against the exchange's sessions, so the real time of day must not matter
  const offset = Date.parse('2026-03-02T15:00:00Z') - Date.now();
  const now = () => new Date(Date.now() + offset);
  const viewerAuth = () => ({ authorization: `Bearer ${viewer}` });

  beforeAll(async () => {
    rt = await createTestRuntime({ now });
    const handler = createApiHandler(rt);
    server = createServer((req, res) => {
      handler(req, res).then(
        (handled) => {
          if (!handled) {
            res.statusCode = 404;
            res.end();
          }
        },
        () => res.end(),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    analyst = (await createApiToken(rt.db, { name: 'ingest', role: 'analyst' })).token;
    viewer = (await createApiToken(rt.db, { name: 'viewer', role: 'viewer' })).token;
    admin = (await createApiToken(rt.db, { name: 'admin', role: 'admin' })).token;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await rt?.close();
  });

  const ingest = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/v1/market-data/quotes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const q = (ts: Date, price: number) => ({
    market: 'US',
    symbol: 'NVDA',
    ts: ts.toISOString(),
    price,
    prevClose: 100,
  });
  const count = async () =>
    (await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM realtime_quotes'))[0]!.n;

  it('ingests a batch with a token and reads it back fresh over GET', async () => {
    const ts = new Date(now().getTime() - 2_000);
    const res = await ingest({ quotes: [q(ts, 120.5)] });
    expect(res.status).toBe(200);
    expect(await j(res)).toEqual({ received: 1, inserted: 1, duplicates: 0 });
    const again = await ingest({ quotes: [q(ts, 120.5)] });
    expect(await j(again)).toEqual({ received: 1, inserted: 0, duplicates: 1 });
    const get = await fetch(`${base}/api/v1/market-data/quotes/NVDA?market=US&max_age_seconds=60`, {
      headers: viewerAuth(),
    });
    expect(get.status).toBe(200);
    const body = await j(get);
    expect(body).toMatchObject({ status: 'fresh', quote: { price: 120.5, symbol: 'NVDA' } });
    // the same quote turns stale once it is older than the reader's max age; no price is shown then
    const stale = await waitFor(async () => {
      const b = await j(
        await fetch(`${base}/api/v1/market-data/quotes/NVDA?market=US&max_age_seconds=1`, {
          headers: viewerAuth(),
        }),
      );
      return b.status === 'stale' ? b : null;
    }, 4000);
    expect(stale).toMatchObject({ lastSeenAt: ts.toISOString(), maxAgeSeconds: 1 });
    expect(stale).not.toHaveProperty('quote');
  });

  it.each([
    ['no token', {}, 401, 'missing API token'],
    ['bad token', { authorization: 'Bearer iq_nope' }, 401, 'invalid or revoked API token'],
  ])('refuses ingest with %s', async (_n, headers, status, msg) => {
    const res = await ingest({ quotes: [q(now(), 1)] }, { authorization: '', ...headers });
    expect(res.status).toBe(status);
    expect((await j(res)).error.message).toContain(msg);
  });

  it('refuses ingest from a viewer token (403)', async () => {
    const res = await ingest({ quotes: [q(now(), 1)] }, { authorization: `Bearer ${viewer}` });
    expect(res.status).toBe(403);
  });

  it('answers 415 for a wrong content type, 400 for broken JSON', async () => {
    const res = await ingest('a,b', { 'content-type': 'text/csv' });
    expect(res.status).toBe(415);
    expect((await j(res)).error.message).toContain('content-type must be application/json');
    const broken = await ingest('{"quotes": [');
    expect(broken.status).toBe(400);
    expect((await j(broken)).error.message).toContain('body is not valid JSON');
  });

  it('answers 400 naming row and field, writing nothing of the batch', async () => {
    const before = await count();
    const res = await ingest({
      quotes: [q(new Date(now().getTime() - 1000), 1), { ...q(now(), 1), symbol: 'aa$' }],
    });
    expect(res.status).toBe(400);
    const body = await j(res);
    expect(body.error.message).toMatch(/^quotes\[1\]\.symbol: /);
    expect(body.error.details.issues[0]).toMatchObject({ row: 1, field: 'symbol' });
    expect(await count()).toBe(before);
  });

  it('answers 413 for too many rows and for too many bytes', async () => {
    const rows = Array.from({ length: 10_001 }, () => q(now(), 1));
    const res = await ingest({ quotes: rows });
    expect(res.status).toBe(413);
    expect((await j(res)).error.message).toContain('exceeds the limit of 10000 rows');
    const huge = await ingest(`{"quotes": [], "pad": "${'x'.repeat(5 * 1024 * 1024)}"}`);
    expect(huge.status).toBe(413);
  });

  it.each([
    ['/api/v1/market-data/quotes/AAPL?market=EU', 400, 'market must be one of CN, HK, US'],
    ['/api/v1/market-data/quotes/AAPL', 400, 'market is required'],
    ['/api/v1/market-data/quotes/AAPL?market=CN', 400, "symbol 'AAPL' is not a valid CN symbol"],
    [
      '/api/v1/market-data/quotes/AAPL?market=US&max_age_seconds=0',
      400,
      'max_age_seconds: maxAgeSeconds must be at least 1',
    ],
    ['/api/v1/market-data/quotes/AAPL?market=US&max_age_seconds=99999999', 400, 'at most 604800'],
    ['/api/v1/market-data/quotes/AAPL?market=US&max_age_seconds=abc', 400, 'max_age_seconds'],
    ['/api/v1/market-data/quotes/ZZZZ?market=US', 404, 'unknown symbol: US:ZZZZ'],
    ['/api/v1/nothing', 404, 'no API route'],
  ])('GET %s → %i', async (path, status, msg) => {
    const res = await fetch(base + path, { headers: viewerAuth() });
    expect(res.status).toBe(status);
    expect((await j(res)).error.message).toContain(msg);
  });

  it('serves tRPC with clear input errors and role tiers', async () => {
    const bad = await fetch(
      `${base}/api/trpc/quotes.latest?input=${encodeURIComponent(JSON.stringify({ market: 'US', symbol: 'AAPL', maxAgeSeconds: -5 }))}`,
      { headers: viewerAuth() },
    );
    expect(bad.status).toBe(400);
    const err = (await j(bad)).error;
    expect(err.message).toBe('maxAgeSeconds: maxAgeSeconds must be at least 1');
    const ok = await fetch(
      `${base}/api/trpc/quotes.latest?input=${encodeURIComponent(JSON.stringify({ market: 'US', symbol: 'NVDA', maxAgeSeconds: 600 }))}`,
      { headers: viewerAuth() },
    );
    expect(ok.status).toBe(200);
    expect((await j(ok)).result.data.status).toBe('fresh');
    const anon = await fetch(`${base}/api/trpc/collector.pause`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(anon.status).toBe(401);
    const asViewer = await fetch(`${base}/api/trpc/collector.pause`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}` },
      body: '{}',
    });
    expect(asViewer.status).toBe(403);
    const asAdmin = await fetch(`${base}/api/trpc/collector.pause`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: '{}',
    });
    expect(asAdmin.status).toBe(200);
    const badToken = await fetch(`${base}/api/trpc/system.status`, {
      headers: { authorization: 'Bearer iq_forged' },
    });
    expect(badToken.status).toBe(401);
  });

  it('pushes ingested quotes to an SSE subscriber', async () => {
    const ac = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ symbols: [{ market: 'US', symbol: 'NVDA' }] }));
    const res = await fetch(`${base}/api/trpc/quotes.live?input=${input}`, {
      signal: ac.signal,
      headers: { accept: 'text/event-stream', ...viewerAuth() },
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const ts = new Date(now().getTime() - 500);
    // wait for the subscription to be registered before ingesting
    await waitFor(() => rt.hub.subscriberCount > 0, 5000, 'subscriber');
    await ingest({ quotes: [q(ts, 133.25)] });
    await waitFor(
      async () => {
        const { value } = await reader.read();
        text += new TextDecoder().decode(value);
        return text.includes('133.25');
      },
      5000,
      'live quote event',
    );
    ac.abort();
    expect(text).toContain(ts.toISOString());
  });

  it('reports health and Prometheus metrics', async () => {
    const h = await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${admin}` } });
    expect(h.status).toBe(200);
    const body = await j(h);
    expect(body.database).toMatchObject({ status: 'ok', quotesStorage: 'native' });
    expect(body.breakers).toHaveProperty('provider:demo');
    const m = await (
      await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${admin}` } })
    ).text();
    expect(m).toContain('investiq_quotes_ingested_total{path="http"}');
    expect(m).toContain('investiq_http_request_duration_seconds_bucket');
    // every breaker of /api/health as a gauge (deploy/prometheus alert rules use it), closed here
    expect(m).toContain('investiq_breaker_state{policy="provider:demo"} 0');
    expect(m).toContain('investiq_breaker_state{policy="inference:sentiment"} 0');
  });

  it('keeps serving after all of the above', async () => {
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });
});
