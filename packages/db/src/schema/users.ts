import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/** People who sign in with a password. Only an argon2id hash of the password is stored. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** lower-case, unique */
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  /** 'admin' | 'analyst' | 'viewer' */
  role: text('role').notNull(),
  createdAt: createdAt(),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
});
