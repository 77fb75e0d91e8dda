import { boolean, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, marketColumn, symbolColumn } from './columns';

export const symbols = pgTable(
  'symbols',
  {
    market: marketColumn(),
    symbol: symbolColumn(),
    name: text('name').notNull(),
    nameZh: text('name_zh').notNull(),
    currency: text('currency').notNull(),
    exchange: text('exchange').notNull(),
    source: text('source').notNull(),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.market, t.symbol] })],
);
