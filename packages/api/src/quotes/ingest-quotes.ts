import { symbolFormatError, typeError, ZMarket } from '@investiq/contracts';
import type { ProviderQuote } from '@investiq/market';
import { z } from 'zod';
import { AppError } from '../errors';
import {
  type CheckedRow,
  fastCheckRows,
  PRICE_LIMIT,
  PRICE_MIN,
  PRICE_SCALE,
  SOURCE_MAX,
  SOURCE_PATTERN,
  SYMBOL_MAX,
  ZIsoTs,
} from './ingest-fast-check';

export { type IngestResult, ingestQuotes, notifyPayloads, QUOTES_CHANNEL } from './write-quotes';

/** Largest batch accepted in one call (HTTP answers 413 above it). */
export const MAX_INGEST_ROWS = 10_000;
/** Quotes may be stamped at most this far ahead of our clock. */
const MAX_FUTURE_MS = 60_000;
const PRICE_FIELDS = ['price', 'open', 'high', 'low', 'prevClose'] as const;

const positive = (field: string) =>
  z
    .number(typeError(`${field} must be a number`, `${field} is required`))
    .finite(`${field} must be finite`)
    .positive(`${field} must be > 0`)
    .min(PRICE_MIN, `${field} must be at least ${PRICE_MIN.toFixed(PRICE_SCALE)} (6 decimals are kept)`)
    .lt(PRICE_LIMIT, `${field} must be less than ${PRICE_LIMIT} (the column is numeric(20,6))`);

const SCALE_FACTOR = 10 ** PRICE_SCALE;
/** True when rounding to the column's 6 decimals changes nothing but binary floating-point noise (0.1+0.2). */
export function fitsScale(v: number): boolean {
  // Shortcut, same answer: when v is the double nearest k / 10^6 and |v| < 10^8 (an ulp below 10^-8), v
  // rounds to exactly k / 10^6, so the rule below holds with a difference of 0 — without a string per price.
  if (Math.abs(v) < 1e8 && Math.round(v * SCALE_FACTOR) / SCALE_FACTOR === v) return true;
  return Math.abs(Number(v.toFixed(PRICE_SCALE)) - v) <= Math.abs(v) * 1e-12;
}

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
      .max(SYMBOL_MAX),
    ts: z.union([ZIsoTs, z.date()]),
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
      .max(SOURCE_MAX)
      .regex(SOURCE_PATTERN, 'source may contain letters, digits, _ . -')
      .optional(),
  })
  .strict();

/** Cross-field rules, checked after the shape (kept out of zod: a refinement triples its cost per row). */
function rowRuleError(
  q: CheckedRow,
  checkSource: ((source: string) => string | null) | undefined,
  symbolErrors: Map<string, string | null>,
): { field: string; message: string } | null {
  // a batch repeats few symbols many times: test each market:symbol once
  const symbol = q.symbol.toUpperCase();
  const key = `${q.market}:${symbol}`;
  let err = symbolErrors.get(key);
  if (err === undefined) {
    err = symbolFormatError(q.market, symbol);
    symbolErrors.set(key, err);
  }
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

export interface IngestParseOptions {
  now: Date;
  retentionDays: number;
  defaultSource: string;
  maxRows?: number;
  /** Refuses a row's own `source` (error message) — the HTTP API passes apiSourceError. */
  checkSource?: (source: string) => string | null;
}

/** The rows of an ingest body (`{quotes: [...]}` or a bare array): 400 when absent or empty, 413 over `maxRows`. */
export function ingestInputRows(input: unknown, maxRows = MAX_INGEST_ROWS): unknown[] {
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
  return rows;
}

/** The window a row's `ts` must fall in (ms): not older than the retention, not over a minute ahead. */
export function ingestWindow(opts: Pick<IngestParseOptions, 'now' | 'retentionDays'>) {
  return {
    oldest: opts.now.getTime() - opts.retentionDays * 86_400_000,
    newest: opts.now.getTime() + MAX_FUTURE_MS,
  };
}

/**
 * Validates a whole batch before anything is written. The error names the row index and field of
 * the first problems (up to 20), so a client can fix its data; no row of a rejected batch is stored.
 */
export function parseIngestBatch(input: unknown, opts: IngestParseOptions): IngestRow[] {
  const rows = ingestInputRows(input, opts.maxRows);
  const { oldest, newest } = ingestWindow(opts);
  const issues: IngestIssue[] = [];
  const out: IngestRow[] = [];
  // The hot loop checks rows by hand (ingest-fast-check.ts); a batch it does not vouch for goes through the
  // zod schema (one parse of the whole array), whose issue paths start with the row index.
  let data: CheckedRow[] | null = fastCheckRows(rows);
  if (!data) {
    const parsed = ZIngestRows.safeParse(rows);
    if (!parsed.success) {
      for (const iss of parsed.error.issues.slice(0, 20)) {
        const [row, ...field] = iss.path;
        issues.push({ row: Number(row), field: field.join('.') || '(row)', message: iss.message });
      }
      issues.sort((a, b) => a.row - b.row);
    }
    data = parsed.success ? parsed.data : [];
  }
  const symbolErrors = new Map<string, string | null>();
  for (let i = 0; i < data.length && issues.length < 20; i++) {
    const q = data[i]!;
    const rule = rowRuleError(q, opts.checkSource, symbolErrors);
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
