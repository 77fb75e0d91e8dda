CREATE TABLE "alert_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"state" text NOT NULL,
	"hold_until" timestamp with time zone,
	"delivery_id" uuid,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_deliveries_state_ck" CHECK ("alert_deliveries"."state" IN ('pending', 'held', 'queued', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "alert_quiet_hours" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"time_zone" text NOT NULL,
	"start_minute" integer NOT NULL,
	"end_minute" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_quiet_hours_minutes_ck" CHECK ("alert_quiet_hours"."start_minute" BETWEEN 0 AND 1439 AND "alert_quiet_hours"."end_minute" BETWEEN 0 AND 1439)
);
--> statement-breakpoint
ALTER TABLE "alert_events" ALTER COLUMN "price" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_events" ALTER COLUMN "quote_ts" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ALTER COLUMN "market" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ALTER COLUMN "symbol" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_events" ADD COLUMN "condition" jsonb;--> statement-breakpoint
ALTER TABLE "alert_events" ADD COLUMN "condition_type" text;--> statement-breakpoint
ALTER TABLE "alert_events" ADD COLUMN "observed" double precision;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "portfolio_id" uuid;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "memo" jsonb;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_event_id_alert_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."alert_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_channel_id_notification_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."notification_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_delivery_id_notification_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."notification_deliveries"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_quiet_hours" ADD CONSTRAINT "alert_quiet_hours_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_deliveries_event_idx" ON "alert_deliveries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "alert_deliveries_open_idx" ON "alert_deliveries" USING btree ("state","hold_until") WHERE state IN ('pending', 'held');--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_target_ck" CHECK (("alerts"."market" IS NOT NULL AND "alerts"."symbol" IS NOT NULL) OR "alerts"."portfolio_id" IS NOT NULL);