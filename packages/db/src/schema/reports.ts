import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, marketColumn, symbolColumn } from './columns';

/**
 * One analysis report for (market, symbol). `status`: running | complete | failed. The partial unique index
 * lets only one report per symbol and run key (as-of date, language, modules) run at a time: a second
 * request with the same key joins the running one. A running report is leased: its owner process renews
 * `lease_expires_at` while it runs; one whose lease expired (owner gone) is marked failed by whichever
 * process notices.
 */
export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    market: marketColumn(),
    symbol: symbolColumn(),
    status: text('status').notNull(),
    /** Modules requested, in order. */
    modules: jsonb('modules').notNull(),
    /** Module parameters in effect (from settings). */
    params: jsonb('params').notNull(),
    language: text('language').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    error: text('error'),
    /** Data as-of times, model hashes/providers, template version, parameters. */
    lineage: jsonb('lineage'),
    /** Sections that ended unavailable/failed. */
    degradedSections: integer('degraded_sections').notNull().default(0),
    /** Numbers in the narrative that match no input number (null until the narrative ran). */
    ungroundedNumbers: integer('ungrounded_numbers'),
    /** `<as-of date or live>|<language>|<modules>`: what a second request must match to join this one. */
    runKey: text('run_key'),
    /** The process running it (random id per report service). */
    ownerId: text('owner_id'),
    /** Renewed by the owner's heartbeat while running; past it, the report may be recovered as failed. */
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
  },
  (t) => [
    index('reports_symbol_created_idx').on(t.market, t.symbol, t.createdAt),
    index('reports_created_idx').on(t.createdAt),
    uniqueIndex('reports_one_running_per_symbol_key')
      .on(t.market, t.symbol, t.runKey)
      .where(sql`status = 'running'`),
  ],
);
