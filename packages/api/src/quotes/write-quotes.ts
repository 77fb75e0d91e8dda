import { type CopyInFn, type DatabaseHandle, ensureQuotePartitions, type QueryFn } from '@investiq/db';
import type { ProviderQuote } from '@investiq/market';
import { latestQuoteCacheOf } from './latest-quote-cache';
import { type QuoteRow, toQuote } from './quote-row';

export const QUOTES_CHANNEL = 'investiq_quotes';
/** pg_notify payloads must stay under 8000 bytes. */
const NOTIFY_CHUNK_BYTES = 7000;
const COLUMNS = 'market, symbol, ts, source, price, open, high, low, prev_close, volume';

/** A validated row ready to store (parseIngestBatch's output): the same shape a provider delivers. */
type Row = ProviderQuote;

export interface IngestResult {
  received: number;
  inserted: number;
  duplicates: number;
}

/**
 * Partition days already ensured by this process. Another process's retention may drop one of them later,
 * so an insert that finds no partition forgets the cache, ensures the batch's days and retries once.
 */
const ensuredDays = new WeakMap<DatabaseHandle, Set<string>>();

/** PostgreSQL's "no partition of relation … found for row" (check_violation raised by tuple routing). */
function isNoPartition(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23514' && /no partition/i.test(e.message ?? '');
}

/** unique_violation: a row of the batch is already stored (or being stored by a concurrent ingest). */
function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === '23505';
}

/**
 * Batch ingest in one transaction, idempotent on (market, symbol, ts, source): a row already stored is a
 * duplicate, not an error. Unknown symbols are registered, and a NOTIFY per batch carries the newest quote
 * per symbol so every web process can push it live.
 *
 * Writing: rows are COPY'd straight into realtime_quotes under a savepoint (COPY inserts in bulk, which
 * `INSERT … SELECT` cannot). Most batches are all new rows; when one is not (a row already stored, or a
 * key twice in the batch: unique violation), the savepoint is rolled back and the batch goes through a
 * staging table and `INSERT … ON CONFLICT DO NOTHING`, which keeps the first of each key and skips stored
 * ones — the same outcome either way; the second path is slower.
 */
export async function ingestQuotes(db: DatabaseHandle, rows: readonly Row[]): Promise<IngestResult> {
  if (rows.length === 0) return { received: 0, inserted: 0, duplicates: 0 };
  const { received, inserted, duplicates } = await writeChunks(
    db,
    rows.length,
    (start, end) => rows.slice(start, end),
    dayKeys(rows),
  );
  return { received, inserted, duplicates };
}

