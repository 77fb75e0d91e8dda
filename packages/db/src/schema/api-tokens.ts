import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { users } from './users';

/** API tokens for programmatic clients: only a SHA-256 of the token is stored; the token is shown once. */
export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  /** 'admin' | 'analyst' | 'viewer' — capped at the owner's current role when used */
  role: text('role').notNull(),
  /** The user the token acts for: disabled owner → token refused; deleted owner → token deleted. */
  ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  /** null = does not expire (only when security.apiTokens.maxLifetimeDays is 0) */
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
