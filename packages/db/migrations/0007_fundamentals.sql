CREATE TABLE "fundamentals" (
	"market" text NOT NULL,
	"symbol" text NOT NULL,
	"source" text NOT NULL,
	"fiscal_period_end" date NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fundamentals_market_symbol_source_fiscal_period_end_pk" PRIMARY KEY("market","symbol","source","fiscal_period_end")
);
--> statement-breakpoint
CREATE INDEX "fundamentals_symbol_period_idx" ON "fundamentals" USING btree ("market","symbol","fiscal_period_end");