/** The UTC days (partition keys, `YYYY-MM-DD`) of these timestamps (ms); NaN skipped. */
export function dayKeys(rows: Iterable<{ ts: Date }> | Iterable<number>): Set<string> {
  const days = new Set<string>();
  let lastDay = Number.NaN;
  for (const r of rows) {
    const ms = typeof r === 'number' ? r : r.ts.getTime();
    const day = Math.floor(ms / 86_400_000);
    if (day === lastDay || Number.isNaN(day)) continue;
    lastDay = day;
    days.add(new Date(day * 86_400_000).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * Writes `count` rows that `rowsOf(start, end)` hands over chunk by chunk, just before each chunk is sent —
 * so a caller can validate chunk k+1 while PostgreSQL parses chunk k (ingest-batch.ts). An error thrown by
 * `rowsOf` aborts the COPY and the transaction: nothing is written. `days`: the partitions the rows need.
 * Returns the result and the rows written (all of them, in order).
 */
export async function writeChunks(
  db: DatabaseHandle,
  count: number,
  rowsOf: (start: number, end: number) => readonly Row[],
  days: ReadonlySet<string>,
): Promise<IngestResult & { rows: readonly Row[] }> {
  await ensureDays(db, days);
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeBatch(db, new CopyText(count, rowsOf));
    } catch (err) {
      if (isNoPartition(err) && attempt === 1) {
        // A partition this process had ensured was dropped since (retention elsewhere): recreate, retry once.
        ensuredDays.delete(db);
        await ensureDays(db, days);
        continue;
      }
      // Two batches writing the same keys in different orders wait on each other's rows; PostgreSQL ends one
      // of them (deadlock_detected). Nothing of it was written: run it again once the other has committed —
      // its rows are then duplicates, and the fallback path skips them.
      if (isDeadlock(err) && attempt <= DEADLOCK_RETRIES) {
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
        continue;
      }
      throw err;
    }
  }
}

/** How often a batch chosen as a deadlock victim is run again before the error is the caller's. */
const DEADLOCK_RETRIES = 3;

/** deadlock_detected (40P01). */
function isDeadlock(err: unknown): boolean {
  return (err as { code?: string })?.code === '40P01';
}

async function ensureDays(db: DatabaseHandle, days: ReadonlySet<string>): Promise<void> {
  let known = ensuredDays.get(db);
  if (!known) {
    known = new Set();
    ensuredDays.set(db, known);
  }
  const missing = [...days].filter((d) => !known.has(d)).sort();
  if (missing.length > 0) {
    await ensureQuotePartitions(db, new Date(missing[0]!), new Date(missing[missing.length - 1]!));
    for (const d of missing) known.add(d);
  }
}

/** Rows per COPY chunk: PostgreSQL parses one chunk while the next is formatted. */
const COPY_CHUNK_ROWS = 1000;

/**
 * The batch as COPY text, chunk by chunk, each made once: it keeps the chunks (for the fallback) and the
 * newest row per symbol (for the NOTIFY) as it goes.
 */
class CopyText implements Iterable<string> {
  readonly chunks: string[] = [];
  readonly newest = new Map<string, Row>();
  /** The rows handed over so far (all of them once the COPY has read every chunk). */
  readonly rows: Row[] = [];
  constructor(
    readonly count: number,
    private readonly rowsOf: (start: number, end: number) => readonly Row[],
  ) {}

  *[Symbol.iterator](): Iterator<string> {
    // a COPY that failed part-way read some chunks: the fallback's COPY sends those, then the rest
    yield* this.chunks.slice();
    const { newest, count } = this;
    for (let start = this.chunks.length * COPY_CHUNK_ROWS; start < count; start += COPY_CHUNK_ROWS) {
      const end = Math.min(count, start + COPY_CHUNK_ROWS);
      const rows = this.rowsOf(start, end);
      if (rows.length !== end - start) throw new Error(`rowsOf(${start}, ${end}) gave ${rows.length} rows`);
      for (const r of rows) this.rows.push(r);
      // one string per line, joined once: `text += line` builds a rope that is flattened when written, which
      // took 2–3× as long as the formatting itself (100 000 rows: ≈ 275–350 ms against ≈ 110 ms joined)
      const lines = new Array<string>(end - start);
      for (let i = start; i < end; i++) {
        const r = rows[i - start]!;
        // COPY text format; market/symbol/source are validated to contain no tabs, newlines or backslashes
        lines[i - start] =
          `${r.market}\t${r.symbol}\t${r.ts.toISOString()}\t${r.source}\t${r.price}\t${r.open ?? '\\N'}\t${r.high ?? '\\N'}\t${r.low ?? '\\N'}\t${r.prevClose ?? '\\N'}\t${r.volume ?? '\\N'}\n`;
        const key = `${r.market}:${r.symbol}`;
        const prev = newest.get(key);
        if (!prev || prev.ts < r.ts) newest.set(key, r);
      }
      const text = lines.join('');
      this.chunks.push(text);
      yield text;
    }
  }
}

async function writeBatch(
  db: DatabaseHandle,
  text: CopyText,
): Promise<IngestResult & { rows: readonly Row[] }> {
  const inserted = await db.transaction(async (q, copyIn) => {
    const n = (await copyAllNew(q, copyIn, text)) ? text.count : await insertSkippingStored(q, copyIn, text);
    const newest = [...text.newest.values()];
    // unknown symbols registered and the batch announced in one statement (no NOTIFY when nothing was new;
    // several payloads, when the batch has many symbols, are sent in order)
    await q(
      `WITH reg AS (
         INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source)
         SELECT DISTINCT m, s, s, s, CASE m WHEN 'CN' THEN 'CNY' WHEN 'HK' THEN 'HKD' ELSE 'USD' END, m, 'ingest'
           FROM unnest($1::text[], $2::text[]) AS t(m, s)
         ON CONFLICT (market, symbol) DO NOTHING)
       SELECT pg_notify($3, p) FROM unnest($4::text[]) WITH ORDINALITY AS t(p, i) ORDER BY i`,
      [
        newest.map((r) => r.market),
        newest.map((r) => r.symbol),
        QUOTES_CHANNEL,
        n > 0 ? notifyPayloads(newest) : [],
      ],
    );
    return n;
  });
  // this process reads its own writes at once; other processes learn of them by the NOTIFY
  if (inserted > 0) {
    const cache = latestQuoteCacheOf(db);
    if (cache) for (const r of text.newest.values()) cache.note(toQuote(ingestRowAsQuoteRow(r)));
  }
  return { received: text.count, inserted, duplicates: text.count - inserted, rows: text.rows };
}

/**
 * COPY into realtime_quotes under a savepoint; false (and nothing written) when a row is already stored.
 * The savepoint is left open on success: COMMIT ends it (one round trip fewer than RELEASE).
 */
async function copyAllNew(q: QueryFn, copyIn: CopyInFn, text: CopyText): Promise<boolean> {
  await q('SAVEPOINT quotes_copy');
  try {
    await copyIn(`realtime_quotes (${COLUMNS})`, text);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await q('ROLLBACK TO SAVEPOINT quotes_copy');
    return false;
  }
  return true;
}

/** COPY into a transaction-local staging table, then one `INSERT … ON CONFLICT DO NOTHING`: rows inserted. */
async function insertSkippingStored(q: QueryFn, copyIn: CopyInFn, text: CopyText): Promise<number> {
  await q(
    `CREATE TEMP TABLE IF NOT EXISTS quotes_stage (LIKE realtime_quotes INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
  );
  await copyIn(`quotes_stage (${COLUMNS})`, text);
  const res = await q<{ n: number }>(
    `WITH ins AS (
       INSERT INTO realtime_quotes (${COLUMNS}) SELECT ${COLUMNS} FROM quotes_stage
       ON CONFLICT DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
  );
  return Number(res[0]?.n ?? 0);
}

/** Compact live-update payloads, split to stay under NOTIFY's 8000-byte limit. */
export function notifyPayloads(rows: readonly Row[]): string[] {
  const out: string[] = [];
  let chunk: unknown[] = [];
  let size = 2;
  for (const r of rows) {
    const item = [
      r.market,
      r.symbol,
      r.ts.toISOString(),
      r.source,
      r.price,
      r.open,
      r.high,
      r.low,
      r.prevClose,
      r.volume,
    ];
    const len = JSON.stringify(item).length + 1;
    if (size + len > NOTIFY_CHUNK_BYTES && chunk.length > 0) {
      out.push(JSON.stringify(chunk));
      chunk = [];
      size = 2;
    }
    chunk.push(item);
    size += len;
  }
  if (chunk.length > 0) out.push(JSON.stringify(chunk));
  return out;
}

function ingestRowAsQuoteRow(r: Row): QuoteRow {
  const { prevClose, ...rest } = r;
  return { ...rest, prev_close: prevClose };
}
