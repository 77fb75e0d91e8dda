import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import { ROLES, type Role } from './roles';

const PREFIX = 'iq_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Create an API token. The plain token is returned once; only its SHA-256 is stored. */
export async function createApiToken(
  db: DatabaseHandle,
  input: { name: string; role: Role },
): Promise<{ id: string; token: string; name: string; role: Role }> {
  if (!ROLES.includes(input.role))
    throw new AppError('BAD_REQUEST', `role must be one of ${ROLES.join(', ')}`);
  const name = input.name.trim();
  if (!name || name.length > 64) throw new AppError('BAD_REQUEST', 'token name must be 1–64 characters');
  const token = PREFIX + randomBytes(24).toString('base64url');
  const rows = await db.query<{ id: string }>(
    'INSERT INTO api_tokens (name, token_hash, role) VALUES ($1, $2, $3) RETURNING id',
    [name, hashToken(token), input.role],
  );
  return { id: rows[0]!.id, token, name, role: input.role };
}

/** Resolve a presented token to its principal, or null when unknown or revoked. */
export async function verifyApiToken(
  db: DatabaseHandle,
  token: string,
): Promise<{ id: string; name: string; role: Role } | null> {
  if (!token.startsWith(PREFIX) || token.length > 128) return null;
  const rows = await db.query<{ id: string; name: string; role: Role; stale_use: boolean }>(
    `SELECT id, name, role, (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds') AS stale_use
       FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return null;
  // Record use at most once a minute per token: a write per request would dominate busy API clients.
  if (row.stale_use) {
    db.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [row.id]).catch(() => {});
  }
  return { id: row.id, name: row.name, role: row.role };
}

export async function revokeApiToken(db: DatabaseHandle, id: string): Promise<boolean> {
  const rows = await db.query(
    'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
    [id],
  );
  return rows.length > 0;
}

export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1]! : null;
}
