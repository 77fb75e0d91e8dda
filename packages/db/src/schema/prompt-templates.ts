import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/**
 * Versioned prompt templates for the report narrative. Versions are immutable; exactly one version per
 * (name, language) is active (partial unique index); rollback re-activates an older version.
 */
export const promptTemplates = pgTable(
  'prompt_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** zh | en */
    language: text('language').notNull(),
    version: integer('version').notNull(),
    body: text('body').notNull(),
    note: text('note'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    active: boolean('active').notNull().default(false),
  },
  (t) => [
    uniqueIndex('prompt_templates_version_uq').on(t.name, t.language, t.version),
    uniqueIndex('prompt_templates_one_active').on(t.name, t.language).where(sql`active`),
  ],
);
