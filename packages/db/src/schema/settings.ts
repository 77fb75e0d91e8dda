import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/**
 * Versioned settings: every change is a new row (key, version); the current value is the highest version.
 * Secret values are stored as AES-256-GCM envelopes (`{"$enc": "v1:…"}`), never in plain text.
 */
export const settings = pgTable(
  'settings',
  {
    key: text('key').notNull(),
    version: integer('version').notNull(),
    value: jsonb('value').notNull(),
    createdAt: createdAt(),
    /** 'user:<name>' | 'token:<name>' | 'system' */
    createdBy: text('created_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.version] })],
);
