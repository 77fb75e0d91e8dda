import { numeric, text, timestamp } from 'drizzle-orm/pg-core';

/** Prices are exact decimals (numeric), read back as JS numbers at the edge via `Number()`. */
export const price = (name: string) => numeric(name, { precision: 20, scale: 6 });
export const marketColumn = () => text('market').notNull();
export const symbolColumn = () => text('symbol').notNull();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
