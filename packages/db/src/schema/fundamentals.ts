import { date, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, marketColumn, symbolColumn } from './columns';

/**
 * Stored company fundamentals, one row per (market, symbol, source, fiscal period end). `data` holds the
 * `Fundamentals` object of @investiq/market (income, balance, ratios, currency) as delivered or imported.
 */
export const fundamentals = pgTable(
  'fundamentals',
  {
    market: marketColumn(),
    symbol: symbolColumn(),
    source: text('source').notNull(),
    fiscalPeriodEnd: date('fiscal_period_end', { mode: 'string' }).notNull(),
    asOf: timestamp('as_of', { withTimezone: true }).notNull(),
    data: jsonb('data').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.market, t.symbol, t.source, t.fiscalPeriodEnd] }),
    index('fundamentals_symbol_period_idx').on(t.market, t.symbol, t.fiscalPeriodEnd),
  ],
);
