import { symbolFormatError, typeError, ZMarket } from '@investiq/contracts';
import { type DatabaseHandle, ensureQuotePartitions, PRICE_COLUMN } from '@investiq/db';
import type { ProviderQuote } from '@investiq/market';
import { z } from 'zod';
import { AppError } from '../errors';
import { latestQuoteCacheOf } from './latest-quote-cache';
import { type QuoteRow, toQuote } from './quote-row';

export const QUOTES_CHANNEL = 'investiq_quotes';
/** Largest batch accepted in one call (HTTP answers 413 above it). */
export const MAX_INGEST_ROWS = 10_000;
/** Quotes may be stamped at most this far ahead of our clock. */
const MAX_FUTURE_MS = 60_000;
/** pg_notify payloads must stay under 8000 bytes. */
const NOTIFY_CHUNK_BYTES = 7000;

/** What numeric(20,6) holds: below 10^14, in steps of 0.000001 (a smaller price would be stored as 0). */
const PRICE_SCALE = PRICE_COLUMN.scale;
const PRICE_MIN = 10 ** -PRICE_SCALE;
const PRICE_LIMIT = 10 ** (PRICE_COLUMN.precision - PRICE_COLUMN.scale);
const PRICE_FIELDS = ['price', 'open', 'high', 'low', 'prevClose'] as const;

const positive = (field: string) =>
  z
    .number(typeError(`${field} must be a number`, `${field} is required`))
    .finite(`${field} must be finite`)
    .positive(`${field} must be > 0`)
    .min(PRICE_MIN, `${field} must be at least ${PRICE_MIN.toFixed(PRICE_SCALE)} (6 decimals are kept)`)
    .lt(PRICE_LIMIT, `${field} must be less than ${PRICE_LIMIT} (the column is numeric(20,6))`);

/** True when rounding to the column's 6 decimals changes nothing but binary floating-point noise (0.1+0.2). */
const fitsScale = (v: number) => Math.abs(Number(v.toFixed(PRICE_SCALE)) - v) <= Math.abs(v) * 1e-12;

/** Sources a caller may name over the HTTP API: `api` or `api.<label>`; provider ids (demo, …) are the collector's. */
export function apiSourceError(source: string): string | null {
  return /^api(?:\.[A-Za-z0-9_.-]+)?$/.test(source)
    ? null
    : `source must be 'api' or start with 'api.' (got '${source}'; provider names such as 'demo' are reserved for the collector)`;
}

export const ZIngestQuote = z
  .object({
    market: ZMarket,
    symbol: z
      .string(typeError('symbol must be a string', 'symbol is required'))
      .trim()
      .min(1, 'symbol is required')
      .max(16),
    ts: z.union([
      z.iso.datetime({
        offset: true,
        error: 'ts must be an ISO 8601 time with a zone, e.g. 2025-01-02T15:04:05Z',
      }),
      z.date(),
    ]),
    price: positive('price'),
    open: positive('open').nullish(),
    high: positive('high').nullish(),
    low: positive('low').nullish(),
    prevClose: positive('prevClose').nullish(),
    volume: z
      .number()
      .int('volume must be an integer')
      .nonnegative('volume must be ≥ 0')
      .max(Number.MAX_SAFE_INTEGER)
      .nullish(),
    source: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .regex(/^[a-z0-9_.-]+$/i, 'source may contain letters, digits, _ . -')
      .optional(),
  })
  .strict();

/** Cross-field rules, checked after the shape (kept out of zod: a refinement triples its cost per row). */
function rowRuleError(
  q: z.output<typeof ZIngestQuote>,
  checkSource: ((source: string) => string | null) | undefined,
): { field: string; message: string } | null {
  const err = symbolFormatError(q.market, q.symbol.toUpperCase());
  if (err) return { field: 'symbol', message: err };
  for (const f of PRICE_FIELDS) {
    const v = q[f];
    if (v != null && !fitsScale(v))
      return {
        field: f,
        message: `${f} has more than ${PRICE_SCALE} decimal places (got ${v}; the column is numeric(20,6))`,
      };
  }
  const sourceErr = q.source !== undefined && checkSource ? checkSource(q.source) : null;
  if (sourceErr) return { field: 'source', message: sourceErr };
  if (q.high != null && q.low != null && q.high < q.low)
    return { field: 'high', message: 'high must be ≥ low' };
  return null;
}

