import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, price } from './columns';
import { notificationChannels } from './notification-channels';
import { notificationDeliveries } from './notification-deliveries';
import { portfolios } from './portfolios';
import { symbols } from './symbols';
import { users } from './users';

/**
 * A user's alert on one symbol of the universe, or on one of their portfolios (`portfolio_id`, the drawdown
 * condition; then market and symbol are null). Crossing semantics: `last_state` is 'armed' until the
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
    market: text('market'),
    symbol: text('symbol'),
    portfolioId: uuid('portfolio_id').references(() => portfolios.id, { onDelete: 'cascade' }),
    condition: jsonb('condition').notNull(),
    /** What the evaluator remembers between evaluations (e.g. the last report judged), per condition type. */
    memo: jsonb('memo'),
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
    check(
      'alerts_target_ck',
      sql`(${t.market} IS NOT NULL AND ${t.symbol} IS NOT NULL) OR ${t.portfolioId} IS NOT NULL`,
    ),
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
    /** The last price that fired it (null for a portfolio condition). */
    price: price('price'),
    quoteTs: timestamp('quote_ts', { withTimezone: true }),
    /** The condition as it was when it fired (the alert may be changed or deleted later). */
    condition: jsonb('condition'),
    conditionType: text('condition_type'),
    /** The observed value the condition compared (RSI, move %, drawdown %, volume multiple…). */
    observed: doublePrecision('observed'),
    message: text('message').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('alert_events_user_fired_idx').on(t.userId, t.firedAt),
    index('alert_events_unread_idx').on(t.userId).where(sql`read_at IS NULL`),
  ],
);

/**
 * One firing's message to one channel: `pending` until handed to the notification queue (`queued`, with the
 * delivery whose state the history shows), `held` until `hold_until` in the user's quiet hours, then sent
 * in one digest per channel; `failed` when it could not be queued (channel deleted or disabled).
 */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => alertEvents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => notificationChannels.id, { onDelete: 'cascade' }),
    state: text('state').notNull(),
    holdUntil: timestamp('hold_until', { withTimezone: true }),
    deliveryId: uuid('delivery_id').references(() => notificationDeliveries.id, { onDelete: 'set null' }),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    check('alert_deliveries_state_ck', sql`${t.state} IN ('pending', 'held', 'queued', 'failed')`),
    index('alert_deliveries_event_idx').on(t.eventId),
    index('alert_deliveries_open_idx').on(t.state, t.holdUntil).where(sql`state IN ('pending', 'held')`),
  ],
);

/**
 * A user's quiet hours for alert messages: between `start_minute` and `end_minute` (minutes after local
 * midnight in `time_zone`; start > end spans midnight) messages to channels are held and go out as one digest
 * per channel when the quiet hours end. The in-app bell is not held.
 */
export const alertQuietHours = pgTable(
  'alert_quiet_hours',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    enabled: boolean('enabled').notNull().default(true),
    timeZone: text('time_zone').notNull(),
    startMinute: integer('start_minute').notNull(),
    endMinute: integer('end_minute').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'alert_quiet_hours_minutes_ck',
      sql`${t.startMinute} BETWEEN 0 AND 1439 AND ${t.endMinute} BETWEEN 0 AND 1439`,
    ),
  ],
);
