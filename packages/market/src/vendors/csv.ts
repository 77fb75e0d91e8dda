import { Readable } from 'node:stream';
import { MARKETS, symbolFormatError, type TMarket } from '@investiq/contracts';
import { CsvError, parse } from 'csv-parse';
import { z } from 'zod';
import type { Fundamentals } from '../provider';

/**
 * Offline CSV import (format: docs/csv-import.md). Parsing streams record by record; every row is
 * validated and ALL problems are collected as `{row, field, message}` (the first `maxErrors` are kept,
 * `errorCount` is the total). `row` is the 1-based line number in the file (the header is line 1), so a
 * spreadsheet user finds it directly.
 */
export const CSV_KINDS = ['bars', 'fundamentals'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export const BAR_COLUMNS = ['market', 'symbol', 'date', 'open', 'high', 'low', 'close', 'volume'] as const;
export const FUNDAMENTALS_COLUMNS = [
  'market',
  'symbol',
  'currency',
  'fiscal_period_end',
  'as_of',
  'revenue',
  'gross_profit',
  'operating_income',
  'net_income',
  'eps',
  'total_assets',
  'total_liabilities',
  'equity',
  'cash',
  'shares_outstanding',
  'pe',
  'pb',
  'roe',
  'gross_margin',
  'operating_margin',
  'net_margin',
  'revenue_growth',
  'earnings_growth',
  'debt_to_equity',
] as const;
const OPTIONAL_FUNDAMENTALS = new Set<string>(['pe', 'pb']);

export const DEFAULT_MAX_ERRORS = 200;
/** numeric(20,6) holds 14 integer digits. */
const MAX_PRICE = 1e14;

export interface CsvRowError {
  /** 1-based line of the file (header = 1); 0 for a problem with the file as a whole. */
  row: number;
  field: string;
  message: string;
}

export interface CsvBarRow {
  market: TMarket;
  symbol: string;
  /** `YYYY-MM-DD` */
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface CsvParseResult<T> {
  rows: T[];
  /** Data rows read (valid or not). */
  rowCount: number;
  errors: CsvRowError[];
  /** All errors, including those beyond `errors.length`. */
  errorCount: number;
}

export interface CsvParseOptions {
  maxErrors?: number;
  /** Called every `progressEvery` data rows (CLI progress output). */
  onProgress?: (rowsRead: number) => void;
  progressEvery?: number;
}

export type CsvInput = string | Uint8Array | Readable | AsyncIterable<Uint8Array | string>;

// ---- field schemas (each message names what is wrong; the field name is reported beside it) ----

const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const ZMarketField = z.string().refine((s) => (MARKETS as readonly string[]).includes(s.toUpperCase()), {
  message: `must be one of ${MARKETS.join(', ')}`,
});
const ZPriceField = z
  .string()
  .refine((s) => decimal.test(s), { message: 'must be a number' })
  .refine((s) => !/\.\d{7,}$/.test(s), {
    message: 'has more than 6 decimal places (prices are numeric(20,6))',
  })
  .transform(Number)
  .refine((n) => n > 0, { message: 'must be positive' })
  .refine((n) => n < MAX_PRICE, { message: `must be below ${MAX_PRICE}` });
const ZVolumeField = z
  .string()
  .refine((s) => /^\d+(\.0*)?$/.test(s), { message: 'must be a whole number ≥ 0' })
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), { message: 'is too large' });
const ZNumberField = z
  .string()
  .refine((s) => decimal.test(s), { message: 'must be a number' })
  .transform(Number);
const ZDateField = z.string().refine(isCalendarDate, { message: 'must be a date YYYY-MM-DD' });
const ZTimeField = z
  .string()
  .refine((s) => isCalendarDate(s) || (/^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s))), {
    message: 'must be a date YYYY-MM-DD or an ISO 8601 time',
  });

