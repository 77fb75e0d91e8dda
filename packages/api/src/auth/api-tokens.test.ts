import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit-log';
import { setSetting } from '../settings/service';
import { type ApiServer, cookieFrom, startApiServer } from '../test-support/api-server';
import { waitFor } from '../test-support/runtime';
import { createUser } from './users';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();
const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const DAY = 86_400_000;

describe(`API tokens have an owner, an expiry and a last use (${DB})`, () => {
  let s: ApiServer;
  let clock = Date.now();
  let cookie: string;
  let bossId: string;
  let annaId: string;

  beforeAll(async () => {
    s = await startApiServer({ now: () => new Date(clock) });
    bossId = (await createUser(s.rt.db, { username: 'boss', password: 'boss-password-1', role: 'admin' })).id;
    annaId = (await createUser(s.rt.db, { username: 'anna', password: 'anna-password-1', role: 'analyst' }))
      .id;
    const res = await fetch(`${s.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'boss', password: 'boss-password-1' }),
    });
    cookie = cookieFrom(res);
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${s.base}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
  const create = async (body: unknown) => (await j(await post('tokens.create', body))).result.data;
  const list = async () =>
    (await j(await fetch(`${s.base}/api/trpc/tokens.list`, { headers: { cookie } }))).result.data as {
      id: string;
      owner: { username: string } | null;
      expiresAt: string | null;
      lastUsedAt: string | null;
    }[];
  const use = (token: string, path = 'quotes.limits') =>
    fetch(`${s.base}/api/trpc/${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('a new token belongs to the admin who made it, expires after the configured maximum, records its use', async () => {
    const made = await create({ name: 'feed', role: 'analyst' });
    expect(made.ownerId).toBe(bossId);
    expect(Date.parse(made.expiresAt) - clock).toBe(365 * DAY);
    expect((await use(made.token)).status).toBe(200);
    // last use is recorded without holding up the request: wait for it
    const row = await waitFor(
      async () => (await list()).find((t) => t.id === made.id && t.lastUsedAt !== null),
      5000,
      'last use recorded',
    );
    expect(row.owner?.username).toBe('boss');
    expect(row.expiresAt).toBe(made.expiresAt);
  });

  it('expiry: no longer than security.apiTokens.maxLifetimeDays; refused once past', async () => {
    await setSetting(s.rt.db, 'security.apiTokens', { maxLifetimeDays: 30 }, 'system');
    const tooLong = await post('tokens.create', { name: 'long', role: 'viewer', expiresInDays: 31 });
    expect(tooLong.status).toBe(400);
    expect((await j(tooLong)).error.message).toContain('at most 30 days');
    const short = await create({ name: 'short', role: 'viewer', expiresInDays: 2 });
    expect((await use(short.token)).status).toBe(200);
    clock += 2 * DAY + 1000;
    const expired = await use(short.token);
    expect(expired.status).toBe(401);
    expect((await j(expired)).error.message).toContain('invalid or revoked API token');
    clock = Date.now();
  });

  it('an owner disabled → their tokens stop; enabled again → they work; deleted → the tokens are gone', async () => {
    const t = await create({ name: 'anna-feed', role: 'analyst', ownerId: annaId });
    expect(t.ownerId).toBe(annaId);
    expect((await use(t.token)).status).toBe(200);
    expect((await post('users.update', { id: annaId, disabled: true })).status).toBe(200);
    expect((await use(t.token)).status).toBe(401);
    expect((await post('users.update', { id: annaId, disabled: false })).status).toBe(200);
    expect((await use(t.token)).status).toBe(200);
    expect((await post('users.delete', { id: annaId })).status).toBe(200);
    expect((await use(t.token)).status).toBe(401);
    expect((await list()).some((x) => x.id === t.id)).toBe(false);
  });

  it('a token never has more rights than its owner has now', async () => {
    const vic = await createUser(s.rt.db, { username: 'vic', password: 'vic-password-01', role: 'admin' });
    const over = await post('tokens.create', {
      name: 'x',
      role: 'admin',
      ownerId: (await createUser(s.rt.db, { username: 'val', password: 'val-password-01', role: 'viewer' }))
        .id,
    });
    expect(over.status).toBe(400);
    expect((await j(over)).error.message).toContain('more rights than its owner');
    const t = await create({ name: 'vic-admin', role: 'admin', ownerId: vic.id });
    expect((await use(t.token, 'users.list')).status).toBe(200);
    expect((await post('users.update', { id: vic.id, role: 'viewer' })).status).toBe(200);
    expect((await use(t.token, 'users.list')).status).toBe(403);
    expect((await use(t.token, 'quotes.limits')).status).toBe(200);
  });

  it('creating and revoking a token each write one audit row in the same transaction', async () => {
    const t = await j(await post('tokens.create', { name: 'audited', role: 'viewer' }));
    const id = t.result.data.id as string;
    expect((await post('tokens.revoke', { id })).status).toBe(200);
    expect((await post('tokens.revoke', { id })).status).toBe(404);
    const rows = await listAudit(s.rt.db, { limit: 10, target: 'token:' });
    const mine = rows.filter((r) => r.target === 'token:audited' || r.target === `token:${id}`);
    expect(mine.map((r) => `${r.action} ${r.actor}`)).toEqual([
      'token.revoke user:boss',
      'token.create user:boss',
    ]);
    expect(mine[1]?.newValue).toMatchObject({ id, name: 'audited', role: 'viewer', ownerId: bossId });
  });
});
