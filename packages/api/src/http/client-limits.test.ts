import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { createUser } from '../auth/users';
import { clientIp, parseTrustProxy } from '../security/client-ip';
import { purgeExpiredRateLimits } from '../security/rate-limits';
import { setSetting } from '../settings/service';
import { type ApiServer, cookieFrom, startApiServer } from '../test-support/api-server';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();
const PG = process.env.TEST_DATABASE_URL;
const DB = PG ? 'PostgreSQL' : 'PGlite';
const METRICS_TOKEN = 'metrics-credential-0123456789abcdef';

const fakeReq = (remoteAddress: string, xff?: string) =>
  ({
    socket: { remoteAddress },
    headers: xff ? { 'x-forwarded-for': xff } : {},
  }) as unknown as IncomingMessage;

describe('TRUST_PROXY: which X-Forwarded-For entry is the client', () => {
  it('parses false, hop counts and address lists, and names a bad value', () => {
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => parseTrustProxy('10.0.0.0/99')).toThrow(/TRUST_PROXY/);
  });

  it('walks from the right: entries a client prepends are never taken', () => {
    const req = fakeReq('10.0.0.2', 'forged-by-client, 198.51.100.7, 10.0.0.1');
    expect(clientIp(req, false)).toBe('10.0.0.2');
    expect(clientIp(req, 1)).toBe('10.0.0.1');
    expect(clientIp(req, 2)).toBe('198.51.100.7');
    expect(clientIp(req, ['10.0.0.0/8'])).toBe('198.51.100.7');
    // a hop count larger than the chain ends at the leftmost entry, as proxy-addr does
    expect(clientIp(fakeReq('10.0.0.2', '198.51.100.7'), 1)).toBe('198.51.100.7');
    expect(clientIp(fakeReq('::ffff:127.0.0.1'), 1)).toBe('127.0.0.1');
  });
});