function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Validates one cell; pushes an error and returns undefined when invalid. */
function cell<T>(
  schema: z.ZodType<T, string>,
  value: string,
  row: number,
  field: string,
  errs: CsvRowError[],
): T | undefined {
  if (value === '') {
    errs.push({ row, field, message: `${field} is required` });
    return undefined;
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  errs.push({
    row,
    field,
    message: `${field} ${r.error.issues[0]?.message ?? 'is invalid'} (got '${value.slice(0, 40)}')`,
  });
  return undefined;
}

function symbolCell(
  market: TMarket | undefined,
  raw: string,
  row: number,
  errs: CsvRowError[],
): string | undefined {
  if (raw === '') {
    errs.push({ row, field: 'symbol', message: 'symbol is required' });
    return undefined;
  }
  const symbol = raw.toUpperCase();
  if (!market) return symbol;
  const err = symbolFormatError(market, symbol);
  if (err) {
    errs.push({ row, field: 'symbol', message: err });
    return undefined;
  }
  return symbol;
}

// ---- the shared reader ----

interface Collector {
  push(e: CsvRowError): void;
  errors: CsvRowError[];
  count: number;
}
function collector(max: number): Collector {
  const c: Collector = {
    errors: [],
    count: 0,
    push(e) {
      c.count++;
      if (c.errors.length < max) c.errors.push(e);
    },
  };
  return c;
}

function toStream(input: CsvInput): Readable {
  if (typeof input === 'string' || input instanceof Uint8Array) return Readable.from([input]);
  if (input instanceof Readable) return input;
  return Readable.from(input);
}

/**
 * Reads `input` record by record, checks the header against `columns` (all required, no unknown ones, any
 * order), and hands each data row as a column → trimmed value map with its line number to `onRow`.
 */
async function readRecords(
  input: CsvInput,
  columns: readonly string[],
  errs: Collector,
  opts: CsvParseOptions,
  onRow: (values: Record<string, string>, row: number) => void,
): Promise<number> {
  const parser = toStream(input).pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  let header: string[] | null = null;
  let rowCount = 0;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = rec.info.lines;
      if (!header) {
        header = rec.record.map((h) => h.toLowerCase());
        const missing = columns.filter((c) => !header?.includes(c));
        const unknown = header.filter((h) => !columns.includes(h));
        const dup = header.filter((h, i) => header?.indexOf(h) !== i);
        for (const m of missing) errs.push({ row: 1, field: m, message: `header lacks column '${m}'` });
        for (const u of unknown)
          errs.push({ row: 1, field: u, message: `unknown column '${u}' (expected ${columns.join(',')})` });
        for (const d of dup) errs.push({ row: 1, field: d, message: `column '${d}' appears twice` });
        if (missing.length || unknown.length || dup.length) return 0;
        continue;
      }
      rowCount++;
      if (opts.onProgress && rowCount % (opts.progressEvery ?? 10_000) === 0) opts.onProgress(rowCount);
      if (rec.record.length !== header.length) {
        errs.push({
          row: line,
          field: '',
          message: `expected ${header.length} values, found ${rec.record.length}`,
        });
        continue;
      }
      const values: Record<string, string> = {};
      header.forEach((h, i) => {
        values[h] = rec.record[i] ?? '';
      });
      onRow(values, line);
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const lines = (err as CsvError & { lines?: number }).lines ?? 0;
      errs.push({ row: lines, field: '', message: `malformed CSV: ${err.message}` });
      return rowCount;
    }
    throw err;
  }
  if (!header) errs.push({ row: 0, field: '', message: 'the file is empty (a header line is required)' });
  else if (rowCount === 0)
    errs.push({ row: 0, field: '', message: 'the file has a header but no data rows' });
  return rowCount;
}

// ---- bars ----

export async function parseBarsCsv(
  input: CsvInput,
  opts: CsvParseOptions = {},
): Promise<CsvParseResult<CsvBarRow>> {
  const errs = collector(opts.maxErrors ?? DEFAULT_MAX_ERRORS);
  const rows: CsvBarRow[] = [];
  const seen = new Map<string, number>();
  const rowCount = await readRecords(input, BAR_COLUMNS, errs, opts, (v, row) => {
    const e: CsvRowError[] = [];
    const market = cell(ZMarketField, v.market ?? '', row, 'market', e)?.toUpperCase() as TMarket | undefined;
    const symbol = symbolCell(market, v.symbol ?? '', row, e);
    const date = cell(ZDateField, v.date ?? '', row, 'date', e);
    const open = cell(ZPriceField, v.open ?? '', row, 'open', e);
    const high = cell(ZPriceField, v.high ?? '', row, 'high', e);
    const low = cell(ZPriceField, v.low ?? '', row, 'low', e);
    const close = cell(ZPriceField, v.close ?? '', row, 'close', e);
    const volume = cell(ZVolumeField, v.volume ?? '', row, 'volume', e);
    if (high !== undefined && low !== undefined) {
      if (high < low) e.push({ row, field: 'high', message: `high ${high} is below low ${low}` });
      else {
        for (const [name, value] of [
          ['open', open],
          ['close', close],
        ] as const) {
          if (value !== undefined && (value > high || value < low)) {
            e.push({ row, field: name, message: `${name} ${value} is outside low–high ${low}–${high}` });
          }
        }
      }
    }
    if (market && symbol && date) {
      const key = `${market}|${symbol}|${date}`;
      const first = seen.get(key);
      if (first !== undefined)
        e.push({ row, field: 'date', message: `duplicate ${symbol} ${date} (first on row ${first})` });
      else seen.set(key, row);
    }
    if (e.length) {
      for (const x of e) errs.push(x);
      return;
    }
    rows.push({
      market: market!,
      symbol: symbol!,
      date: date!,
      open: open!,
      high: high!,
      low: low!,
      close: close!,
      volume: volume!,
    });
  });
  return { rows, rowCount, errors: errs.errors, errorCount: errs.count };
}

