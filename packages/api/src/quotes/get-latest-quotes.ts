import type { TLatestQuote, TMarket, TQuote } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import { decideFreshness, type FreshnessOptions } from './decide-freshness';
import { latestQuoteCacheOf } from './latest-quote-cache';
import { QUOTE_COLUMNS, type QuoteRow, toQuote } from './quote-row';

export interface SymbolKey {
  market: TMarket;
  symbol: string;
}

/**
 * Newest quote per requested symbol under the freshness contract, judged at `now`. Served from the process's
 * latest-quote cache when one is attached (runtime: fed by NOTIFY, see latest-quote-cache.ts), else — and on
 * a miss — one round trip: a LATERAL `ORDER BY ts DESC LIMIT 1` per symbol, served backwards by the
 * primary-key index of each partition. Unknown symbols (never registered) are a NOT_FOUND error naming them.
 */
export async function getLatestQuotes(
  db: DatabaseHandle,
  refs: readonly SymbolKey[],
  maxAgeSeconds: number,
  now: Date,
  opts: FreshnessOptions = {},
): Promise<TLatestQuote[]> {
  if (refs.length === 0) return [];
  const keys = refs.map((r) => `${r.market}:${r.symbol}`);
  const cache = latestQuoteCacheOf(db);
  const latest = cache
    ? await cache.read(keys, (missing) => readLatest(db, missing))
    : await readLatest(db, keys);
  const unknown = [...new Set(keys.filter((k) => !latest.has(k)))];
  if (unknown.length > 0) {
    throw new AppError('NOT_FOUND', `unknown symbol${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      details: { unknown },
    });
  }
  return refs.map((ref, i) => decideFreshness(ref, latest.get(keys[i]!) ?? null, maxAgeSeconds, now, opts));
}

/** The stored newest quote per `market:symbol` key (null: none stored); unknown symbols are left out. */
async function readLatest(db: DatabaseHandle, keys: readonly string[]): Promise<Map<string, TQuote | null>> {
  const split = keys.map((k) => {
    const i = k.indexOf(':');
    return [k.slice(0, i), k.slice(i + 1)] as const;
  });
  const rows = await db.query<QuoteRow & { known: boolean; req_market: string; req_symbol: string }>(
    `SELECT r.market AS req_market, r.symbol AS req_symbol, (s.symbol IS NOT NULL) AS known, q.*
       FROM unnest($1::text[], $2::text[]) AS r(market, symbol)
       LEFT JOIN symbols s ON s.market = r.market AND s.symbol = r.symbol
       LEFT JOIN LATERAL (
         SELECT ${QUOTE_COLUMNS} FROM realtime_quotes q
          WHERE q.market = r.market AND q.symbol = r.symbol
          ORDER BY q.ts DESC LIMIT 1
       ) q ON true`,
    [split.map((s) => s[0]), split.map((s) => s[1])],
  );
  const out = new Map<string, TQuote | null>();
  for (const r of rows) {
    if (!r.known) continue;
    const quote = r.price === null || r.price === undefined ? null : toQuote(r);
    out.set(`${r.req_market}:${r.req_symbol}`, quote ? Object.freeze(quote) : null);
  }
  return out;
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
