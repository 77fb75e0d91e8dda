import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { users } from './users';

/**
 * Where notifications go: one row per channel (e-mail, webhook, Telegram, WeCom, DingTalk, Feishu, ntfy).
 * `config` holds the non-secret settings (URL, chat id, recipients); `secret` the secret ones as an
 * AES-256-GCM envelope (`{"$enc": "v1:…"}`, AAD `notification_channel:<id>`), never in plain text.
 */
export const notificationChannels = pgTable(
  'notification_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The user the channel belongs to; null for channels made by an API token without an owner. */
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    /** 'email' | 'webhook' | 'telegram' | 'wecom' | 'dingtalk' | 'feishu' | 'ntfy' */
    type: text('type').notNull(),
    name: text('name').notNull(),
    config: jsonb('config').notNull(),
    secret: jsonb('secret'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    /** 'user:<name>' | 'token:<name>' */
    createdBy: text('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notification_channels_owner_idx').on(t.ownerId)],
);
