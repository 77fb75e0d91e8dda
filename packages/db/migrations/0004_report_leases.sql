DROP INDEX "reports_one_running_per_symbol";--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "run_key" text;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "owner_id" text;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "reports_one_running_per_symbol_key" ON "reports" USING btree ("market","symbol","run_key") WHERE status = 'running';