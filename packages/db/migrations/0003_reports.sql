CREATE TABLE "prompt_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"language" text NOT NULL,
	"version" integer NOT NULL,
	"body" text NOT NULL,
	"note" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"active" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_sections" (
	"report_id" uuid NOT NULL,
	"module" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"inputs_as_of" jsonb,
	"output" jsonb,
	"error" text,
	CONSTRAINT "report_sections_report_id_module_pk" PRIMARY KEY("report_id","module")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"market" text NOT NULL,
	"symbol" text NOT NULL,
	"status" text NOT NULL,
	"modules" jsonb NOT NULL,
	"params" jsonb NOT NULL,
	"language" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"error" text,
	"lineage" jsonb,
	"degraded_sections" integer DEFAULT 0 NOT NULL,
	"ungrounded_numbers" integer
);
--> statement-breakpoint
ALTER TABLE "report_sections" ADD CONSTRAINT "report_sections_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "prompt_templates_version_uq" ON "prompt_templates" USING btree ("name","language","version");--> statement-breakpoint
CREATE UNIQUE INDEX "prompt_templates_one_active" ON "prompt_templates" USING btree ("name","language") WHERE active;--> statement-breakpoint
CREATE INDEX "reports_symbol_created_idx" ON "reports" USING btree ("market","symbol","created_at");--> statement-breakpoint
CREATE INDEX "reports_created_idx" ON "reports" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_one_running_per_symbol" ON "reports" USING btree ("market","symbol") WHERE status = 'running';