import { bigint, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { marketColumn, price, symbolColumn } from './columns';

/**
 * Realtime quotes. Time-partitioned by `ts`: migration 0001 turns this into a TimescaleDB hypertable when the
 * extension is available, else a native `PARTITION BY RANGE (ts)` table with daily partitions.
 * The primary key (market, symbol, ts, source) makes ingest idempotent and serves "latest per symbol".
 */
export const realtimeQuotes = pgTable(
  'realtime_quotes',
  {
    market: marketColumn(),
    symbol: symbolColumn(),
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    source: text('source').notNull(),
    price: price('price').notNull(),
    open: price('open'),
    high: price('high'),
    low: price('low'),
    prevClose: price('prev_close'),
    volume: bigint('volume', { mode: 'number' }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.market, t.symbol, t.ts, t.source] })],
);
