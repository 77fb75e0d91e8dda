CREATE TABLE "backtests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" text NOT NULL,
	"strategy" text NOT NULL,
	"spec" jsonb NOT NULL,
	"symbols" jsonb NOT NULL,
	"benchmark" jsonb,
	"progress" real DEFAULT 0 NOT NULL,
	"progress_label" text,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"error" text,
	"metrics" jsonb,
	"result" jsonb
);
--> statement-breakpoint
CREATE INDEX "backtests_created_idx" ON "backtests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "backtests_status_idx" ON "backtests" USING btree ("status");--> statement-breakpoint
ALTER TABLE "backtests" ADD CONSTRAINT "backtests_status_check" CHECK ("status" IN ('running', 'complete', 'failed'));
