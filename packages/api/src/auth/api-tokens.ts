import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '@investiq/db';
import { writeAudit } from '../audit/audit-log';
import { AppError } from '../errors';
import { SApiTokens } from '../settings/keys';
import { getSetting } from '../settings/service';
import { ROLES, type Role, roleAtLeast } from './roles';
import type { WriteMeta } from './users';

const PREFIX = 'iq_';
const DAY_MS = 86_400_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface TCreatedApiToken {
  id: string;
  token: string;
  name: string;
  role: Role;
  ownerId: string | null;
  expiresAt: string | null;
}

/**
 * Create an API token acting for `ownerId`. The plain token is returned once; only its SHA-256 is stored.
 * Its role may not exceed the owner's; its lifetime is at most `security.apiTokens.maxLifetimeDays`
 * (omitted → that maximum; never expires only when the maximum is 0). `ownerId: null` makes an ownerless
 * token (tests and benchmarks; the admin UI and the CLI always name an owner).
 */
export async function createApiToken(
  db: DatabaseHandle,
  input: { name: string; role: Role; ownerId?: string | null; expiresInDays?: number | null; now?: Date },
  meta?: WriteMeta,
): Promise<TCreatedApiToken> {
  if (!ROLES.includes(input.role))
    throw new AppError('BAD_REQUEST', `role must be one of ${ROLES.join(', ')}`);
  const name = input.name.trim();
  if (!name || name.length > 64) throw new AppError('BAD_REQUEST', 'token name must be 1–64 characters');
  const ownerId = input.ownerId ?? null;
  if (ownerId !== null) {
    const owner = await db.query<{ role: Role; disabled: boolean }>(
      'SELECT role, disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1',
      [ownerId],
    );
    if (!owner[0]) throw new AppError('BAD_REQUEST', 'owner: no user with that id');
    if (owner[0].disabled) throw new AppError('BAD_REQUEST', 'owner: that user is disabled');
    if (!roleAtLeast(owner[0].role, input.role))
      throw new AppError(
        'BAD_REQUEST',
        `role: a token cannot have more rights than its owner (${owner[0].role})`,
      );
  }
  const { maxLifetimeDays } = await getSetting(db, SApiTokens);
  const days = input.expiresInDays ?? (maxLifetimeDays > 0 ? maxLifetimeDays : null);
  if (days !== null) {
    if (!Number.isInteger(days) || days < 1)
      throw new AppError('BAD_REQUEST', 'expiresInDays must be a whole number of days ≥ 1');
    if (maxLifetimeDays > 0 && days > maxLifetimeDays)
      throw new AppError(
        'BAD_REQUEST',
        `expiresInDays: at most ${maxLifetimeDays} days (setting security.apiTokens.maxLifetimeDays)`,
      );
  }
  const now = input.now ?? new Date();
  const expiresAt = days === null ? null : new Date(now.getTime() + days * DAY_MS).toISOString();
  const token = PREFIX + randomBytes(24).toString('base64url');
  return db.transaction(async (q) => {
    const rows = await q<{ id: string }>(
      `INSERT INTO api_tokens (name, token_hash, role, owner_id, expires_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [name, hashToken(token), input.role, ownerId, expiresAt],
    );
    const id = rows[0]!.id;
    if (meta)
      await writeAudit(q, {
        ...meta,
        action: 'token.create',
        target: `token:${name}`,
        newValue: { id, name, role: input.role, ownerId, expiresAt },
      });
    return { id, token, name, role: input.role, ownerId, expiresAt };
  });
}

export interface TTokenPrincipal {
  id: string;
  name: string;
  /** the token's role, capped at its owner's current role */
  role: Role;
  ownerId: string | null;
}

/**
 * Resolve a presented token to its principal, or null when unknown, revoked, expired, or its owner is
 * disabled (a deleted owner's tokens are gone with them).
 */
export async function verifyApiToken(
  db: DatabaseHandle,
  token: string,
  now: Date = new Date(),
): Promise<TTokenPrincipal | null> {
  if (!token.startsWith(PREFIX) || token.length > 128) return null;
  const rows = await db.query<{
    id: string;
    name: string;
    role: Role;
    owner_id: string | null;
    owner_role: Role | null;
    stale_use: boolean;
  }>(
    `SELECT t.id, t.name, t.role, t.owner_id, u.role AS owner_role,
            (t.last_used_at IS NULL OR t.last_used_at < $2::timestamptz - interval '60 seconds') AS stale_use
       FROM api_tokens t LEFT JOIN users u ON u.id = t.owner_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL
        AND (t.expires_at IS NULL OR t.expires_at > $2::timestamptz)
        AND (t.owner_id IS NULL OR u.disabled_at IS NULL)`,
    [hashToken(token), now.toISOString()],
  );
  const row = rows[0];
  if (!row) return null;
  // Record use at most once a minute per token: a write per request would dominate busy API clients.
  if (row.stale_use) {
    db.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [row.id, now.toISOString()]).catch(
      () => {},
    );
  }
  const role = row.owner_role && !roleAtLeast(row.owner_role, row.role) ? row.owner_role : row.role;
  return { id: row.id, name: row.name, role, ownerId: row.owner_id };
}

export async function revokeApiToken(db: DatabaseHandle, id: string, meta?: WriteMeta): Promise<boolean> {
  return db.transaction(async (q) => {
    const rows = await q(
      'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
      [id],
    );
    if (rows.length > 0 && meta)
      await writeAudit(q, { ...meta, action: 'token.revoke', target: `token:${id}` });
    return rows.length > 0;
  });
}

export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1]! : null;
}
