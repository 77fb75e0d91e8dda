import { foreignKey, index, integer, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, marketColumn, symbolColumn } from './columns';
import { symbols } from './symbols';
import { users } from './users';

/** A user's named list of symbols; `position` orders the lists in the switcher. */
export const watchlists = pgTable(
  'watchlists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [unique('watchlists_user_name_uq').on(t.userId, t.name), index('watchlists_user_idx').on(t.userId)],
);

/** One symbol of a list; only symbols of the universe (`symbols`) can be added. */
export const watchlistItems = pgTable(
  'watchlist_items',
  {
    watchlistId: uuid('watchlist_id')
      .notNull()
      .references(() => watchlists.id, { onDelete: 'cascade' }),
    market: marketColumn(),
    symbol: symbolColumn(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.watchlistId, t.market, t.symbol] }),
    foreignKey({
      name: 'watchlist_items_symbol_fk',
      columns: [t.market, t.symbol],
      foreignColumns: [symbols.market, symbols.symbol],
    }).onDelete('cascade'),
    index('watchlist_items_symbol_idx').on(t.market, t.symbol),
  ],
);
