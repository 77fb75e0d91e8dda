import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, marketColumn, price, symbolColumn } from './columns';
import { symbols } from './symbols';
import { users } from './users';

/**
 * A user's price alert on one symbol of the universe. Crossing semantics: `last_state` is 'armed' until the
 * condition becomes true (the alert fires and turns 'triggered'), and re-arms when the condition is false again.
 * `cooldown_seconds` after `last_fired_at` a crossing does not fire again.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    market: marketColumn(),
    symbol: symbolColumn(),
    condition: jsonb('condition').notNull(),
    channelIds: uuid('channel_ids').array().notNull().default(sql`'{}'::uuid[]`),
    cooldownSeconds: integer('cooldown_seconds').notNull().default(900),
    enabled: boolean('enabled').notNull().default(true),
    lastFiredAt: timestamp('last_fired_at', { withTimezone: true }),
    lastState: text('last_state').notNull().default('armed'),
    createdAt: createdAt(),
  },
  (t) => [
    check('alerts_last_state_ck', sql`${t.lastState} IN ('armed', 'triggered')`),
    check('alerts_cooldown_ck', sql`${t.cooldownSeconds} >= 0`),
    foreignKey({
      name: 'alerts_symbol_fk',
      columns: [t.market, t.symbol],
      foreignColumns: [symbols.market, symbols.symbol],
    }).onDelete('cascade'),
    index('alerts_user_idx').on(t.userId),
    index('alerts_symbol_idx').on(t.market, t.symbol),
  ],
);

/** One firing of an alert: the history page and the in-app notification centre (unread = read_at IS NULL). */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    firedAt: timestamp('fired_at', { withTimezone: true }).notNull(),
    price: price('price').notNull(),
    quoteTs: timestamp('quote_ts', { withTimezone: true }).notNull(),
    message: text('message').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('alert_events_user_fired_idx').on(t.userId, t.firedAt),
    index('alert_events_unread_idx').on(t.userId).where(sql`read_at IS NULL`),
  ],
);
