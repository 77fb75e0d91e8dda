import type { DatabaseHandle } from '@investiq/db';
import type { Role } from './roles';

export interface TApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  owner: { id: string; username: string; disabled: boolean } | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** Tokens as an admin sees them: never the token or its hash. */
export async function listApiTokens(db: DatabaseHandle): Promise<TApiTokenInfo[]> {
  const rows = await db.query<{
    id: string;
    name: string;
    role: Role;
    owner_id: string | null;
    owner_username: string | null;
    owner_disabled: boolean | null;
    created_at: Date | string;
    last_used_at: Date | string | null;
    expires_at: Date | string | null;
    revoked_at: Date | string | null;
  }>(
    `SELECT t.id, t.name, t.role, t.owner_id, u.username AS owner_username,
            u.disabled_at IS NOT NULL AS owner_disabled, t.created_at, t.last_used_at, t.expires_at, t.revoked_at
       FROM api_tokens t LEFT JOIN users u ON u.id = t.owner_id
      ORDER BY t.created_at DESC`,
  );
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    owner:
      r.owner_id && r.owner_username
        ? { id: r.owner_id, username: r.owner_username, disabled: r.owner_disabled === true }
        : null,
    createdAt: iso(r.created_at)!,
    lastUsedAt: iso(r.last_used_at),
    expiresAt: iso(r.expires_at),
    revokedAt: iso(r.revoked_at),
  }));
}
