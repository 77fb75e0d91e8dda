import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../auth/api-tokens';
import { createUser, updateUser } from '../auth/users';
import { type ApiServer, cookieFrom, startApiServer } from '../test-support/api-server';
import { waitFor } from '../test-support/runtime';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();
const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const LIVE = `/api/trpc/quotes.live?input=${encodeURIComponent(JSON.stringify({ symbols: [] }))}`;

/** Resolves with the time the server ended the stream (read error or end of body). */
const ended = async (res: Response) => {
  const reader = res.body!.getReader();
  try {
    for (;;) if ((await reader.read()).done) break;
  } catch {
    // the server closed the connection: that is the end we wait for
  }
  return Date.now();
};

describe(`SSE streams: cap, duration, re-checked access, slow readers (${DB})`, () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer({
      config: {
        streams: { maxPerPrincipal: 2, recheckMs: 200, stallMs: 300 },
      },
    });
    await createUser(s.rt.db, { username: 'root', password: 'root-password-1', role: 'admin' });
  });
  afterAll(async () => {
    await s?.close();
  });

  const token = async (name: string) => (await createApiToken(s.rt.db, { name, role: 'viewer' })).token;
  const open = (headers: Record<string, string>, ac = new AbortController()) =>
    fetch(s.base + LIVE, { signal: ac.signal, headers: { accept: 'text/event-stream', ...headers } });
  const openStreams = async () => (await s.rt.metrics.sseStreams.get()).values[0]?.value ?? 0;

  it('one principal holds at most maxPerPrincipal streams: one more gets 429, a closed one frees a slot', async () => {
    const auth = { authorization: `Bearer ${await token('capped')}` };
    const acs = [new AbortController(), new AbortController()];
    const first = await Promise.all(acs.map((ac) => open(auth, ac)));
    expect(first.map((r) => r.status)).toEqual([200, 200]);
    const third = await open(auth);
    expect(third.status).toBe(429);
    expect((await j(third)).error.message).toContain('too many live streams');
    // another principal is not affected
    const other = new AbortController();
    expect((await open({ authorization: `Bearer ${await token('other')}` }, other)).status).toBe(200);
    other.abort();
    acs[0]!.abort();
    await waitFor(async () => (await openStreams()) === 1, 5000, 'the aborted streams to be released');
    const again = new AbortController();
    expect((await open(auth, again)).status).toBe(200);
    again.abort();
    acs[1]!.abort();
    await waitFor(async () => (await openStreams()) === 0, 5000, 'all streams released');
  });

  it('a revoked token or a disabled user stops streaming within seconds', async () => {
    const made = await createApiToken(s.rt.db, { name: 'revoked', role: 'viewer' });
    const byToken = await open({ authorization: `Bearer ${made.token}` });
    expect(byToken.status).toBe(200);
    const tokenEnd = ended(byToken);
    const user = await createUser(s.rt.db, {
      username: 'leaver',
      password: 'leaver-password',
      role: 'viewer',
    });
    const login = await fetch(`${s.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'leaver', password: 'leaver-password' }),
    });
    const bySession = await open({ cookie: cookieFrom(login) });
    expect(bySession.status).toBe(200);
    const sessionEnd = ended(bySession);

    const t0 = Date.now();
    await revokeApiToken(s.rt.db, made.id);
    await updateUser(s.rt.db, user.id, { disabled: true });
    const [a, b] = await Promise.all([tokenEnd, sessionEnd]);
    expect(a - t0).toBeLessThan(2_000);
    expect(b - t0).toBeLessThan(2_000);
    expect(s.logs.text).toContain('credential no longer valid');
  });

  it('a client that stops reading is disconnected instead of buffering without bound', async () => {
    const port = Number(new URL(s.base).port);
    const tok = await token('sleepy');
    const sock = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    sock.write(
      `GET ${LIVE} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${tok}\r\n\r\n`,
    );
    const head = await new Promise<string>((resolve) =>
      sock.once('data', (chunk) => resolve(chunk.toString())),
    );
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    sock.pause(); // stop reading: the kernel buffers fill, then the server's writes block
    let round = 0;
    await waitFor(
      async () => {
        // bulky events (8 KB each) through the hub's LISTEN entry point fill the socket buffers quickly
        const ts = new Date(Date.now() - 1000 + round++).toISOString();
        const items = Array.from({ length: 200 }, (_, i) => [
          'US',
          `${i}:${'X'.repeat(8192)}`,
          ts,
          'test',
          100 + i,
          100,
          101,
          99,
          100,
          1000,
        ]);
        s.rt.hub.onPayload(JSON.stringify(items));
        await new Promise((r) => setTimeout(r, 20));
        return s.logs.text.includes('"reason":"client stopped reading"');
      },
      40_000,
      'the stalled stream to be closed',
    );
    await waitFor(async () => (await openStreams()) === 0, 5000, 'the stalled stream to be released');
    expect(s.rt.hub.subscriberCount).toBe(0);
    sock.destroy();
  }, 60_000);
});

describe(`SSE streams: maximum duration (${DB})`, () => {
  let d: ApiServer;
  beforeAll(async () => {
    d = await startApiServer({ config: { streams: { maxDurationMs: 2_000 } } });
  });
  afterAll(async () => {
    await d?.close();
  });

  it('a stream ends after maxDurationMs (the client reconnects)', async () => {
    const { token } = await createApiToken(d.rt.db, { name: 'long', role: 'viewer' });
    const t0 = Date.now();
    const res = await fetch(d.base + LIVE, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const end = await ended(res);
    expect(end - t0).toBeGreaterThanOrEqual(1_900);
    expect(end - t0).toBeLessThan(15_000);
    expect(d.logs.text).toContain('"reason":"max duration"');
  });
});
