import { CURRENCY, type TMarket } from '@investiq/contracts';
import type { DatabaseHandle, QueryFn } from '@investiq/db';
import {
  type CsvInput,
  type CsvKind,
  type CsvParseResult,
  type CsvRowError,
  parseBarsCsv,
  parseFundamentalsCsv,
} from '@investiq/market/csv';
import { type Actor, writeAudit } from '../audit/audit-log';
import { AppError } from '../errors';

/** Source label of every row an import writes. */
export const CSV_SOURCE = 'csv';
/** Largest file the HTTP upload, the tRPC mutation's sibling route and the CLI accept (413 beyond). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
/** Rows per INSERT … SELECT unnest(…) statement (all inside one transaction). */
const WRITE_CHUNK = 5_000;

export interface CsvImportResult {
  kind: CsvKind;
  /** Data rows in the file. */
  rows: number;
  /** New rows stored. */
  inserted: number;
  /** Rows that replaced an earlier `csv` row of the same key (a corrected re-import). */
  updated: number;
  /** Symbols that were unknown and are now registered (source `csv`). */
  symbolsRegistered: number;
}

export type CsvImportProgress =
  | { phase: 'parsing'; rows: number }
  | { phase: 'writing'; written: number; total: number };

export interface CsvImportOptions {
  kind: CsvKind;
  actor: Actor;
  ip?: string | null;
  /** For the audit row only. */
  fileName?: string;
  onProgress?: (p: CsvImportProgress) => void;
}

/** Error details a client renders as a table. */
export interface CsvImportErrorDetails {
  [key: string]: unknown;
  kind: CsvKind;
  rowCount: number;
  errorCount: number;
  errors: CsvRowError[];
}

/**
 * Imports a CSV file (docs/csv-import.md): parse and validate every row first; if any row is bad, throw a
 * BAD_REQUEST carrying the per-row report and write nothing. Otherwise write all rows (source `csv`),
 * register unknown symbols and audit the import in ONE transaction.
 */
export async function importCsv(
  db: DatabaseHandle,
  input: CsvInput,
  opts: CsvImportOptions,
): Promise<CsvImportResult> {
  const parseOpts = { onProgress: (rows: number) => opts.onProgress?.({ phase: 'parsing', rows }) };
  const parsed: CsvParseResult<unknown> =
    opts.kind === 'bars'
      ? await parseBarsCsv(input, parseOpts)
      : await parseFundamentalsCsv(input, parseOpts);
  if (parsed.errorCount > 0) {
    const first = parsed.errors[0]!;
    const where = first.row > 0 ? `row ${first.row}${first.field ? `, ${first.field}` : ''}: ` : '';
    const more = parsed.errorCount - 1;
    const details: CsvImportErrorDetails = {
      kind: opts.kind,
      rowCount: parsed.rowCount,
      errorCount: parsed.errorCount,
      errors: parsed.errors,
    };
    throw new AppError(
      'BAD_REQUEST',
      `${where}${first.message}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}; nothing was imported`,
      { details },
    );
  }
  return db.transaction(async (q) => {
    const written =
      opts.kind === 'bars'
        ? await writeBars(q, (parsed as Awaited<ReturnType<typeof parseBarsCsv>>).rows, opts)
        : await writeFundamentals(q, (parsed as Awaited<ReturnType<typeof parseFundamentalsCsv>>).rows, opts);
    const symbols =
      opts.kind === 'bars'
        ? (parsed as Awaited<ReturnType<typeof parseBarsCsv>>).rows
        : (parsed as Awaited<ReturnType<typeof parseFundamentalsCsv>>).rows;
    const symbolsRegistered = await registerSymbols(q, symbols);
    const result: CsvImportResult = { kind: opts.kind, rows: parsed.rowCount, ...written, symbolsRegistered };
    await writeAudit(q, {
      actor: opts.actor,
      action: 'market.import',
      target: `csv:${opts.kind}`,
      newValue: { file: opts.fileName ?? null, ...result },
      ip: opts.ip ?? null,
    });
    return result;
  });
}

interface Written {
  inserted: number;
  updated: number;
}

