import type { DatabaseHandle } from '@investiq/db';
import type { Role } from './roles';

export interface TApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Tokens as an admin sees them: never the token or its hash. */
export async function listApiTokens(db: DatabaseHandle): Promise<TApiTokenInfo[]> {
  const rows = await db.query<{
    id: string;
    name: string;
    role: Role;
    created_at: Date | string;
    last_used_at: Date | string | null;
    revoked_at: Date | string | null;
  }>('SELECT id, name, role, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY created_at DESC');
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    createdAt: iso(r.created_at)!,
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  }));
}
