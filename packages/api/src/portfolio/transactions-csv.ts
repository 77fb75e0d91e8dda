import { MARKETS, type TMarket } from '@investiq/contracts';
import { parse } from 'csv-parse/sync';
import type { TLedgerError, TLedgerTx } from './ledger';

/** Header of a transactions CSV (docs: the portfolio page's import help). `fee`, `currency`, `note` optional. */
export const TRANSACTION_CSV_COLUMNS = [
  'date',
  'type',
  'market',
  'symbol',
  'quantity',
  'price',
  'fee',
  'currency',
  'note',
] as const;
const REQUIRED = ['date', 'type', 'market', 'symbol', 'quantity', 'price'] as const;
export const MAX_CSV_ROWS = 5_000;

export interface TCsvTx extends TLedgerTx {
  note: string | null;
  /** 1-based line of the file (header = 1). */
  row: number;
}

export interface TCsvRowError {
  /** 1-based line of the file (header = 1); 0 for the file as a whole. */
  row: number;
  field: string;
  message: string;
}

const CSV_FIELD: Record<TLedgerError['field'], string> = {
  type: 'type',
  market: 'market',
  symbol: 'symbol',
  tradeDate: 'date',
  quantity: 'quantity',
  price: 'price',
  fee: 'fee',
  currency: 'currency',
};
/** The CSV column a ledger field comes from. */
export const csvFieldOf = (f: TLedgerError['field']) => CSV_FIELD[f];

function num(v: string | undefined): number {
  if (v === undefined || v.trim() === '') return Number.NaN;
  return Number(v.replace(/,/g, ''));
}

/** Parse the whole file; syntax and per-field problems come back as row errors (nothing thrown). */
export function parseTransactionsCsv(text: string): { rows: TCsvTx[]; errors: TCsvRowError[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    return {
      rows: [],
      errors: [{ row: 0, field: 'file', message: `not a readable CSV file: ${(err as Error).message}` }],
    };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], errors: [{ row: 0, field: 'file', message: 'the file is empty' }] };
  const cols = header.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !cols.includes(c));
  if (missing.length)
    return {
      rows: [],
      errors: [
        {
          row: 1,
          field: missing[0]!,
          message: `missing column(s): ${missing.join(', ')} (header: ${TRANSACTION_CSV_COLUMNS.join(',')})`,
        },
      ],
    };
  if (body.length === 0)
    return { rows: [], errors: [{ row: 0, field: 'file', message: 'the file has no transactions' }] };
  if (body.length > MAX_CSV_ROWS)
    return {
      rows: [],
      errors: [{ row: 0, field: 'file', message: `at most ${MAX_CSV_ROWS} transactions per file` }],
    };
  const rows: TCsvTx[] = [];
  const errors: TCsvRowError[] = [];
  body.forEach((rec, i) => {
    const row = i + 2;
    const get = (c: string) => {
      const k = cols.indexOf(c);
      return k < 0 ? undefined : rec[k];
    };
    const market = (get('market') ?? '').toUpperCase();
    if (!(MARKETS as readonly string[]).includes(market)) {
      errors.push({ row, field: 'market', message: `market must be one of ${MARKETS.join(', ')}` });
      return;
    }
    const symbol = (get('symbol') ?? '').toUpperCase();
    if (!symbol) {
      errors.push({ row, field: 'symbol', message: 'symbol is required' });
      return;
    }
    const feeText = get('fee');
    const tx: TCsvTx = {
      row,
      type: (get('type') ?? '').toLowerCase() as TLedgerTx['type'],
      market: market as TMarket,
      symbol,
      tradeDate: get('date') ?? '',
      quantity: num(get('quantity')),
      price: num(get('price')),
      fee: feeText === undefined || feeText === '' ? 0 : num(feeText),
      currency: (get('currency') || '').toUpperCase(),
      note: get('note') || null,
    };
    rows.push(tx);
  });
  return { rows, errors };
}
