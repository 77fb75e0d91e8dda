import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachSettings } from '../settings/service';
import { waitFor } from '../test-support/runtime';
import { createApiToken, revokeApiToken, verifyApiToken } from './api-tokens';
import { AUTH_CHANNEL, attachCredentialCache, CredentialCache } from './credential-cache';
import { createSession, deleteSession, resolveSession } from './sessions';
import { createUser, deleteUser, updateUser } from './users';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

/**
 * Two processes on PostgreSQL: `a` changes credentials, `b` (its own pool and LISTEN session, as another web
 * replica) must stop accepting them once the NOTIFY arrives. On PGlite both are the one in-process handle.
 */
describe(`cached credentials end with revoke, role change, disable and sign-out (${DB})`, () => {
  let a: DatabaseHandle & { url?: string };
  let b: DatabaseHandle;
  const stops: (() => Promise<void>)[] = [];
  let cacheB: CredentialCache;
  const now = new Date();

  beforeAll(async () => {
    a = await createTestDatabase();
    b = a.url ? await createDatabase({ databaseUrl: a.url, migrate: false }) : a;
    for (const h of new Set([a, b])) {
      stops.push(await attachSettings(h, {}));
      const { cache, detach } = await attachCredentialCache(h);
      stops.push(detach);
      if (h === b) cacheB = cache;
    }
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    if (b !== a) await b?.close();
    await a?.close();
  });

  it('a revoked token stops working in the other process without waiting for the cache to age', async () => {
    const { id, token } = await createApiToken(a, { name: 'feed', role: 'viewer' });
    expect(await verifyApiToken(b, token, now)).toMatchObject({ id, role: 'viewer' });
    const hits = cacheB.stats.hits;
    expect(await verifyApiToken(b, token, now)).toMatchObject({ id });
    expect(cacheB.stats.hits).toBe(hits + 1); // answered from memory
    expect(await revokeApiToken(a, id)).toBe(true);
    expect(await verifyApiToken(a, token, now)).toBeNull(); // the revoking process: at once
    await waitFor(async () => (await verifyApiToken(b, token, now)) === null, 5000, 'revoke seen by b');
    expect(cacheB.ttlMs).toBeGreaterThan(5000); // so it was the NOTIFY, not the entry ageing out
  });

  it("an owner's role change caps the token, and disabling the owner ends tokens and sessions", async () => {
    const owner = await createUser(a, { username: 'olga', password: 'olga-password-1', role: 'analyst' });
    await createUser(a, { username: 'root', password: 'root-password-1', role: 'admin' });
    const { token } = await createApiToken(a, { name: 'olga-feed', role: 'analyst', ownerId: owner.id });
    expect(await verifyApiToken(b, token, now)).toMatchObject({ role: 'analyst' });
    await updateUser(a, owner.id, { role: 'viewer' });
    await waitFor(async () => (await verifyApiToken(b, token, now))?.role === 'viewer', 5000, 'role cap');

    const session = await createSession(a, owner.id, { now, ttlSeconds: 3600 });
    expect(await resolveSession(b, session.token, now)).toMatchObject({ userId: owner.id });
    await updateUser(a, owner.id, { disabled: true });
    await waitFor(
      async () =>
        (await verifyApiToken(b, token, now)) === null &&
        (await resolveSession(b, session.token, now)) === null,
      5000,
      'disable seen by b',
    );
  });

  it('sign-out and user deletion end sessions elsewhere', async () => {
    const u = await createUser(a, { username: 'sam', password: 'sam-password-1', role: 'viewer' });
    const s1 = await createSession(a, u.id, { now, ttlSeconds: 3600 });
    const s2 = await createSession(a, u.id, { now, ttlSeconds: 3600 });
    expect(await resolveSession(b, s1.token, now)).not.toBeNull();
    expect(await resolveSession(b, s2.token, now)).not.toBeNull();
    await deleteSession(a, s1.token);
    await waitFor(async () => (await resolveSession(b, s1.token, now)) === null, 5000, 'sign-out');
    expect(await resolveSession(b, s2.token, now)).not.toBeNull();
    await deleteUser(a, u.id);
    await waitFor(async () => (await resolveSession(b, s2.token, now)) === null, 5000, 'user deleted');
  });

  it('changes made by hand in SQL end cached credentials too (database triggers send the NOTIFY)', async () => {
    const u = await createUser(a, { username: 'hana', password: 'hana-password-1', role: 'analyst' });
    const { id, token } = await createApiToken(a, { name: 'by-hand', role: 'analyst', ownerId: u.id });
    const session = await createSession(a, u.id, { now, ttlSeconds: 3600 });
    const warm = async () => {
      await verifyApiToken(b, token, now);
      await resolveSession(b, session.token, now);
      const hits = cacheB.stats.hits;
      await verifyApiToken(b, token, now);
      expect(cacheB.stats.hits).toBe(hits + 1); // cached in b
    };
    // none of these goes through our functions: only the triggers can tell b
    await warm();
    await a.query("UPDATE users SET role = 'viewer' WHERE id = $1", [u.id]);
    await waitFor(async () => (await verifyApiToken(b, token, now))?.role === 'viewer', 5000, 'role by SQL');
    await warm();
    await a.query('DELETE FROM sessions WHERE user_id = $1', [u.id]);
    await waitFor(async () => (await resolveSession(b, session.token, now)) === null, 5000, 'session by SQL');
    await warm();
    await a.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [id]);
    await waitFor(async () => (await verifyApiToken(b, token, now)) === null, 5000, 'revoke by SQL');
    expect(cacheB.ttlMs).toBeGreaterThan(5000); // the NOTIFY, not the entry ageing out
  });

  it('bookkeeping updates (last used, last login) announce nothing', async () => {
    const { id } = await createApiToken(a, { name: 'busy', role: 'viewer' });
    const seen: string[] = [];
    const unlisten = await a.listen(AUTH_CHANNEL, (p) => seen.push(p));
    try {
      await a.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [id]);
      await a.query('UPDATE users SET last_login_at = now()');
      // on the same LISTEN session, a marker sent after them arrives after anything they sent
      await a.query('SELECT pg_notify($1, $2)', [AUTH_CHANNEL, 'marker']);
      await waitFor(() => seen.includes('marker'), 5000, 'the marker NOTIFY');
      expect(seen).toEqual(['marker']);
      // and a real change does announce itself (the listener hears the triggers at all)
      await a.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [id]);
      await waitFor(() => seen.includes('api_tokens'), 5000, 'the trigger NOTIFY');
    } finally {
      await unlisten();
    }
  });

  it("checks a cached credential's own expiry at every use", async () => {
    const { token } = await createApiToken(a, { name: 'short', role: 'viewer', expiresInDays: 1, now });
    expect(await verifyApiToken(b, token, now)).not.toBeNull();
    expect(await verifyApiToken(b, token, new Date(now.getTime() + 86_400_000 - 1))).not.toBeNull();
    expect(await verifyApiToken(b, token, new Date(now.getTime() + 86_400_000))).toBeNull();
  });
});

describe('CredentialCache', () => {
  it('does not keep a read that was in flight when a change was announced', () => {
    const c = new CredentialCache();
    const now = new Date();
    const gen = c.generation();
    c.clear(); // the NOTIFY of a revoke arrives while the read is under way
    c.set('token', 'h', { id: 't' }, null, gen);
    expect(c.get('token', 'h', now)).toBeUndefined();
    c.set('token', 'h', { id: 't' }, null, c.generation());
    expect(c.get('token', 'h', now)).toEqual({ id: 't' });
  });

  it('reads through while LISTEN is down and re-reads entries older than ttlMs', () => {
    let clock = 0;
    const c = new CredentialCache(1_000, 10, () => clock);
    const now = new Date();
    c.setTrusted(false);
    c.set('session', 'h', 1, null, c.generation());
    expect(c.get('session', 'h', now)).toBeUndefined();
    c.setTrusted(true);
    c.set('session', 'h', 1, null, c.generation());
    clock = 1_000;
    expect(c.get('session', 'h', now)).toBe(1);
    clock = 1_001;
    expect(c.get('session', 'h', now)).toBeUndefined();
  });
});
