import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError } from '../provider';
import { parseRetryAfter, vendorFetchJson, vendorFetchText } from './http';
import { type ReplayServer, startReplayServer } from './test-support/replay-server';

let server: ReplayServer;

// "你好,贵州茅台" in GBK, as the CN realtime sources send it.
const GBK_BYTES = Uint8Array.from([
  0xc4, 0xe3, 0xba, 0xc3, 0x2c, 0xb9, 0xf3, 0xd6, 0xdd, 0xc3, 0xa9, 0xcc, 0xa8,
]);

beforeAll(async () => {
  server = await startReplayServer([
    { path: '/ok', body: { a: 1, items: [{ price: 2 }] } },
    { path: '/bad-shape', body: { a: 1, items: [{ price: 'x' }] } },
    { path: '/s/401', status: 401, body: { error: 'Invalid API key' } },
    { path: '/s/403', status: 403, body: { error: "You don't have access to this resource." } },
    { path: '/s/404', status: 404, body: '' },
    { path: '/s/429', status: 429, headers: { 'retry-after': '17' }, body: { error: 'API limit reached.' } },
    { path: '/s/400', status: 400, body: { error: 'Wrong resolution' } },
    {
      path: '/s/503',
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Down for maintenance</body></html>',
    },
    {
      path: '/html200',
      headers: { 'content-type': 'text/html' },
      body: '<!DOCTYPE html><html>Maintenance</html>',
    },
    { path: '/truncated', body: '{"c":261.74,"d":-1.1,"dp":-0.42,"h":2' },
    { path: '/empty', body: '' },
    { path: '/gbk', headers: { 'content-type': 'text/plain; charset=GBK' }, body: GBK_BYTES },
    { path: '/hang', hang: true },
    { path: '/slow', delayMs: 50, body: { late: true } },
    { path: '/stall', stallAfterBytes: 10, body: { a: 'a body that never finishes arriving' } },
    { path: '/reset', resetAfterBytes: 10, body: { a: 'a body whose connection drops' } },
    { method: 'POST', path: '/post', body: { ok: true } },
  ]);
});
afterAll(async () => {
  await server.close();
});

async function kindOf(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('vendorFetchJson', () => {
  it('returns parsed, validated JSON and sends query params', async () => {
    const schema = z.object({ a: z.number(), items: z.array(z.object({ price: z.number() })) });
    const v = await vendorFetchJson('t', `${server.url}/ok`, {
      schema,
      query: { symbol: 'AAPL', skip: undefined },
    });
    expect(v.items[0]?.price).toBe(2);
    expect(server.requests.at(-1)?.query).toEqual({ symbol: 'AAPL' });
  });

  it('names the failing field of a wrong shape', async () => {
    const schema = z.object({ a: z.number(), items: z.array(z.object({ price: z.number() })) });
    const e = await kindOf(vendorFetchJson('t', `${server.url}/bad-shape`, { schema }));
    expect(e.kind).toBe('bad_response');
    expect(e.message).toContain('items[0].price');
  });

  it.each([
    ['/s/401', 'unauthorized', 'Invalid API key'],
    ['/s/403', 'forbidden', "You don't have access"],
    ['/s/404', 'not_found', 'HTTP 404'],
    ['/s/400', 'invalid_request', 'Wrong resolution'],
    ['/s/503', 'unavailable', 'Down for maintenance'],
    ['/html200', 'bad_response', 'non-JSON body (text/html)'],
    ['/truncated', 'bad_response', 'malformed JSON'],
    ['/empty', 'bad_response', 'empty body'],
  ])('%s → %s', async (path, kind, text) => {
    const e = await kindOf(vendorFetchJson('t', `${server.url}${path}`));
    expect(e.kind).toBe(kind);
    expect(e.message).toContain(text);
  });

  it('429 carries Retry-After', async () => {
    const e = await kindOf(vendorFetchJson('t', `${server.url}/s/429`));
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterSeconds).toBe(17);
  });

  it('times out on a server that never answers', async () => {
    const e = await kindOf(vendorFetchJson('t', `${server.url}/hang`, { timeoutMs: 100 }));
    expect(e.kind).toBe('timeout');
  });

  it('times out when the body stalls after the headers', async () => {
    const e = await kindOf(vendorFetchJson('t', `${server.url}/stall`, { timeoutMs: 150 }));
    expect(e.kind).toBe('timeout');
  });

  it('a connection dropped mid-body is unavailable', async () => {
    const e = await kindOf(vendorFetchJson('t', `${server.url}/reset`, { timeoutMs: 2_000 }));
    expect(e.kind).toBe('unavailable');
  });

  it('POSTs a JSON body (Tushare-style APIs)', async () => {
    await expect(
      vendorFetchJson('t', `${server.url}/post`, { method: 'POST', body: { api_name: 'daily', token: 'x' } }),
    ).resolves.toEqual({ ok: true });
    const req = server.requests.at(-1);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({ api_name: 'daily', token: 'x' });
  });

  it('a delay within the timeout is fine', async () => {
    await expect(vendorFetchJson('t', `${server.url}/slow`, { timeoutMs: 5_000 })).resolves.toEqual({
      late: true,
    });
  });

  it('connection refused is unavailable', async () => {
    const e = await kindOf(vendorFetchJson('t', 'http://127.0.0.1:1/x', { timeoutMs: 2_000 }));
    expect(e.kind).toBe('unavailable');
  });

  it('never puts a secret in a message', async () => {
    const e = await kindOf(
      vendorFetchJson('t', `${server.url}/s/401`, {
        query: { token: 'sekrit-123' },
        secrets: ['sekrit-123'],
      }),
    );
    expect(e.message).not.toContain('sekrit-123');
    expect(e.message).toContain('token=***');
  });
});

describe('vendorFetchText', () => {
  it('decodes GBK', async () => {
    await expect(vendorFetchText('t', `${server.url}/gbk`, { charset: 'gbk' })).resolves.toBe(
      '你好,贵州茅台',
    );
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-12-03T10:00:00Z');
  it('reads delta-seconds, HTTP dates and X-Ratelimit-Reset', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '5' }), now)).toBe(5);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 03 Dec 2026 10:01:00 GMT' }), now)).toBe(60);
    const reset = String(now.getTime() / 1000 + 42);
    expect(parseRetryAfter(new Headers({ 'x-ratelimit-reset': reset }), now)).toBe(42);
    expect(parseRetryAfter(new Headers({}), now)).toBeUndefined();
  });
});