async function writeBars(
  q: QueryFn,
  rows: Awaited<ReturnType<typeof parseBarsCsv>>['rows'],
  opts: CsvImportOptions,
): Promise<Written> {
  let inserted = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    const chunk = rows.slice(i, i + WRITE_CHUNK);
    // xmax = 0 on a row this statement inserted; an updated row carries our transaction id.
    const res = await q<{ inserted: boolean }>(
      `INSERT INTO daily_bars (market, symbol, date, source, open, high, low, close, volume)
       SELECT m, s, d, $1, o, h, l, c, v
         FROM unnest($2::text[], $3::text[], $4::date[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::bigint[])
           AS t(m, s, d, o, h, l, c, v)
       ON CONFLICT (market, symbol, date, source) DO UPDATE
         SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
       RETURNING (xmax = 0) AS inserted`,
      [
        CSV_SOURCE,
        chunk.map((r) => r.market),
        chunk.map((r) => r.symbol),
        chunk.map((r) => r.date),
        chunk.map((r) => r.open),
        chunk.map((r) => r.high),
        chunk.map((r) => r.low),
        chunk.map((r) => r.close),
        chunk.map((r) => r.volume),
      ],
    );
    for (const r of res) r.inserted ? inserted++ : updated++;
    opts.onProgress?.({
      phase: 'writing',
      written: Math.min(i + WRITE_CHUNK, rows.length),
      total: rows.length,
    });
  }
  return { inserted, updated };
}

async function writeFundamentals(
  q: QueryFn,
  rows: Awaited<ReturnType<typeof parseFundamentalsCsv>>['rows'],
  opts: CsvImportOptions,
): Promise<Written> {
  let inserted = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    const chunk = rows.slice(i, i + WRITE_CHUNK);
    const res = await q<{ inserted: boolean }>(
      `INSERT INTO fundamentals (market, symbol, source, fiscal_period_end, as_of, data)
       SELECT m, s, $1, f, a, d
         FROM unnest($2::text[], $3::text[], $4::date[], $5::timestamptz[], $6::jsonb[]) AS t(m, s, f, a, d)
       ON CONFLICT (market, symbol, source, fiscal_period_end) DO UPDATE
         SET as_of = excluded.as_of, data = excluded.data
       RETURNING (xmax = 0) AS inserted`,
      [
        CSV_SOURCE,
        chunk.map((r) => r.market),
        chunk.map((r) => r.symbol),
        chunk.map((r) => r.fiscalPeriodEnd),
        chunk.map((r) => r.asOf),
        chunk.map((r) => JSON.stringify(r)),
      ],
    );
    for (const r of res) r.inserted ? inserted++ : updated++;
    opts.onProgress?.({
      phase: 'writing',
      written: Math.min(i + WRITE_CHUNK, rows.length),
      total: rows.length,
    });
  }
  return { inserted, updated };
}

/** The exchange a symbol's suffix names (the file carries no names; the symbol stands in for them). */
function exchangeOf(market: TMarket, symbol: string): string {
  if (market === 'CN') return symbol.endsWith('.SH') ? 'SSE' : symbol.endsWith('.SZ') ? 'SZSE' : 'BSE';
  if (market === 'HK') return 'HKEX';
  return 'US';
}

async function registerSymbols(
  q: QueryFn,
  rows: readonly { market: TMarket; symbol: string }[],
): Promise<number> {
  const unique = new Map<string, { market: TMarket; symbol: string }>();
  for (const r of rows) unique.set(`${r.market}|${r.symbol}`, { market: r.market, symbol: r.symbol });
  const list = [...unique.values()];
  if (list.length === 0) return 0;
  const res = await q<{ symbol: string }>(
    // untracked: found through search and added to watchlists, not pushed onto everyone's dashboard
    `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source, is_demo, tracked, search_text)
     SELECT m, s, s, s, c, e, $1, false, false, lower(s)
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(m, s, c, e)
     ON CONFLICT (market, symbol) DO NOTHING
     RETURNING symbol`,
    [
      CSV_SOURCE,
      list.map((r) => r.market),
      list.map((r) => r.symbol),
      list.map((r) => CURRENCY[r.market]),
      list.map((r) => exchangeOf(r.market, r.symbol)),
    ],
  );
  return res.length;
}
