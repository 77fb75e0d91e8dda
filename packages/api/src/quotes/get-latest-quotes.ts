import type { TLatestQuote, TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import { decideFreshness, type FreshnessOptions } from './decide-freshness';
import { QUOTE_COLUMNS, type QuoteRow, toQuote } from './quote-row';

export interface SymbolKey {
  market: TMarket;
  symbol: string;
}

/**
 * Newest quote per requested symbol under the freshness contract. One round trip: a LATERAL
 * `ORDER BY ts DESC LIMIT 1` per symbol, served backwards by the primary-key index of each partition.
 * Unknown symbols (never registered) are a NOT_FOUND error naming them.
 */
export async function getLatestQuotes(
  db: DatabaseHandle,
  refs: readonly SymbolKey[],
  maxAgeSeconds: number,
  now: Date,
  opts: FreshnessOptions = {},
): Promise<TLatestQuote[]> {
  if (refs.length === 0) return [];
  const rows = await db.query<QuoteRow & { known: boolean; req_market: string; req_symbol: string }>(
    `SELECT r.market AS req_market, r.symbol AS req_symbol, (s.symbol IS NOT NULL) AS known, q.*
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r(market, symbol, ord)
       LEFT JOIN symbols s ON s.market = r.market AND s.symbol = r.symbol
       LEFT JOIN LATERAL (
         SELECT ${QUOTE_COLUMNS} FROM realtime_quotes q
          WHERE q.market = r.market AND q.symbol = r.symbol
          ORDER BY q.ts DESC LIMIT 1
       ) q ON true
      ORDER BY r.ord`,
    [refs.map((r) => r.market), refs.map((r) => r.symbol)],
  );
  const unknown = rows.filter((r) => !r.known).map((r) => `${r.req_market}:${r.req_symbol}`);
  if (unknown.length > 0) {
    throw new AppError('NOT_FOUND', `unknown symbol${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      details: { unknown },
    });
  }
  return rows.map((r, i) =>
    decideFreshness(
      refs[i]!,
      r.price === null || r.price === undefined ? null : toQuote(r),
      maxAgeSeconds,
      now,
      opts,
    ),
  );
}

export async function getLatestQuote(
  db: DatabaseHandle,
  ref: SymbolKey,
  maxAgeSeconds: number,
  now: Date,
  opts: FreshnessOptions = {},
): Promise<TLatestQuote> {
  const [one] = await getLatestQuotes(db, [ref], maxAgeSeconds, now, opts);
  return one!;
}
