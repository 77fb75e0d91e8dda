import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Who changed what and when. Old and new values are stored with secrets already redacted. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** 'user:<name>' | 'token:<name>' | 'system' | 'anonymous' */
    actor: text('actor').notNull(),
    /** e.g. 'setting.set', 'user.create', 'token.revoke', 'auth.login_failed' */
    action: text('action').notNull(),
    target: text('target').notNull(),
    oldValue: jsonb('old_value'),
    newValue: jsonb('new_value'),
    ip: text('ip'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actor),
    index('audit_log_action_idx').on(t.action),
  ],
);
