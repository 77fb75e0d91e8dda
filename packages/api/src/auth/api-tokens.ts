import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '@investiq/db';
import { writeAudit } from '../audit/audit-log';
import { AppError } from '../errors';
import { SApiTokens } from '../settings/keys';
import { getSetting } from '../settings/service';
import { AUTH_CHANNEL, credentialCacheOf, forgetCredentials } from './credential-cache';
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

/** What the token cache keeps of a resolved token (auth/credential-cache.ts). */
interface CachedToken {
  principal: TTokenPrincipal;
  /** last_used_at as this process last knew it (ms); written again once it is a minute old */
  lastUsedAt: number;
}

/**
 * Resolve a presented token to its principal, or null when unknown, revoked, expired, or its owner is
 * disabled (a deleted owner's tokens are gone with them). Answered from the process's credential cache when
 * one is attached (emptied by NOTIFY on every revoke and user change; expiry is checked at each use).
 */
export async function verifyApiToken(
  db: DatabaseHandle,
  token: string,
  now: Date = new Date(),
): Promise<TTokenPrincipal | null> {
  if (!token.startsWith(PREFIX) || token.length > 128) return null;
  const hash = hashToken(token);
  const cache = credentialCacheOf(db);
  const hit = cache?.get<CachedToken>('token', hash, now);
  if (hit) {
    if (hit.lastUsedAt < now.getTime() - USE_RECORD_MS) {
      hit.lastUsedAt = now.getTime();
      recordUse(db, hit.principal.id, now);
    }
    return hit.principal;
  }
  const generation = cache?.generation() ?? 0;
  const rows = await db.query<{
    id: string;
    name: string;
    role: Role;
    owner_id: string | null;
    owner_role: Role | null;
    expires_at: Date | string | null;
    last_used_at: Date | string | null;
  }>(
    `SELECT t.id, t.name, t.role, t.owner_id, u.role AS owner_role, t.expires_at, t.last_used_at
       FROM api_tokens t LEFT JOIN users u ON u.id = t.owner_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL
        AND (t.expires_at IS NULL OR t.expires_at > $2::timestamptz)
        AND (t.owner_id IS NULL OR u.disabled_at IS NULL)`,
    [hash, now.toISOString()],
  );
  const row = rows[0];
  if (!row) return null;
  const lastUsedAt = row.last_used_at === null ? 0 : new Date(row.last_used_at).getTime();
  // Record use at most once a minute per token: a write per request would dominate busy API clients.
  const stale = lastUsedAt < now.getTime() - USE_RECORD_MS;
  if (stale) recordUse(db, row.id, now);
  const role = row.owner_role && !roleAtLeast(row.owner_role, row.role) ? row.owner_role : row.role;
  const principal = { id: row.id, name: row.name, role, ownerId: row.owner_id };
  const expiresAt = row.expires_at === null ? null : new Date(row.expires_at).getTime();
  cache?.set<CachedToken>(
    'token',
    hash,
    { principal, lastUsedAt: stale ? now.getTime() : lastUsedAt },
    expiresAt,
    generation,
  );
  return principal;
}

const USE_RECORD_MS = 60_000;

function recordUse(db: DatabaseHandle, id: string, now: Date): void {
  db.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [id, now.toISOString()]).catch(() => {});
}

/**
 * Revoke a token (audited in the same transaction); every process stops accepting it once the NOTIFY
 * arrives (this one at once).
 */
export async function revokeApiToken(db: DatabaseHandle, id: string, meta?: WriteMeta): Promise<boolean> {
  const revoked = await db.transaction(async (q) => {
    const rows = await q(
      `WITH r AS (UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id)
       SELECT r.id, pg_notify($2, 'token:' || r.id) FROM r`,
      [id, AUTH_CHANNEL],
    );
    if (rows.length > 0 && meta)
      await writeAudit(q, { ...meta, action: 'token.revoke', target: `token:${id}` });
    return rows.length > 0;
  });
  forgetCredentials(db);
  return revoked;
}

export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1]! : null;
}
