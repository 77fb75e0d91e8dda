import { boolean, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, marketColumn, symbolColumn } from './columns';

/**
 * Every listed symbol a provider (or CSV import) knows: the whole universe per market, refreshed daily
 * (api market/universe.ts). `tracked` rows are the ones the collector streams and the dashboard lists;
 * search (api market/search-symbols.ts) covers all of them. The trigram index on `search_text` is
 * hand-written in migration 0007 (pg_trgm).
 */
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
    /** Streamed by the collector and shown on the dashboard (the provider's default list). */
    tracked: boolean('tracked').notNull().default(true),
    /** Pinyin initials of `name_zh`, lower case (`gzmt` for 贵州茅台); '' for names without Hanzi. */
    pinyin: text('pinyin').notNull().default(''),
    /** Lower-case code forms, names and pinyin joined by spaces: what search matches on. */
    searchText: text('search_text').notNull().default(''),
    /** When a universe sync last listed this symbol (null: never, e.g. the demo's own list). */
    listedAt: timestamp('listed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.market, t.symbol] })],
);
