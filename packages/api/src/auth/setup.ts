import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { DatabaseHandle } from '@investiq/db';
import { countUsers } from './users';

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
