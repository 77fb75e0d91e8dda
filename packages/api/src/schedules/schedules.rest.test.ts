import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { createUser } from '../auth/users';
import { type ApiServer, startApiServer } from '../test-support/api-server';
import { createWatchlist } from '../watchlists/watchlists';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();
const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

describe(`REST /api/v1/report-schedules (${DB})`, () => {
  let api: ApiServer;
  let ana: string;
  let bo: string;
  let ownerless: string;
  let viewer: string;
  let listId: string;

  beforeAll(async () => {
    api = await startApiServer({ config: { schedules: { tickMs: 3_600_000 } } });
    const a = await createUser(api.rt.db, { username: 'ana', password: 'ana-password-1', role: 'analyst' });
    const b = await createUser(api.rt.db, { username: 'bo', password: 'bo-password-12', role: 'analyst' });
    ana = (await createApiToken(api.rt.db, { name: 'ana', role: 'analyst', ownerId: a.id })).token;
    bo = (await createApiToken(api.rt.db, { name: 'bo', role: 'analyst', ownerId: b.id })).token;
    ownerless = (await createApiToken(api.rt.db, { name: 'ci', role: 'analyst' })).token;
    viewer = (await createApiToken(api.rt.db, { name: 'v', role: 'viewer', ownerId: a.id })).token;
    listId = (await createWatchlist(api.rt.db, a.id, 'mine', { actor: 'user:ana' })).id;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  const call = (method: string, path: string, token: string | null, body?: unknown) =>
    fetch(`${api.base}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });

  it('creates, reads, changes and deletes a schedule; other users see nothing of it', async () => {
    const res = await call('POST', '/report-schedules', ana, {
      watchlistId: listId,
      market: 'US',
      localTime: '16:30',
    });
    expect(res.status).toBe(201);
    const s = await j(res);
    expect(s).toMatchObject({ market: 'US', localTime: '16:30', enabled: true, watchlistName: 'mine' });
    expect(s.next.at).toMatch(/T2[01]:30:00\.000Z$/); // 16:30 New York is 20:30Z (EDT) or 21:30Z (EST)

    const patched = await call('PATCH', `/report-schedules/${s.id}`, ana, {
      localTime: '17:05',
      enabled: false,
    });
    expect(patched.status).toBe(200);
    expect(await j(patched)).toMatchObject({ localTime: '17:05', enabled: false, next: null });
    expect((await j(await call('GET', '/report-schedules', ana))).schedules).toHaveLength(1);
    expect(await j(await call('GET', `/report-schedules/${s.id}/runs`, ana))).toEqual({ runs: [] });

    expect((await call('GET', `/report-schedules/${s.id}`, bo)).status).toBe(404);
    expect((await call('DELETE', `/report-schedules/${s.id}`, bo)).status).toBe(404);
    expect((await j(await call('GET', '/report-schedules', bo))).schedules).toEqual([]);

    expect((await call('DELETE', `/report-schedules/${s.id}`, ana)).status).toBe(204);
    expect((await call('GET', `/report-schedules/${s.id}`, ana)).status).toBe(404);
  });

  it('4xx naming the problem: bad body, another user’s list, no token, viewer, ownerless token', async () => {
    const bad = await call('POST', '/report-schedules', ana, {
      watchlistId: listId,
      market: 'US',
      localTime: '4pm',
    });
    expect(bad.status).toBe(400);
    expect((await j(bad)).error.message).toMatch(/localTime: localTime must be HH:MM/);
    const notMine = await call('POST', '/report-schedules', bo, {
      watchlistId: listId,
      market: 'US',
      localTime: '16:30',
    });
    expect(notMine.status).toBe(400);
    expect((await j(notMine)).error.message).toMatch(/watchlistId: no watchlist/);
    expect((await call('POST', '/report-schedules', ana, '{"watchlistId":')).status).toBe(400);
    expect((await call('GET', '/report-schedules', null)).status).toBe(401);
    expect((await call('GET', '/report-schedules', viewer)).status).toBe(403);
    const ol = await call('GET', '/report-schedules', ownerless);
    expect(ol.status).toBe(403);
    expect((await j(ol)).error.message).toMatch(/token that has an owner/);
    expect(await api.rt.db.query('SELECT id FROM report_schedules')).toEqual([]);
  });
});
