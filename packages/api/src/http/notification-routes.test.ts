import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { createUser } from '../auth/users';
import { type ApiServer, startApiServer } from '../test-support/api-server';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();
const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const SECRET = 'rest-webhook-secret-123456';

describe(`REST /api/v1/notification-channels (${DB})`, () => {
  let api: ApiServer;
  let analyst: string;
  let otherAnalyst: string;
  let viewer: string;
  let admin: string;

  beforeAll(async () => {
    // no OUTBOUND_ALLOW_PRIVATE here: private destinations are refused
    api = await startApiServer();
    const ana = await createUser(api.rt.db, { username: 'ana', password: 'ana-password-1', role: 'analyst' });
    const bo = await createUser(api.rt.db, { username: 'bo', password: 'bo-password-12', role: 'analyst' });
    analyst = (await createApiToken(api.rt.db, { name: 'ana-script', role: 'analyst', ownerId: ana.id }))
      .token;
    otherAnalyst = (await createApiToken(api.rt.db, { name: 'bo-script', role: 'analyst', ownerId: bo.id }))
      .token;
    viewer = (await createApiToken(api.rt.db, { name: 'viewer', role: 'viewer' })).token;
    admin = (await createApiToken(api.rt.db, { name: 'admin', role: 'admin' })).token;
  });
  afterAll(async () => {
    await api?.close();
  });

  const call = (method: string, path: string, token: string | null, body?: unknown) =>
    fetch(`${api.base}/api/v1/notification-channels${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  const hook = { type: 'webhook', name: 'CI hook', url: 'http://93.184.216.34/hook', secret: SECRET };

  it('creates a webhook channel: 201 with its id; GET shows it with the secret masked; DELETE removes it', async () => {
    const res = await call('POST', '', analyst, hook);
    expect(res.status).toBe(201);
    const created = await j(res);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    const list = await j(await call('GET', '', analyst));
    expect(list.channels.map((c: { id: string }) => c.id)).toEqual([created.id]);
    const one = await call('GET', `/${created.id}`, analyst);
    expect(one.status).toBe(200);
    const body = await j(one);
    expect(body).toMatchObject({ type: 'webhook', name: 'CI hook', config: { url: hook.url } });
    expect(body.secret.secret).toBe('••••••3456');
    expect(JSON.stringify(body)).not.toContain(SECRET);
    expect(api.logs.text).not.toContain(SECRET);
    // another analyst does not see it (and cannot delete it)
    expect((await j(await call('GET', '', otherAnalyst))).channels).toEqual([]);
    expect((await call('DELETE', `/${created.id}`, otherAnalyst)).status).toBe(404);
    // an admin sees every channel
    expect((await j(await call('GET', '', admin))).channels.map((c: { id: string }) => c.id)).toContain(
      created.id,
    );
    const del = await call('DELETE', `/${created.id}`, analyst);
    expect(del.status).toBe(204);
    expect((await call('GET', `/${created.id}`, analyst)).status).toBe(404);
  });

  it.each([
    [{ ...hook, url: undefined }, /^url: /],
    [{ ...hook, url: 'not a url' }, /^url: /],
    [{ ...hook, secret: 'short' }, /^secret: /],
    [{ ...hook, name: '' }, /^name: /],
    [{ ...hook, type: 'fax' }, /^type: /],
    [{ ...hook, extra: 1 }, /extra/],
    [{ type: 'telegram', name: 't', chatId: 'x', botToken: '1:2' }, /^chatId: .*botToken: /],
    ['{"type":', /^body: not valid JSON/],
    [[1, 2], /^body: /],
  ])('400 naming the field for %j', async (body, message) => {
    const res = await call('POST', '', analyst, body);
    expect(res.status).toBe(400);
    expect((await j(res)).error.message).toMatch(message);
  });

  it('refuses a link-local (cloud metadata) destination with 400 when private destinations are not allowed', async () => {
    const res = await call('POST', '', analyst, { ...hook, url: 'http://169.254.169.254/latest/meta-data/' });
    expect(res.status).toBe(400);
    expect((await j(res)).error.message).toMatch(/^url: .*169\.254\.169\.254 \(linkLocal\)/);
    const lan = await call('POST', '', analyst, { ...hook, url: 'http://[::ffff:192.168.1.9]:8080/' });
    expect(lan.status).toBe(400);
  });

  it('401 without a token, 403 for a viewer token, nothing written', async () => {
    const anon = await call('POST', '', null, hook);
    expect(anon.status).toBe(401);
    const view = await call('POST', '', viewer, hook);
    expect(view.status).toBe(403);
    expect((await call('GET', '', viewer)).status).toBe(403);
    const n = await api.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notification_channels WHERE name = 'CI hook'`,
    );
    expect(n[0]!.n).toBe(0);
  });

  it('405 names the allowed methods of a path', async () => {
    const res = await call('PUT', '/00000000-0000-4000-8000-000000000000', analyst);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, DELETE');
  });
});
