import {
  date,
  index,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, marketColumn, price, symbolColumn } from './columns';
import { users } from './users';

/** A user's portfolio; values are reported in `base_currency` (CNY | HKD | USD). */
export const portfolios = pgTable(
  'portfolios',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    baseCurrency: text('base_currency').notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('portfolios_user_name_uq').on(t.userId, t.name)],
);

/**
 * One event of a holding. `type`: buy | sell (quantity shares at price, fee on top) | dividend (quantity
 * shares entitled × price per share, fee withheld) | split (quantity = new shares per old share) | fee.
 * Amounts are in `currency`, which is the symbol's trading currency.
 */
export const portfolioTransactions = pgTable(
  'portfolio_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    portfolioId: uuid('portfolio_id')
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    market: marketColumn(),
    symbol: symbolColumn(),
    tradeDate: date('trade_date', { mode: 'string' }).notNull(),
    quantity: numeric('quantity', { precision: 20, scale: 6 }).notNull(),
    price: price('price').notNull(),
    fee: price('fee').notNull().default('0'),
    currency: text('currency').notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('portfolio_transactions_portfolio_idx').on(t.portfolioId, t.tradeDate)],
);

/** 1 `base` = `rate` `quote`, valid as of `as_of`. `source`: demo | admin | csv. */
export const fxRates = pgTable(
  'fx_rates',
  {
    base: text('base').notNull(),
    quote: text('quote').notNull(),
    rate: numeric('rate', { precision: 24, scale: 10 }).notNull(),
    asOf: timestamp('as_of', { withTimezone: true }).notNull(),
    source: text('source').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.base, t.quote, t.asOf, t.source] })],
);
