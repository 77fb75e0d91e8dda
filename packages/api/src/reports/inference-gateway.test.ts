import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInferenceGateway, ServiceUnavailableError } from './inference-gateway';

// The gateway's policies against real sockets: a server that never answers (slow), a closed port (down),
// and a server that counts attempts. No inference models needed.
let hang: Server;
let counting: Server;
let hits = 0;
const url = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

beforeAll(async () => {
  hang = createServer(() => {}); // accepts, never answers
  counting = createServer((_req, res) => {
    hits++;
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end('{"error":{"code":"loading","message":"model is loading"}}');
  });
  await Promise.all([hang, counting].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
});
afterAll(async () => {
  for (const s of [hang, counting]) s.closeAllConnections();
  await Promise.all([hang, counting].map((s) => new Promise((r) => s.close(r))));
});

const gateway = (sentiment: string, o: { breakerThreshold?: number } = {}) =>
  createInferenceGateway({
    urls: {
      llm: 'http://127.0.0.1:9',
      sentiment,
      timeseries: 'http://127.0.0.1:9',
      'cpu-timeseries': 'http://127.0.0.1:9',
    },
    timeoutMs: { llm: 200, sentiment: 200, timeseries: 200, 'cpu-timeseries': 200 },
    breakerThreshold: o.breakerThreshold ?? 5,
    halfOpenAfterMs: 60_000,
  });

describe('inference gateway policies', () => {
  it('times out a slow service per attempt, retries idempotent calls, then reports it unavailable', async () => {
    const g = gateway(url(hang));
    const started = Date.now();
    const err = await g
      .call('sentiment', (signal) => g.client.sentiment({ texts: ['x'] }, { signal }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect((err as Error).message).toBe('sentiment service did not answer in time');
    // 3 attempts × 200 ms plus jittered backoff; far below the client's own 30 s timeout
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('retries idempotent calls (3 attempts) and names the service error', async () => {
    const g = gateway(url(counting));
    hits = 0;
    const err = await g
      .call('sentiment', (signal) => g.client.sentiment({ texts: ['x'] }, { signal }))
      .catch((e: unknown) => e);
    expect(hits).toBe(3);
    expect((err as Error).message).toBe('sentiment service error 503 loading: sentiment: model is loading');
  });

  it('opens the breaker after repeated failed calls; then fails fast without calling', async () => {
    const g = gateway('http://127.0.0.1:9', { breakerThreshold: 2 });
    const call = () =>
      g
        .call('sentiment', (signal) => g.client.sentiment({ texts: ['x'] }, { signal }))
        .catch((e: unknown) => e);
    expect(((await call()) as Error).message).toMatch(/^sentiment service unreachable/);
    await call();
    expect(g.breakerStates()['inference:sentiment']).toBe('open');
    const started = Date.now();
    expect(((await call()) as Error).message).toBe(
      'sentiment service circuit breaker is open after repeated failures; not called',
    );
    expect(Date.now() - started).toBeLessThan(50);
    expect(g.breakerStates()['inference:timeseries']).toBe('closed');
    const h = await g.health('sentiment');
    expect(h).toMatchObject({ reachable: false, breaker: 'open', status: 'down' });
  });

  it('applies endpoints changed at run time and returns to the configured ones', () => {
    const g = gateway(url(counting));
    g.configure({
      urls: { llm: 'http://a', sentiment: 'http://b', timeseries: 'http://c', 'cpu-timeseries': 'http://d' },
      timeoutMs: { llm: 1, sentiment: 2, timeseries: 3, 'cpu-timeseries': 4 },
    });
    expect(g.config.urls.sentiment).toBe('http://b');
    expect(g.config.timeoutMs['cpu-timeseries']).toBe(4);
    g.configure(null);
    expect(g.config.urls.sentiment).toBe(url(counting));
    expect(g.config.timeoutMs.sentiment).toBe(200);
  });
});

describe('a refused input', () => {
  it('is not retried and does not trip the breaker', async () => {
    let n = 0;
    const bad = createServer((_req, res) => {
      n++;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"bad_request","message":"series[0]: needs at least 64 points"}}');
    });
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    try {
      const g = gateway(url(bad), { breakerThreshold: 1 });
      for (let i = 0; i < 3; i++) {
        const err = await g
          .call('sentiment', (signal) => g.client.sentiment({ texts: ['x'] }, { signal }))
          .catch((e: unknown) => e);
        expect((err as Error).message).toBe(
          'sentiment rejected the input: sentiment: series[0]: needs at least 64 points',
        );
      }
      expect(n).toBe(3);
      expect(g.breakerStates()['inference:sentiment']).toBe('closed');
    } finally {
      bad.closeAllConnections();
      await new Promise((r) => bad.close(r));
    }
  });
});

describe('talking to the services safely', () => {
  it('sends the bearer token and its caller name, and never follows a redirect', async () => {
    const seen: { authorization?: string; caller?: string }[] = [];
    let targetHits = 0;
    const target = createServer((_req, res) => {
      targetHits++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"results":[]}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const redirector = createServer((req, res) => {
      seen.push({
        authorization: req.headers.authorization,
        caller: req.headers['x-inference-caller'] as string | undefined,
      });
      res.writeHead(307, { location: `${url(target)}${req.url}` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const g = createInferenceGateway({
        urls: {
          llm: url(redirector),
          sentiment: url(redirector),
          timeseries: 'http://127.0.0.1:9',
          'cpu-timeseries': 'http://127.0.0.1:9',
        },
        timeoutMs: { llm: 1_000, sentiment: 1_000, timeseries: 200, 'cpu-timeseries': 200 },
        token: 'gateway-test-token-0123456789',
        caller: 'web:test',
      });
      const err = await g
        .call('sentiment', (signal) => g.client.sentiment({ texts: ['x'] }, { signal }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect((err as Error).message).toContain('redirect_refused');
      const chat = await g
        .streamChat({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 5, temperature: 0 }, () => {})
        .catch((e: unknown) => e);
      expect(chat).toBeInstanceOf(ServiceUnavailableError);
      expect(targetHits).toBe(0);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      for (const h of seen) {
        expect(h.authorization).toBe('Bearer gateway-test-token-0123456789');
        expect(h.caller).toBe('web:test');
      }
    } finally {
      for (const s of [target, redirector]) s.closeAllConnections();
      await Promise.all([target, redirector].map((s) => new Promise((r) => s.close(r))));
    }
  });

  it('never shows credentials an endpoint URL carries (health, failure reasons)', async () => {
    const port = (counting.address() as AddressInfo).port;
    const g = gateway(`http://admin:s3cret-pw@127.0.0.1:${port}`);
    const health = await g.health('sentiment');
    expect(health.url).toBe(`http://127.0.0.1:${port}`);
    expect(JSON.stringify(health)).not.toContain('s3cret');
    const err = await g
      .call('sentiment', (signal) => g.client.sentiment({ texts: ['x'] }, { signal }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect((err as Error).message).not.toContain('s3cret');
    expect((err as Error).message).not.toContain('admin');
  });
});
