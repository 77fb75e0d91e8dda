import { numeric, text, timestamp } from 'drizzle-orm/pg-core';

/** numeric(20,6): 14 integer digits and 6 decimals. Ingest validates against these (see ingest-quotes.ts). */
export const PRICE_COLUMN = { precision: 20, scale: 6 } as const;
/** Prices are exact decimals (numeric), read back as JS numbers at the edge via `Number()`. */
export const price = (name: string) => numeric(name, PRICE_COLUMN);
export const marketColumn = () => text('market').notNull();
export const symbolColumn = () => text('symbol').notNull();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
