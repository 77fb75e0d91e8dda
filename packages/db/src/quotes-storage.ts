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

/** Advisory-lock key of partition maintenance (one process at a time does it; the others skip). */
export const QUOTE_MAINTENANCE_LOCK = 'investiq_quote_maintenance';

/**
 * Partition maintenance in one transaction under `pg_try_advisory_xact_lock`: partitions for [from, to]
 * are created and retention applied by whichever process gets the lock; a process that does not get it
 * skips (`ran: false`) because another one is doing the same work right now. PGlite is single-process.
 */
export async function maintainQuoteStorage(
  handle: DatabaseHandle,
  opts: { from: Date; to: Date; retentionDays: number; now: Date },
): Promise<{ ran: boolean; created: number; dropped: number }> {
  return handle.transaction(async (q) => {
    const [lock] = await q<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok', [
      QUOTE_MAINTENANCE_LOCK,
    ]);
    if (!lock?.ok) return { ran: false, created: 0, dropped: 0 };
    const [c] = await q<{ n: number }>('SELECT investiq_ensure_quote_partitions($1::date, $2::date) AS n', [
      utcDay(opts.from),
      utcDay(opts.to),
    ]);
    const [m] = await q<{ mode: string }>(
      `SELECT value #>> '{}' AS mode FROM investiq_meta WHERE key = 'quotes_storage'`,
    );
    let dropped = 0;
    if (m?.mode === 'hypertable') {
      await q(`SELECT remove_retention_policy('realtime_quotes', if_exists => true)`);
      await q(`SELECT add_retention_policy('realtime_quotes', make_interval(days => $1::int))`, [
        opts.retentionDays,
      ]);
    } else {
      const cutoff = new Date(opts.now.getTime() - opts.retentionDays * 86_400_000);
      const [d] = await q<{ n: number }>('SELECT investiq_drop_quote_partitions($1::timestamptz) AS n', [
        cutoff.toISOString(),
      ]);
      dropped = Number(d?.n ?? 0);
    }
    return { ran: true, created: Number(c?.n ?? 0), dropped };
  });
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
