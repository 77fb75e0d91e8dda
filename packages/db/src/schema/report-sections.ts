import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { reports } from './reports';

/** One module's run inside a report: status, timing, inputs' as-of times, output, error. */
export const reportSections = pgTable(
  'report_sections',
  {
    reportId: uuid('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    module: text('module').notNull(),
    /** pending | running | ok | unavailable | skipped | failed */
    status: text('status').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    inputsAsOf: jsonb('inputs_as_of'),
    output: jsonb('output'),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.module] })],
);
