ALTER TABLE "symbols" ADD COLUMN "tracked" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "symbols" ADD COLUMN "pinyin" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "symbols" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "symbols" ADD COLUMN "listed_at" timestamp with time zone;--> statement-breakpoint
-- hand-written: trigram search over the whole universe (pg_trgm is a trusted extension since PostgreSQL 13;
-- PGlite loads it from @electric-sql/pglite/contrib/pg_trgm, see src/client.ts)
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
UPDATE "symbols" SET "search_text" = lower("symbol" || ' ' || "name" || ' ' || "name_zh");--> statement-breakpoint
CREATE INDEX "symbols_search_trgm" ON "symbols" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "symbols_pinyin_prefix" ON "symbols" ("pinyin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "symbols_symbol_prefix" ON "symbols" (lower("symbol") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "symbols_name_prefix" ON "symbols" (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "symbols_name_zh_prefix" ON "symbols" ("name_zh" text_pattern_ops);
