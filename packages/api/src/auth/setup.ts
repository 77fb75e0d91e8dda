import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import { countUsers, createUser, type TUser } from './users';

/**
 * First run: while no user exists, each server process holds a one-time setup token and prints a link with
 * it. The SHA-256 of every such token is stored in `investiq_meta` (key `setup_tokens`), so a link printed
 * by one web process also works through another behind the same proxy. Whoever opens a link creates the
 * first admin; there is no default password.
 */
const tokens = new WeakMap<DatabaseHandle, string>();
const META_KEY = 'setup_tokens';
const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');

export async function firstRunSetupToken(db: DatabaseHandle): Promise<string | null> {
  if ((await countUsers(db)) > 0) {
    tokens.delete(db);
    return null;
  }
  let token = tokens.get(db);
  if (!token) {
    token = randomBytes(24).toString('base64url');
    tokens.set(db, token);
  }
  await db.query(
    `INSERT INTO investiq_meta (key, value) VALUES ($1, jsonb_build_array($2::text))
     ON CONFLICT (key) DO UPDATE SET updated_at = now(),
       value = CASE WHEN investiq_meta.value ? $2 THEN investiq_meta.value ELSE investiq_meta.value || excluded.value END`,
    [META_KEY, sha256(token)],
  );
  return token;
}

export async function checkSetupToken(db: DatabaseHandle, presented: string): Promise<boolean> {
  if (presented.length === 0 || presented.length > 200) return false;
  const rows = await db.query(`SELECT 1 FROM investiq_meta WHERE key = $1 AND value ? $2`, [
    META_KEY,
    sha256(presented),
  ]);
  return rows.length > 0;
}

export async function forgetSetupToken(db: DatabaseHandle): Promise<void> {
  tokens.delete(db);
  await db.query('DELETE FROM investiq_meta WHERE key = $1', [META_KEY]);
}

/**
 * Create the first admin, exactly once even when setup requests race (two browser tabs, two web processes
 * each with its own link): the "no user yet" check and the insert run in one transaction under an advisory
 * lock, so the second request sees the first one's user and gets 409.
 */
export async function createFirstAdmin(
  db: DatabaseHandle,
  input: { username: string; password: string },
): Promise<TUser> {
  return db.transaction(async (q) => {
    await q('SELECT pg_advisory_xact_lock(hashtext($1))', ['investiq_first_admin']);
    const n = await q<{ n: number }>('SELECT count(*)::int AS n FROM users');
    if ((n[0]?.n ?? 0) > 0) throw new AppError('CONFLICT', 'setup is already done; sign in instead');
    return createUser({ query: q }, { ...input, role: 'admin' });
  });
}
