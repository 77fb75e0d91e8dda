import { CURRENCY, type TMarket, type TQuote } from '@investiq/contracts';

/** Columns selected wherever a quote is read, in one place. */
export const QUOTE_COLUMNS = `market, symbol, ts, source, price::float8 AS price, open::float8 AS open, high::float8 AS high,
  low::float8 AS low, prev_close::float8 AS prev_close, volume::float8 AS volume`;

export interface QuoteRow {
  market: string;
  symbol: string;
  ts: Date | string;
  source: string;
  price: number | string;
  open: number | string | null;
  high: number | string | null;
  low: number | string | null;
  prev_close: number | string | null;
  volume: number | string | null;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toQuote(row: QuoteRow): TQuote {
  const market = row.market as TMarket;
  const price = Number(row.price);
  const prevClose = num(row.prev_close);
  const change = prevClose ? Number((price - prevClose).toFixed(6)) : null;
  const changePercent = prevClose ? Number((((price - prevClose) / prevClose) * 100).toFixed(4)) : null;
  return {
    market,
    symbol: row.symbol,
    ts: new Date(row.ts).toISOString(),
    source: row.source,
    price,
    open: num(row.open),
    high: num(row.high),
    low: num(row.low),
    prevClose,
    volume: num(row.volume),
    change,
    changePercent,
    currency: CURRENCY[market] ?? 'USD',
  };
}
