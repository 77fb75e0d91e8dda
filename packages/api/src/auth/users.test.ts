import type { DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit-log';
import { createUser, deleteUser, updateUser } from './users';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const by = { actor: 'user:root', ip: '203.0.113.9' };

describe(`user changes write their audit row in the same transaction (${DB})`, () => {
  let db: DatabaseHandle;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  const actions = async () => (await listAudit(db, { limit: 50 })).map((r) => `${r.action} ${r.target}`);

  it('create, update and delete each leave one row naming who and what', async () => {
    const root = await createUser(db, { username: 'root', password: 'root-password-1', role: 'admin' }, by);
    const ann = await createUser(db, { username: 'ann', password: 'ann-password-1', role: 'viewer' }, by);
    await updateUser(db, ann.id, { role: 'analyst' }, by);
    await deleteUser(db, ann.id, by);
    expect(await actions()).toEqual([
      'user.delete user:ann',
      'user.update user:ann',
      'user.create user:ann',
      'user.create user:root',
    ]);
    const [del, upd] = await listAudit(db, { limit: 2 });
    expect(upd).toMatchObject({ actor: 'user:root', ip: '203.0.113.9' });
    expect(upd?.oldValue).toEqual({ role: 'viewer', disabled: false });
    expect(upd?.newValue).toEqual({ role: 'analyst', disabled: false });
    expect(del?.oldValue).toEqual({ username: 'ann', role: 'analyst' });
    expect(root.role).toBe('admin');
  });

  it('a refused change (the last admin) writes no audit row, and a refused create none either', async () => {
    const before = await actions();
    const root = (await db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'root'`))[0]!;
    await expect(updateUser(db, root.id, { disabled: true }, by)).rejects.toThrow('no active admin');
    await expect(deleteUser(db, root.id, by)).rejects.toThrow('no active admin');
    await expect(
      createUser(db, { username: 'root', password: 'other-password-1', role: 'viewer' }, by),
    ).rejects.toThrow('already exists');
    expect(await actions()).toEqual(before);
  });
});