// ---- fundamentals ----

const FUND_NUMBER_FIELDS = FUNDAMENTALS_COLUMNS.filter(
  (c) => !['market', 'symbol', 'currency', 'fiscal_period_end', 'as_of'].includes(c),
);
const NON_NEGATIVE = new Set(['total_assets', 'total_liabilities', 'cash']);

export async function parseFundamentalsCsv(
  input: CsvInput,
  opts: CsvParseOptions = {},
): Promise<CsvParseResult<Fundamentals>> {
  const errs = collector(opts.maxErrors ?? DEFAULT_MAX_ERRORS);
  const rows: Fundamentals[] = [];
  const seen = new Map<string, number>();
  const rowCount = await readRecords(input, FUNDAMENTALS_COLUMNS, errs, opts, (v, row) => {
    const e: CsvRowError[] = [];
    const market = cell(ZMarketField, v.market ?? '', row, 'market', e)?.toUpperCase() as TMarket | undefined;
    const symbol = symbolCell(market, v.symbol ?? '', row, e);
    const currency = cell(
      z.string().refine((s) => /^[A-Za-z]{3}$/.test(s), { message: 'must be a 3-letter ISO currency code' }),
      v.currency ?? '',
      row,
      'currency',
      e,
    )?.toUpperCase();
    const fiscalPeriodEnd = cell(ZDateField, v.fiscal_period_end ?? '', row, 'fiscal_period_end', e);
    const asOfRaw = cell(ZTimeField, v.as_of ?? '', row, 'as_of', e);
    const n: Record<string, number | null> = {};
    for (const f of FUND_NUMBER_FIELDS) {
      const raw = v[f] ?? '';
      if (raw === '' && OPTIONAL_FUNDAMENTALS.has(f)) {
        n[f] = null;
        continue;
      }
      const value = cell(ZNumberField, raw, row, f, e);
      if (value === undefined) continue;
      if (NON_NEGATIVE.has(f) && value < 0) e.push({ row, field: f, message: `${f} must not be negative` });
      else if (f === 'shares_outstanding' && value <= 0)
        e.push({ row, field: f, message: `${f} must be positive` });
      n[f] = value;
    }
    if (market && symbol && fiscalPeriodEnd) {
      const key = `${market}|${symbol}|${fiscalPeriodEnd}`;
      const first = seen.get(key);
      if (first !== undefined) {
        e.push({
          row,
          field: 'fiscal_period_end',
          message: `duplicate ${symbol} ${fiscalPeriodEnd} (first on row ${first})`,
        });
      } else seen.set(key, row);
    }
    if (e.length) {
      for (const x of e) errs.push(x);
      return;
    }
    const g = (f: string) => n[f] as number;
    rows.push({
      market: market!,
      symbol: symbol!,
      currency: currency!,
      fiscalPeriodEnd: fiscalPeriodEnd!,
      asOf: new Date(isCalendarDate(asOfRaw!) ? `${asOfRaw}T00:00:00Z` : asOfRaw!).toISOString(),
      income: {
        revenue: g('revenue'),
        grossProfit: g('gross_profit'),
        operatingIncome: g('operating_income'),
        netIncome: g('net_income'),
        eps: g('eps'),
      },
      balance: {
        totalAssets: g('total_assets'),
        totalLiabilities: g('total_liabilities'),
        equity: g('equity'),
        cash: g('cash'),
        sharesOutstanding: g('shares_outstanding'),
      },
      ratios: {
        pe: n.pe ?? null,
        pb: n.pb ?? null,
        roe: g('roe'),
        grossMargin: g('gross_margin'),
        operatingMargin: g('operating_margin'),
        netMargin: g('net_margin'),
        revenueGrowth: g('revenue_growth'),
        earningsGrowth: g('earnings_growth'),
        debtToEquity: g('debt_to_equity'),
      },
      isDemo: false,
    });
  });
  return { rows, rowCount, errors: errs.errors, errorCount: errs.count };
}
