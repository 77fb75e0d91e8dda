import { index, integer, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/**
 * One strategy backtest run (packages/api/src/backtests). `status`: running | complete | failed. The spec is
 * what was asked (strategy, parameters, dates, costs, sweep), `symbols` the instruments, `result` the whole
 * outcome (equity/drawdown series, metrics, trades, sweep) once complete; `metrics` the portfolio metrics for
 * lists.
 */
export const backtests = pgTable(
  'backtests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    status: text('status').notNull(),
    strategy: text('strategy').notNull(),
    spec: jsonb('spec').notNull(),
    /** [{ market, symbol }], in the order given. */
    symbols: jsonb('symbols').notNull(),
    /** { market, symbol } or null (equal weight of the run's symbols). */
    benchmark: jsonb('benchmark'),
    /** 0 … 1 */
    progress: real('progress').notNull().default(0),
    progressLabel: text('progress_label'),
    /** Touched by the process running the job; a running row without a recent heartbeat was orphaned. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    error: text('error'),
    metrics: jsonb('metrics'),
    result: jsonb('result'),
  },
  (t) => [index('backtests_created_idx').on(t.createdAt), index('backtests_status_idx').on(t.status)],
);
