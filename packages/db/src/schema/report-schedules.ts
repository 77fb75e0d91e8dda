import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, marketColumn } from './columns';
import { users } from './users';
import { watchlists } from './watchlists';

/**
 * A user's scheduled reports: on each trading day of `market`, at `local_time` in the market's time zone,
 * generate the reports for the list's symbols of that market and send a summary to `channel_ids` (and the
 * in-app bell). `last_slot` is the market-local date of the newest slot claimed: a slot runs when it is newer,
 * so a missed slot after a restart runs once and older missed slots are skipped.
 */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    watchlistId: uuid('watchlist_id')
      .notNull()
      .references(() => watchlists.id, { onDelete: 'cascade' }),
    market: marketColumn(),
    /** `HH:MM`, wall-clock time in the market's zone. */
    localTime: text('local_time').notNull(),
    language: text('language').notNull().default('en'),
    channelIds: uuid('channel_ids').array().notNull().default(sql`'{}'::uuid[]`),
    enabled: boolean('enabled').notNull().default(true),
    lastSlot: text('last_slot'),
    createdAt: createdAt(),
  },
  (t) => [
    check('report_schedules_time_ck', sql`${t.localTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
    check('report_schedules_market_ck', sql`${t.market} IN ('CN', 'HK', 'US')`),
    index('report_schedules_user_idx').on(t.userId),
  ],
);

/**
 * One run of a schedule (one per slot: the unique key makes a second claim of the same slot impossible).
 * `items`: per symbol {market, symbol, reportId, status, error}; progress is `done` of `total`. Unread runs
 * (finished, `read_at` null) count on the bell.
 */
export const reportScheduleRuns = pgTable(
  'report_schedule_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => reportSchedules.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    slotDate: text('slot_date').notNull(),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    status: text('status').notNull().default('running'),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    items: jsonb('items').notNull().default(sql`'[]'::jsonb`),
    error: text('error'),
    /** How often a restart resumed this run (a run that keeps dying with its process is failed after a few). */
    resumes: integer('resumes').notNull().default(0),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    unique('report_schedule_runs_slot_uq').on(t.scheduleId, t.slotDate),
    check('report_schedule_runs_status_ck', sql`${t.status} IN ('running', 'complete', 'partial', 'failed')`),
    index('report_schedule_runs_user_idx').on(t.userId, t.startedAt),
  ],
);
