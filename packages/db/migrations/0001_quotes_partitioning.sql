-- Hand-written: time partitioning of realtime_quotes, which drizzle cannot express.
-- TimescaleDB available (and preloaded) → hypertable with 1-day chunks.
-- Otherwise → native PARTITION BY RANGE (ts) with one partition per UTC day, created ahead of time by
-- investiq_ensure_quote_partitions() (called at start-up, by the maintenance tick and by ingest).
-- Set `investiq.quotes_storage = 'native'` in the session to force native partitioning.
DO $$
DECLARE
  mode text := 'native';
BEGIN
  IF coalesce(current_setting('investiq.quotes_storage', true), 'auto') <> 'native'
     AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS timescaledb;
      PERFORM create_hypertable('realtime_quotes', 'ts', chunk_time_interval => interval '1 day');
      mode := 'hypertable';
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'timescaledb present but unusable (%), using native partitioning', SQLERRM;
      mode := 'native';
    END;
  END IF;

  IF mode = 'native' THEN
    -- The table is empty at this point (created by 0000); recreate it partitioned.
    DROP TABLE realtime_quotes;
    CREATE TABLE realtime_quotes (
      market text NOT NULL,
      symbol text NOT NULL,
      ts timestamptz NOT NULL,
      source text NOT NULL,
      price numeric(20, 6) NOT NULL,
      open numeric(20, 6),
      high numeric(20, 6),
      low numeric(20, 6),
      prev_close numeric(20, 6),
      volume bigint,
      received_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT realtime_quotes_market_symbol_ts_source_pk PRIMARY KEY (market, symbol, ts, source)
    ) PARTITION BY RANGE (ts);
  END IF;

  INSERT INTO investiq_meta (key, value) VALUES ('quotes_storage', to_jsonb(mode))
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now();
END
$$;
--> statement-breakpoint
-- "Latest quote per symbol": the primary key (market, symbol, ts, source) already serves
-- ORDER BY ts DESC LIMIT 1 per (market, symbol) as a backward index scan; no extra index needed.
CREATE OR REPLACE FUNCTION investiq_ensure_quote_partitions(from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  d date := from_day;
  part text;
  created integer := 0;
BEGIN
  IF (SELECT value #>> '{}' FROM investiq_meta WHERE key = 'quotes_storage') <> 'native' THEN
    RETURN 0;
  END IF;
  IF to_day - from_day > 400 THEN
    RAISE EXCEPTION 'refusing to create % daily partitions at once', to_day - from_day + 1;
  END IF;
  -- Serialise concurrent creators (several collectors / web processes).
  PERFORM pg_advisory_xact_lock(hashtext('investiq_ensure_quote_partitions'));
  WHILE d <= to_day LOOP
    part := 'realtime_quotes_' || to_char(d, 'YYYYMMDD');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF realtime_quotes FOR VALUES FROM (%L) TO (%L)',
        part, to_char(d, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(d + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
      created := created + 1;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN created;
END
$$;
--> statement-breakpoint
-- Retention for native partitioning: drop whole daily partitions that end before `cutoff`.
CREATE OR REPLACE FUNCTION investiq_drop_quote_partitions(cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  dropped integer := 0;
BEGIN
  FOR r IN
    SELECT c.relname
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'realtime_quotes' AND c.relname ~ '^realtime_quotes_[0-9]{8}$'
  LOOP
    IF (to_date(substring(r.relname from 17), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' <= cutoff THEN
      EXECUTE format('DROP TABLE %I', r.relname);
      dropped := dropped + 1;
    END IF;
  END LOOP;
  RETURN dropped;
END
$$;
