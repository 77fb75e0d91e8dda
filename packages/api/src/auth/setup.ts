import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import { countUsers, createUser, type TUser } from './users';

/**
 * First run: while no user exists, the server holds a one-time setup token (in memory, per process) and
 * prints a link with it. Whoever opens the link creates the first admin; there is no default password.
 */
const tokens = new WeakMap<DatabaseHandle, string>();

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
  return token;
}

export function checkSetupToken(db: DatabaseHandle, presented: string): boolean {
  const token = tokens.get(db);
  if (!token) return false;
  const a = Buffer.from(token);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function forgetSetupToken(db: DatabaseHandle): void {
  tokens.delete(db);
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
