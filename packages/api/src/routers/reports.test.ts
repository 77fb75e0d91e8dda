import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { createApiHandler } from '../http/index';
import type { Runtime } from '../runtime';
import { createTestRuntime } from '../test-support/runtime';

// tRPC reports procedures over real HTTP: roles and bad input. The inference services are not running
// (closed port), so reports complete with those sections unavailable — enough for the API contract.
// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();

let rt: Runtime;
let server: Server;
let base: string;
let analyst: string;
let viewer: string;
let admin: string;

beforeAll(async () => {
  const closed = 'http://127.0.0.1:9';
  rt = await createTestRuntime({
    config: {
      inference: {
        urls: { llm: closed, sentiment: closed, timeseries: closed, 'cpu-timeseries': closed },
        timeoutMs: { llm: 500, sentiment: 500, timeseries: 500, 'cpu-timeseries': 500 },
      },
    },
  });
  const handler = createApiHandler(rt);
  server = createServer((req, res) => {
    handler(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
      () => res.end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  analyst = (await createApiToken(rt.db, { name: 'analyst', role: 'analyst' })).token;
  viewer = (await createApiToken(rt.db, { name: 'viewer', role: 'viewer' })).token;
  admin = (await createApiToken(rt.db, { name: 'admin', role: 'admin' })).token;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await rt?.close();
});

const create = (input: unknown, token?: string) =>
  fetch(`${base}/api/trpc/reports.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
const query = (path: string, input: unknown, token = viewer) =>
  fetch(`${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { authorization: `Bearer ${token}` },
  });

describe('reports API', () => {
  it('needs a signed-in analyst to create, a viewer to read', async () => {
    expect((await create({ market: 'US', symbol: 'AAPL' })).status).toBe(401);
    const asViewer = await create({ market: 'US', symbol: 'AAPL' }, viewer);
    expect(asViewer.status).toBe(403);
    expect((await j(asViewer)).error.message).toMatch(/analyst/);

    const ok = await create({ market: 'US', symbol: 'AAPL', modules: ['profile', 'sentiment'] }, analyst);
    expect(ok.status).toBe(200);
    const { id } = (await j(ok)).result.data;
    await rt.reports.wait(id);
    const got = await j(await query('reports.get', { id }));
    expect(got.result.data).toMatchObject({
      status: 'complete',
      createdBy: 'token:analyst',
      degradedSections: 1,
    });
    const sentiment = got.result.data.sections.find((s: { module: string }) => s.module === 'sentiment');
    expect(sentiment).toMatchObject({ status: 'unavailable' });
    expect(sentiment.error).toMatch(/sentiment service unreachable/);
    const list = await j(await query('reports.list', { symbol: 'aap' }));
    expect(list.result.data.map((r: { id: string }) => r.id)).toContain(id);
    const md = await j(await query('reports.markdown', { id }));
    expect(md.result.data.filename).toMatch(/^investiq-US-AAPL-\d{4}-\d{2}-\d{2}\.md$/);
    expect(md.result.data.markdown).toContain('sentiment | unavailable');
    const metrics = await (
      await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${admin}` } })
    ).text();
    expect(metrics).toMatch(/investiq_report_sections_total\{module="sentiment",status="unavailable"\} 1/);
    expect(metrics).toMatch(/investiq_report_duration_seconds_count\{status="complete"\} 1/);
  });

  it.each([
    [{ market: 'US', symbol: '600519.SH' }, /not a valid US symbol/],
    [{ market: 'XX', symbol: 'AAPL' }, /market must be one of CN, HK, US/],
    [{ market: 'US', symbol: 'AAPL', modules: ['astrology'] }, /module must be one of profile/],
    [{ market: 'US', symbol: 'AAPL', asOf: '2024-13-45' }, /asOf must be a date YYYY-MM-DD/],
    [{ market: 'US', symbol: 'AAPL', asOf: '2999-01-01' }, /asOf must be a past date/],
    [{ market: 'US', symbol: 'AAPL', language: 'fr' }, /language/],
  ])('refuses %j with 400', async (input, msg) => {
    const res = await create(input, analyst);
    expect(res.status).toBe(400);
    expect((await j(res)).error.message).toMatch(msg);
  });

  it('answers 404 for an unknown symbol or report, 400 for a malformed id', async () => {
    const unknown = await create({ market: 'US', symbol: 'ZZZZ' }, analyst);
    expect(unknown.status).toBe(404);
    expect((await j(unknown)).error.message).toBe('unknown symbol: US:ZZZZ');
    expect((await query('reports.get', { id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    const bad = await query('reports.get', { id: 'nope' });
    expect(bad.status).toBe(400);
    expect((await j(bad)).error.message).toMatch(/id must be a report id/);
  });

  it('shows inference health and every breaker in /api/health', async () => {
    const h = await j(await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${admin}` } }));
    expect(h.status).toBe('degraded'); // inference services are down in this test
    expect(Object.keys(h.inference).sort()).toEqual(['cpu-timeseries', 'llm', 'sentiment', 'timeseries']);
    expect(h.inference.sentiment).toMatchObject({ reachable: false, status: 'down' });
    expect(h.breakers).toMatchObject({
      'inference:llm': expect.any(String),
      'inference:sentiment': expect.any(String),
      'inference:timeseries': expect.any(String),
      'inference:cpu-timeseries': expect.any(String),
      'provider:demo:reports': 'closed',
    });
  });
});