describe(`client IP, sign-in limits, monitoring credentials (${DB})`, () => {
  let s: ApiServer;
  let counter: Server;
  let serviceCalls = 0;
  let viewerToken: string;

  beforeAll(async () => {
    // stands in for the four inference services: counts how often /api/health reaches them
    counter = createServer((_req, res) => {
      serviceCalls++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    });
    await new Promise<void>((r) => counter.listen(0, '127.0.0.1', r));
    const svc = `http://127.0.0.1:${(counter.address() as AddressInfo).port}`;
    s = await startApiServer({
      config: {
        // the test's requests come from 127.0.0.1, playing one reverse proxy that appends X-Forwarded-For
        security: { trustProxy: 1, metricsToken: METRICS_TOKEN },
        healthCacheMs: 60_000,
        inference: {
          urls: { llm: svc, sentiment: svc, timeseries: svc, 'cpu-timeseries': svc },
          timeoutMs: { llm: 1000, sentiment: 1000, timeseries: 1000, 'cpu-timeseries': 1000 },
        },
      },
    });
    await setSetting(
      s.rt.db,
      'security.rateLimits',
      {
        anonymousPerIpPerMinute: 1000,
        userPerMinute: 1000,
        tokenPerMinute: 1000,
        loginPerIpPer15Minutes: 1000,
        loginPerUsernamePer15Minutes: 3,
        loginFailuresPerUsernamePerHour: 6,
        authFailuresPerIpPer15Minutes: 4,
      },
      'system',
    );
    await createUser(s.rt.db, { username: 'owner', password: 'owner-password-1', role: 'admin' });
    viewerToken = (await createApiToken(s.rt.db, { name: 'viewer', role: 'viewer' })).token;
  });
  afterAll(async () => {
    await s?.close();
    counter?.closeAllConnections();
    await new Promise((r) => counter?.close(r));
  });

  const login = (password: string, ip: string, username = 'owner') =>
    fetch(`${s.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ username, password }),
    });
  const HOME = '203.0.113.10';

  it('audits the address the trusted proxy saw, not one the client wrote into X-Forwarded-For', async () => {
    expect((await login('owner-password-1', `6.6.6.6, ${HOME}`)).status).toBe(200);
    const rows = await s.rt.db.query<{ ip: string }>(
      `SELECT ip FROM audit_log WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]!.ip).toBe(HOME);
  });

  it('failed sign-ins lock the guessing (username, IP) pair, not the owner signing in from elsewhere', async () => {
    for (let i = 0; i < 3; i++) expect((await login(`guess-${i}-xxxxxx`, '198.51.100.1')).status).toBe(401);
    const blocked = await login('owner-password-1', '198.51.100.1');
    expect(blocked.status).toBe(429);
    expect((await j(blocked)).error.message).toContain("rate limit 'loginUsernameIp' exceeded");
    expect((await login('owner-password-1', HOME)).status).toBe(200);
  });

  it('a distributed guesser runs into the per-username limit; the owner at a known IP still signs in', async () => {
    // 3 failures above + 3 from other addresses = the per-username limit of 6
    for (const ip of ['198.51.100.2', '198.51.100.3', '198.51.100.4'])
      expect((await login('wrong-password-x', ip)).status).toBe(401);
    const fresh = await login('owner-password-1', '198.51.100.99');
    expect(fresh.status).toBe(429);
    expect((await j(fresh)).error.message).toContain("rate limit 'loginUsername' exceeded");
    const home = await login('owner-password-1', HOME);
    expect(home.status).toBe(200);
    expect(cookieFrom(home)).toMatch(/^iq_session=/);
  });

  it('invalid API tokens count per IP: past the limit that IP gets 429, other IPs do not', async () => {
    const call = (token: string, ip: string) =>
      fetch(`${s.base}/api/trpc/quotes.limits`, {
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip },
      });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await call(`iq_forged_${i}`, '192.0.2.50')).status);
    expect(codes).toEqual([401, 401, 401, 401, 429, 429]);
    // REST routes share the counter
    const rest = await fetch(`${s.base}/api/v1/market-data/quotes/AAPL?market=US`, {
      headers: { authorization: 'Bearer iq_forged_rest', 'x-forwarded-for': '192.0.2.50' },
    });
    expect(rest.status).toBe(429);
    expect((await call(viewerToken, '192.0.2.51')).status).toBe(200);
  });

  it.skipIf(!PG)('expired counters are purged from the PostgreSQL rate-limit table', async () => {
    await s.rt.db.query(
      `INSERT INTO rate_limits (key, points, expire) VALUES ('iq_test_old', 1, $1), ('iq_test_live', 1, $2)`,
      [Date.now() - 1000, Date.now() + 600_000],
    );
    expect((await purgeExpiredRateLimits(s.rt.db)).deleted).toBeGreaterThanOrEqual(1);
    const left = await s.rt.db.query<{ key: string }>(
      `SELECT key FROM rate_limits WHERE key LIKE 'iq_test_%' ORDER BY key`,
    );
    expect(left.map((r) => r.key)).toEqual(['iq_test_live']);
  });

  it('/api/metrics wants METRICS_TOKEN or an admin; coming from loopback is not enough', async () => {
    const plain = await fetch(`${s.base}/api/metrics`);
    expect(plain.status).toBe(401);
    expect((await j(plain)).error.message).toContain('METRICS_TOKEN');
    const withToken = await fetch(`${s.base}/api/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('investiq_http_request_duration_seconds');
    const viewer = await fetch(`${s.base}/api/metrics`, {
      headers: { authorization: `Bearer ${viewerToken}`, 'x-forwarded-for': '192.0.2.60' },
    });
    expect(viewer.status).toBe(403);
    const cookie = cookieFrom(await login('owner-password-1', HOME));
    expect((await fetch(`${s.base}/api/metrics`, { headers: { cookie } })).status).toBe(200);
  });

  it('/api/health: details for admins and METRICS_TOKEN only, one collection per cache interval', async () => {
    const before = serviceCalls;
    const anon = await Promise.all(Array.from({ length: 30 }, () => fetch(`${s.base}/api/health`)));
    const bodies = await Promise.all(anon.map(j));
    for (const b of bodies) expect(Object.keys(b).sort()).toEqual(['status', 'time']);
    // 30 callers, one look at the four services (at most one request each)
    expect(serviceCalls - before).toBeLessThanOrEqual(4);
    expect(serviceCalls - before).toBeGreaterThan(0);
    const forged = await j(
      await fetch(`${s.base}/api/health`, {
        headers: { authorization: 'Bearer iq_forged_health', 'x-forwarded-for': '192.0.2.70' },
      }),
    );
    expect(Object.keys(forged).sort()).toEqual(['status', 'time']);
    const viewer = await j(
      await fetch(`${s.base}/api/health`, { headers: { authorization: `Bearer ${viewerToken}` } }),
    );
    expect(Object.keys(viewer).sort()).toEqual(['status', 'time']);
    const ops = await j(
      await fetch(`${s.base}/api/health`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }),
    );
    expect(ops).toHaveProperty('database');
    expect(ops).toHaveProperty('breakers');
    expect(serviceCalls - before).toBeLessThanOrEqual(4);
  });
});
