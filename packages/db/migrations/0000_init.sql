CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "daily_bars" (
	"market" text NOT NULL,
	"symbol" text NOT NULL,
	"date" date NOT NULL,
	"source" text NOT NULL,
	"open" numeric(20, 6) NOT NULL,
	"high" numeric(20, 6) NOT NULL,
	"low" numeric(20, 6) NOT NULL,
	"close" numeric(20, 6) NOT NULL,
	"volume" bigint NOT NULL,
	CONSTRAINT "daily_bars_market_symbol_date_source_pk" PRIMARY KEY("market","symbol","date","source")
);
--> statement-breakpoint
CREATE TABLE "investiq_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "realtime_quotes" (
	"market" text NOT NULL,
	"symbol" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"price" numeric(20, 6) NOT NULL,
	"open" numeric(20, 6),
	"high" numeric(20, 6),
	"low" numeric(20, 6),
	"prev_close" numeric(20, 6),
	"volume" bigint,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "realtime_quotes_market_symbol_ts_source_pk" PRIMARY KEY("market","symbol","ts","source")
);
--> statement-breakpoint
CREATE TABLE "symbols" (
	"market" text NOT NULL,
	"symbol" text NOT NULL,
	"name" text NOT NULL,
	"name_zh" text NOT NULL,
	"currency" text NOT NULL,
	"exchange" text NOT NULL,
	"source" text NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "symbols_market_symbol_pk" PRIMARY KEY("market","symbol")
);
