import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { notificationChannels } from './notification-channels';

/**
 * One message to one channel. Inserted (with its queue job, in the same transaction) before anything is
 * sent; the unique (channel_id, idempotency_key) makes a repeated enqueue a no-op, and the state is what a
 * restarted worker reads to decide whether a message still has to go out.
 * state: queued → sending → delivered | dead (dead-letter list; an admin retries → queued, or discards).
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => notificationChannels.id, { onDelete: 'cascade' }),
    userId: uuid('user_id'),
    event: text('event').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    payload: jsonb('payload').notNull(),
    state: text('state').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    check(
      'notification_deliveries_state_ck',
      sql`${t.state} IN ('queued', 'sending', 'delivered', 'dead', 'discarded')`,
    ),
    uniqueIndex('notification_deliveries_key_uq').on(t.channelId, t.idempotencyKey),
    index('notification_deliveries_dead_idx').on(t.updatedAt).where(sql`state = 'dead'`),
  ],
);