const ZIngestRows = z.array(ZIngestQuote);

export type TIngestQuote = z.input<typeof ZIngestQuote>;

/** A validated row ready to store: the same shape a provider delivers. */
export type IngestRow = ProviderQuote;

export interface IngestIssue {
  row: number;
  field: string;
  message: string;
}

/**
 * Validates a whole batch before anything is written. The error names the row index and field of
 * the first problems (up to 20), so a client can fix its data; no row of a rejected batch is stored.
 */
export function parseIngestBatch(
  input: unknown,
  opts: {
    now: Date;
    retentionDays: number;
    defaultSource: string;
    maxRows?: number;
    /** Refuses a row's own `source` (error message) — the HTTP API passes apiSourceError. */
    checkSource?: (source: string) => string | null;
  },
): IngestRow[] {
  const maxRows = opts.maxRows ?? MAX_INGEST_ROWS;
  const rows = Array.isArray(input) ? input : (input as { quotes?: unknown } | null)?.quotes;
  if (!Array.isArray(rows)) {
    throw new AppError('BAD_REQUEST', 'body must be {"quotes": [...]} with an array of quotes');
  }
  if (rows.length === 0) throw new AppError('BAD_REQUEST', 'quotes must contain at least one row');
  if (rows.length > maxRows) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `batch of ${rows.length} rows exceeds the limit of ${maxRows} rows`,
      {
        details: { limit: maxRows, received: rows.length },
      },
    );
  }
  const oldest = opts.now.getTime() - opts.retentionDays * 86_400_000;
  const newest = opts.now.getTime() + MAX_FUTURE_MS;
  const issues: IngestIssue[] = [];
  const out: IngestRow[] = [];
  // One parse of the whole array (zod's compiled fast path); issue paths start with the row index.
  const parsed = ZIngestRows.safeParse(rows);
  if (!parsed.success) {
    for (const iss of parsed.error.issues.slice(0, 20)) {
      const [row, ...field] = iss.path;
      issues.push({ row: Number(row), field: field.join('.') || '(row)', message: iss.message });
    }
    issues.sort((a, b) => a.row - b.row);
  }
  const data = parsed.success ? parsed.data : [];
  for (let i = 0; i < data.length && issues.length < 20; i++) {
    const q = data[i]!;
    const rule = rowRuleError(q, opts.checkSource);
    if (rule) {
      issues.push({ row: i, ...rule });
      continue;
    }
    const ts = q.ts instanceof Date ? q.ts : new Date(q.ts);
    if (ts.getTime() > newest) {
      issues.push({ row: i, field: 'ts', message: `ts ${ts.toISOString()} is in the future` });
      continue;
    }
    if (ts.getTime() < oldest) {
      issues.push({
        row: i,
        field: 'ts',
        message: `ts ${ts.toISOString()} is older than the ${opts.retentionDays}-day quote retention window (use daily bars for history)`,
      });
      continue;
    }
    out.push({
      market: q.market,
      symbol: q.symbol.toUpperCase(),
      ts,
      source: q.source ?? opts.defaultSource,
      price: q.price,
      open: q.open ?? null,
      high: q.high ?? null,
      low: q.low ?? null,
      prevClose: q.prevClose ?? null,
      volume: q.volume ?? null,
    });
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new AppError(
      'BAD_REQUEST',
      `quotes[${first.row}].${first.field}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''}; nothing was written`,
      { details: { issues } },
    );
  }
  return out;
}

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

