import type { DatabaseHandle, QueryFn } from '@investiq/db';
import type { Principal } from '../auth/types';

/** 'user:<name>' | 'token:<name>' | 'system' | 'anonymous' — how the audit log names who acted. */
export type Actor = string;

export function actorOf(p: Principal | { kind: 'system' }): Actor {
  switch (p.kind) {
    case 'session':
      return `user:${p.username}`;
    case 'token':
      return `token:${p.name}`;
    case 'system':
      return 'system';
    default:
      return 'anonymous';
  }
}

export interface AuditEntry {
  actor: Actor;
  action: string;
  target: string;
  /** Already redacted: callers pass masked values for secrets. */
  oldValue?: unknown;
  newValue?: unknown;
  ip?: string | null;
}

export async function writeAudit(db: DatabaseHandle | { query: QueryFn } | QueryFn, e: AuditEntry) {
  const q: QueryFn = typeof db === 'function' ? db : db.query.bind(db);
  await q(
    'INSERT INTO audit_log (actor, action, target, old_value, new_value, ip) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      e.actor,
      e.action,
      e.target,
      e.oldValue === undefined ? null : JSON.stringify(e.oldValue),
      e.newValue === undefined ? null : JSON.stringify(e.newValue),
      e.ip ?? null,
    ],
  );
}

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  limit: number;
  beforeId?: number | undefined;
}

export interface TAuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  oldValue: unknown;
  newValue: unknown;
  ip: string | null;
}

export async function listAudit(db: DatabaseHandle, f: AuditFilter): Promise<TAuditRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.actor) add('actor ILIKE ?', `%${escapeLike(f.actor)}%`);
  if (f.action) add('action ILIKE ?', `%${escapeLike(f.action)}%`);
  if (f.target) add('target ILIKE ?', `%${escapeLike(f.target)}%`);
  if (f.since) add('at >= ?', f.since.toISOString());
  if (f.until) add('at < ?', f.until.toISOString());
  if (f.beforeId) add('id < ?', f.beforeId);
  params.push(f.limit);
  const rows = await db.query<{
    id: string | number;
    at: Date | string;
    actor: string;
    action: string;
    target: string;
    old_value: unknown;
    new_value: unknown;
    ip: string | null;
  }>(
    `SELECT id, at, actor, action, target, old_value, new_value, ip FROM audit_log
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    oldValue: r.old_value,
    newValue: r.new_value,
    ip: r.ip,
  }));
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
