import type { DatabaseHandle, QueryFn } from '@investiq/db';
import { z } from 'zod';
import { type AuditEntry, writeAudit } from '../audit/audit-log';
import { AppError } from '../errors';
import { announceCredentialChange, forgetCredentials } from './credential-cache';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { ROLES, type Role } from './roles';

export const ZUsername = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, 'username must be at least 2 characters')
  .max(64, 'username must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'username may contain a-z, 0-9, dot, dash and underscore');

export interface TUser {
  id: string;
  username: string;
  role: Role;
  createdAt: string;
  lastLoginAt: string | null;
  disabled: boolean;
}

interface UserRow {
  id: string;
  username: string;
  role: Role;
  created_at: Date | string;
  last_login_at: Date | string | null;
  disabled_at: Date | string | null;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

function toUser(r: UserRow): TUser {
  return {
    id: r.id,
    username: r.username,
    role: r.role,
    createdAt: iso(r.created_at)!,
    lastLoginAt: iso(r.last_login_at),
    disabled: r.disabled_at !== null,
  };
}

const COLS = 'id, username, role, created_at, last_login_at, disabled_at';

export async function countUsers(db: DatabaseHandle): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]?.n ?? 0;
}

/** Who made a change, for its audit row (written in the change's transaction). */
export type WriteMeta = Pick<AuditEntry, 'actor' | 'ip'>;

export async function createUser(
  db: DatabaseHandle | { query: QueryFn },
  input: { username: string; password: string; role: Role },
  meta?: WriteMeta,
): Promise<TUser> {
  const username = ZUsername.safeParse(input.username);
  if (!username.success) throw new AppError('BAD_REQUEST', username.error.issues[0]!.message);
  if (!ROLES.includes(input.role))
    throw new AppError('BAD_REQUEST', `role must be one of ${ROLES.join(', ')}`);
  const passwordHash = await hashPassword(input.password);
  const insert = async (q: QueryFn): Promise<TUser> => {
    const rows = await q<UserRow>(
      `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (username) DO NOTHING RETURNING ${COLS}`,
      [username.data, passwordHash, input.role],
    );
    if (!rows[0]) throw new AppError('CONFLICT', `user '${username.data}' already exists`);
    const user = toUser(rows[0]);
    if (meta)
      await writeAudit(q, {
        ...meta,
        action: 'user.create',
        target: `user:${user.username}`,
        newValue: { username: user.username, role: user.role },
      });
    return user;
  };
  // a bare query function is already inside its caller's transaction (first-run setup)
  return 'transaction' in db ? db.transaction(insert) : insert(db.query.bind(db));
}

export async function listUsers(db: DatabaseHandle): Promise<TUser[]> {
  return (await db.query<UserRow>(`SELECT ${COLS} FROM users ORDER BY username`)).map(toUser);
}

export async function getUser(db: DatabaseHandle, id: string): Promise<TUser | null> {
  const rows = await db.query<UserRow>(`SELECT ${COLS} FROM users WHERE id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

/** Check a username and password. Returns null for unknown, disabled or wrong, in about the same time. */
export async function authenticate(
  db: DatabaseHandle,
  usernameRaw: string,
  password: string,
): Promise<TUser | null> {
  const username = usernameRaw.trim().toLowerCase().slice(0, 64);
  const rows = await db.query<UserRow & { password_hash: string }>(
    `SELECT ${COLS}, password_hash FROM users WHERE username = $1`,
    [username],
  );
  const row = rows[0];
  const ok = await verifyPassword(row?.password_hash ?? (await dummyPasswordHash()), password);
  if (!row || !ok || row.disabled_at !== null) return null;
  await db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [row.id]);
  return toUser(row);
}

/** Change role, enable/disable, or reset the password. Keeps at least one active admin. */
export async function updateUser(
  db: DatabaseHandle,
  id: string,
  patch: { role?: Role; disabled?: boolean; password?: string },
  meta?: WriteMeta,
): Promise<{ before: TUser; after: TUser }> {
  const passwordHash = patch.password === undefined ? null : await hashPassword(patch.password);
  const changed = await db.transaction(async (q) => {
    const cur = await q<UserRow>(`SELECT ${COLS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
    if (!cur[0]) throw new AppError('NOT_FOUND', 'no user with that id');
    const before = toUser(cur[0]);
    const rows = await q<UserRow>(
      `UPDATE users SET role = coalesce($2, role),
         disabled_at = CASE WHEN $3::boolean IS NULL THEN disabled_at WHEN $3 THEN coalesce(disabled_at, now()) ELSE NULL END,
         password_hash = coalesce($4, password_hash)
       WHERE id = $1 RETURNING ${COLS}`,
      [id, patch.role ?? null, patch.disabled ?? null, passwordHash],
    );
    await assertAnAdminRemains(q);
    // a role change, a disable or a new password ends the user's sessions
    await q('DELETE FROM sessions WHERE user_id = $1', [id]);
    // … and every process forgets the user's cached sessions and tokens (their role may be capped now)
    await announceCredentialChange(q, `user:${id}`);
    const after = toUser(rows[0]!);
    const view = (u: TUser) => ({ role: u.role, disabled: u.disabled });
    if (meta)
      await writeAudit(q, {
        ...meta,
        action: patch.password ? 'user.update+password' : 'user.update',
        target: `user:${after.username}`,
        oldValue: view(before),
        newValue: view(after),
      });
    return { before, after };
  });
  forgetCredentials(db);
  return changed;
}

export async function deleteUser(db: DatabaseHandle, id: string, meta?: WriteMeta): Promise<TUser> {
  const deleted = await db.transaction(async (q) => {
    const rows = await q<UserRow>(`DELETE FROM users WHERE id = $1 RETURNING ${COLS}`, [id]);
    if (!rows[0]) throw new AppError('NOT_FOUND', 'no user with that id');
    await assertAnAdminRemains(q);
    await announceCredentialChange(q, `user:${id}`); // their sessions and tokens are gone with them
    const user = toUser(rows[0]);
    if (meta)
      await writeAudit(q, {
        ...meta,
        action: 'user.delete',
        target: `user:${user.username}`,
        oldValue: { username: user.username, role: user.role },
      });
    return user;
  });
  forgetCredentials(db);
  return deleted;
}

async function assertAnAdminRemains(q: QueryFn): Promise<void> {
  const n = await q<{ n: number }>(
    `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL`,
  );
  if ((n[0]?.n ?? 0) === 0)
    throw new AppError('CONFLICT', 'this would leave no active admin; promote another user first');
}