/**
 * Batch ingest: one transaction; rows are COPY'd into a session-local staging table and moved with one
 * `INSERT … SELECT … ON CONFLICT DO NOTHING` (idempotent on market, symbol, ts, source); unknown symbols
 * are registered, and a NOTIFY per batch
 * carrying the newest quote per symbol so every web process can push it live.
 */
export async function ingestQuotes(db: DatabaseHandle, rows: readonly IngestRow[]): Promise<IngestResult> {
  if (rows.length === 0) return { received: 0, inserted: 0, duplicates: 0 };
  const days = new Set(rows.map((r) => r.ts.toISOString().slice(0, 10)));
  await ensureDays(db, days);
  try {
    return await writeBatch(db, rows);
  } catch (err) {
    if (!isNoPartition(err)) throw err;
    // A partition this process had ensured was dropped since (retention elsewhere): recreate, retry once.
    ensuredDays.delete(db);
    await ensureDays(db, days);
    return writeBatch(db, rows);
  }
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

async function writeBatch(db: DatabaseHandle, rows: readonly IngestRow[]): Promise<IngestResult> {
  const newest = new Map<string, IngestRow>();
  const lines: string[] = [];
  for (const r of rows) {
    // COPY text format; market/symbol/source are validated to contain no tabs, newlines or backslashes
    lines.push(
      `${r.market}\t${r.symbol}\t${r.ts.toISOString()}\t${r.source}\t${r.price}\t${r.open ?? '\\N'}\t${r.high ?? '\\N'}\t${r.low ?? '\\N'}\t${r.prevClose ?? '\\N'}\t${r.volume ?? '\\N'}\n`,
    );
    const key = `${r.market}:${r.symbol}`;
    const prev = newest.get(key);
    if (!prev || prev.ts < r.ts) newest.set(key, r);
  }

  const inserted = await db.transaction(async (q, copyIn) => {
    await q(
      `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source)
       SELECT DISTINCT m, s, s, s, CASE m WHEN 'CN' THEN 'CNY' WHEN 'HK' THEN 'HKD' ELSE 'USD' END, m, 'ingest'
         FROM unnest($1::text[], $2::text[]) AS t(m, s)
       ON CONFLICT (market, symbol) DO NOTHING`,
      [[...newest.values()].map((r) => r.market), [...newest.values()].map((r) => r.symbol)],
    );
    // Bulk path: COPY into a transaction-local staging table, then one idempotent INSERT … SELECT.
    await q(
      `CREATE TEMP TABLE IF NOT EXISTS quotes_stage (LIKE realtime_quotes INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
    );
    await copyIn(
      'quotes_stage (market, symbol, ts, source, price, open, high, low, prev_close, volume)',
      lines.join(''),
    );
    const res = await q<{ n: number }>(
      `WITH ins AS (
         INSERT INTO realtime_quotes (market, symbol, ts, source, price, open, high, low, prev_close, volume)
         SELECT market, symbol, ts, source, price, open, high, low, prev_close, volume FROM quotes_stage
         ON CONFLICT DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
    );
    const n = Number(res[0]?.n ?? 0);
    if (n > 0) {
      for (const payload of notifyPayloads([...newest.values()])) {
        await q('SELECT pg_notify($1, $2)', [QUOTES_CHANNEL, payload]);
      }
    }
    return n;
  });
  // this process reads its own writes at once; other processes learn of them by the NOTIFY above
  if (inserted > 0) {
    const cache = latestQuoteCacheOf(db);
    if (cache) for (const r of newest.values()) cache.note(toQuote(ingestRowAsQuoteRow(r)));
  }
  return { received: rows.length, inserted, duplicates: rows.length - inserted };
}

function ingestRowAsQuoteRow(r: IngestRow): QuoteRow {
  const { prevClose, ...rest } = r;
  return { ...rest, prev_close: prevClose };
}

/** Compact live-update payloads, split to stay under NOTIFY's 8000-byte limit. */
export function notifyPayloads(rows: readonly IngestRow[]): string[] {
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
