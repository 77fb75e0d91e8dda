import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { createSession, SESSION_COOKIE } from '../auth/sessions';
import { createUser } from '../auth/users';
import { type ApiServer, startApiServer } from '../test-support/api-server';

// One test per finding of issue 11 fixed here (1: cross-site GET, 6: ingest bounds / escapes / source,
// 12: page guard decoding, 413 instead of a reset), each against the real HTTP handler and database.

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();
const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

/** A raw HTTP/1.1 request with a chunked body (no Content-Length), answered or failed — never hanging. */
function chunked(
  base: string,
  path: string,
  headers: Record<string, string>,
  chunks: Iterable<Buffer>,
): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, {
      method: 'POST',
      headers: { ...headers, 'transfer-encoding': 'chunked' },
    });
    const timer = setTimeout(() => req.destroy(new Error('no answer within 20 s')), 20_000);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message });
    });
    (async () => {
      for (const c of chunks) {
        if (req.destroyed) return;
        if (!req.write(c)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch(() => {});
  });
}

describe(`hardening against hostile input (${DB})`, () => {
  let s: ApiServer;
  let adminCookie: string;
  let viewerCookie: string;
  let analyst: string;

  beforeAll(async () => {
    s = await startApiServer({ pages: true });
    const session = async (username: string, role: 'viewer' | 'admin') => {
      const u = await createUser(s.rt.db, { username, password: `${username}-password-1`, role });
      const { token } = await createSession(s.rt.db, u.id, { now: new Date(), ttlSeconds: 3600 });
      return `${SESSION_COOKIE}=${token}`;
    };
    adminCookie = await session('ada', 'admin');
    viewerCookie = await session('vic', 'viewer');
    analyst = (await createApiToken(s.rt.db, { name: 'feed', role: 'analyst' })).token;
  });
  afterAll(async () => {
    await s?.close();
  });

  const count = async () =>
    (await s.rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM realtime_quotes'))[0]!.n;
  const ingest = (quotes: unknown[]) =>
    fetch(`${s.base}/api/v1/market-data/quotes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` },
      body: JSON.stringify({ quotes }),
    });
  const row = (over: Record<string, unknown> = {}) => ({
    market: 'US',
    symbol: 'AAPL',
    ts: new Date(Date.now() - 5_000).toISOString(),
    price: 190.5,
    ...over,
  });

  describe('finding 1: computing GET procedures refuse cross-site requests', () => {
    const preview = `/api/trpc/prompts.preview?input=${encodeURIComponent(
      JSON.stringify({
        body: `{{facts}}{{${' '.repeat(4000)}`,
        language: 'en',
        market: 'US',
        symbol: 'AAPL',
      }),
    )}`;
    it.each([
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['an unreadable Origin', { origin: 'null' }],
    ])('prompts.preview with an admin cookie and %s → 403', async (_n, headers) => {
      const res = await fetch(s.base + preview, { headers: { cookie: adminCookie, ...headers } });
      expect(res.status).toBe(403);
      expect((await j(res)).error.message).toContain('cross-site request refused');
    });

    it('the same request from our own page (same-origin) or the address bar (none) is served', async () => {
      for (const site of ['same-origin', 'none']) {
        const res = await fetch(`${s.base}/api/trpc/prompts.list`, {
          headers: { cookie: adminCookie, 'sec-fetch-site': site },
        });
        expect(res.status, site).toBe(200);
      }
    });
  });

  describe('finding 6: ingest refuses what numeric(20,6) cannot hold, names row and field', () => {
    it.each([
      ['price 1e15 (overflow)', { price: 1e15 }, 'quotes[1].price: price must be less than 100000000000000'],
      ['price 1e14', { price: 1e14 }, 'quotes[1].price: price must be less than'],
      [
        'price 1e-9 (would be stored as 0)',
        { price: 1e-9 },
        'quotes[1].price: price must be at least 0.000001',
      ],
      [
        'price with 7 decimals',
        { price: 1.1234567 },
        'quotes[1].price: price has more than 6 decimal places',
      ],
      ['open 1e300', { open: 1e300 }, 'quotes[1].open: open must be less than'],
      ['high 1e-7', { high: 1e-7 }, 'quotes[1].high: high must be at least 0.000001'],
      ['prevClose 2e14', { prevClose: 2e14 }, 'quotes[1].prevClose: prevClose must be less than'],
    ])('%s → 400, nothing written', async (_n, over, message) => {
      const before = await count();
      const res = await ingest([row(), row(over)]);
      expect(res.status).toBe(400);
      expect((await j(res)).error.message).toContain(message);
      expect(await count()).toBe(before);
    });

    it('accepts the extremes the column holds and float noise such as 0.1 + 0.2', async () => {
      const t = Date.now() - 60_000;
      const res = await ingest([
        row({ symbol: 'BIG', price: 99_999_999_999_999.98, ts: new Date(t).toISOString() }),
        row({ symbol: 'TINY', price: 0.000001, ts: new Date(t).toISOString() }),
        row({ symbol: 'NOISE', price: 0.1 + 0.2, ts: new Date(t).toISOString() }),
      ]);
      expect(res.status).toBe(200);
      const stored = await s.rt.db.query<{ symbol: string; price: string }>(
        "SELECT symbol, price::text AS price FROM realtime_quotes WHERE symbol IN ('BIG', 'TINY', 'NOISE') ORDER BY symbol",
      );
      expect(stored).toEqual([
        { symbol: 'BIG', price: '99999999999999.980000' },
        { symbol: 'NOISE', price: '0.300000' },
        { symbol: 'TINY', price: '0.000001' },
      ]);
    });

    it.each([
      ['demo', 'demo'],
      ['another provider id', 'finnhub'],
      ['ingest', 'ingest'],
      ['api look-alike', 'apix'],
    ])('a caller-chosen source that is not ours (%s) → 400', async (_n, source) => {
      const before = await count();
      const res = await ingest([row({ source })]);
      expect(res.status).toBe(400);
      expect((await j(res)).error.message).toContain(
        "quotes[0].source: source must be 'api' or start with 'api.'",
      );
      expect(await count()).toBe(before);
    });

    it("stores 'api' by default and accepts an 'api.<label>' source", async () => {
      const ts = new Date(Date.now() - 30_000).toISOString();
      expect(
        (await ingest([row({ symbol: 'SRC', ts }), row({ symbol: 'SRC', ts, source: 'api.feed-1' })])).status,
      ).toBe(200);
      const rows = await s.rt.db.query<{ source: string }>(
        "SELECT source FROM realtime_quotes WHERE symbol = 'SRC' ORDER BY source",
      );
      expect(rows.map((r) => r.source)).toEqual(['api', 'api.feed-1']);
    });

    it.each([
      ['%', 400],
      ['%E0%A4%A', 400],
      ['%zz', 400],
      ['AAPL%', 400],
      ['%25', 400],
      ['%00', 400],
    ])('a malformed or hostile escape in the REST symbol (%s) → %i, not 500', async (sym, status) => {
      const res = await fetch(`${s.base}/api/v1/market-data/quotes/${sym}?market=US`, {
        headers: { authorization: `Bearer ${analyst}` },
      });
      expect(res.status).toBe(status);
      expect((await j(res)).error.message).toMatch(/symbol/);
    });
  });

  describe('finding 12: the page guard decides on the decoded path', () => {
    it.each([
      ['/%61dmin', '/'],
      ['/%61%64%6d%69%6e/users', '/'],
      ['/ADMIN', '/'],
      ['/Admin/tokens', '/'],
      ['//admin', '/'],
      ['/reports/..%2fadmin', '/'],
      ['/%2fadmin', '/'],
      ['/%2561dmin', '/'],
      ['/_next/..%2fadmin', '/'],
    ])('a viewer asking for %s is sent to %s', async (path, to) => {
      const res = await fetch(s.base + path, { headers: { cookie: viewerCookie }, redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(to);
    });

    it('an anonymous visitor asking for an encoded /admin goes to /login', async () => {
      const res = await fetch(`${s.base}/%61dmin`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toMatch(/^\/login\?next=/);
    });

    it.each(['/symbol/US/%E0%A4%A', '/symbol/US/%', '/%zz', '/reports/%C0%AF'])(
      'a malformed escape in a page path (%s) → 400, not 500',
      async (path) => {
        const res = await fetch(s.base + path, { headers: { cookie: viewerCookie }, redirect: 'manual' });
        expect(res.status).toBe(400);
        expect((await j(res)).error.message).toContain('percent-encoding');
      },
    );

    it('still serves what each role may see', async () => {
      expect((await fetch(`${s.base}/symbol/US/AAPL`, { headers: { cookie: viewerCookie } })).status).toBe(
        200,
      );
      const admin = await fetch(`${s.base}/%61dmin`, {
        headers: { cookie: adminCookie },
        redirect: 'manual',
      });
      expect(admin.status).toBe(200);
    });
  });

  describe('finding 12: oversized bodies answer 413 with a JSON error, not a connection reset', () => {
    const big = (n: number, size = 64 * 1024) => Array.from({ length: n }, () => Buffer.alloc(size, 0x20));

    it('login with an 8 MiB body (Content-Length) → 413', async () => {
      const res = await fetch(`${s.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"username":"ada","password":"${'x'.repeat(8 * 1024 * 1024)}"}`,
      });
      expect(res.status).toBe(413);
      expect((await j(res)).error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('login with an 8 MiB chunked body → 413', async () => {
      const res = await chunked(s.base, '/api/auth/login', { 'content-type': 'application/json' }, big(128));
      expect(res).toMatchObject({ status: 413 });
      expect(JSON.parse((res as { body: string }).body).error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('ingest with a 5 MiB chunked body → 413, nothing written', async () => {
      const before = await count();
      const res = await chunked(
        s.base,
        '/api/v1/market-data/quotes',
        { 'content-type': 'application/json', authorization: `Bearer ${analyst}` },
        [Buffer.from('{"quotes":['), ...big(80)],
      );
      expect(res).toMatchObject({ status: 413 });
      expect(JSON.parse((res as { body: string }).body).error.message).toContain('exceeds the limit');
      expect(await count()).toBe(before);
    });

    it('keeps serving afterwards', async () => {
      expect((await fetch(`${s.base}/api/health`)).status).toBe(200);
    });
  });
});
