import { bigint, date, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { marketColumn, price, symbolColumn } from './columns';

export const dailyBars = pgTable(
  'daily_bars',
  {
    market: marketColumn(),
    symbol: symbolColumn(),
    date: date('date', { mode: 'string' }).notNull(),
    source: text('source').notNull(),
    open: price('open').notNull(),
    high: price('high').notNull(),
    low: price('low').notNull(),
    close: price('close').notNull(),
    volume: bigint('volume', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.market, t.symbol, t.date, t.source] })],
);
