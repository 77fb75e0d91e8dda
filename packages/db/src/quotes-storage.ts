import type { DatabaseHandle } from './client';

export type QuotesStorage = 'hypertable' | 'native';

export async function quotesStorage(handle: DatabaseHandle): Promise<QuotesStorage> {
  const rows = await handle.query<{ mode: string }>(
    `SELECT value #>> '{}' AS mode FROM investiq_meta WHERE key = 'quotes_storage'`,
  );
  const mode = rows[0]?.mode;
  if (mode !== 'hypertable' && mode !== 'native')
    throw new Error('quotes storage mode missing: migrations not applied?');
  return mode;
}

function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Make sure daily partitions exist for every UTC day in [from, to] (no-op on a hypertable). */
export async function ensureQuotePartitions(handle: DatabaseHandle, from: Date, to: Date): Promise<number> {
  const rows = await handle.query<{ n: number }>(
    'SELECT investiq_ensure_quote_partitions($1::date, $2::date) AS n',
    [utcDay(from), utcDay(to)],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Apply the quote retention policy: native partitioning drops whole days older than `days`;
 * TimescaleDB gets (or replaces) an `add_retention_policy` job.
 */
export async function applyQuoteRetention(
  handle: DatabaseHandle,
  days: number,
  now: Date = new Date(),
): Promise<{ storage: QuotesStorage; dropped: number }> {
  const storage = await quotesStorage(handle);
  if (storage === 'hypertable') {
    await handle.query(`SELECT remove_retention_policy('realtime_quotes', if_exists => true)`);
    await handle.query(`SELECT add_retention_policy('realtime_quotes', make_interval(days => $1::int))`, [
      days,
    ]);
    return { storage, dropped: 0 };
  }
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const rows = await handle.query<{ n: number }>(
    'SELECT investiq_drop_quote_partitions($1::timestamptz) AS n',
    [cutoff.toISOString()],
  );
  return { storage, dropped: Number(rows[0]?.n ?? 0) };
}

/** Names of the existing daily partitions, oldest first (empty on a hypertable). */
export async function listQuotePartitions(handle: DatabaseHandle): Promise<string[]> {
  const rows = await handle.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'realtime_quotes' ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}
