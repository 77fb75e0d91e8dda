import type { TMarket, TSymbolInfo } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { type DataProvider, dailyBarsWithSource } from '@investiq/market';
import { DateTime } from 'luxon';
import { searchText } from './symbol-text';

/**
 * Register the provider's default symbols (name updates included) as tracked: the ones the collector
 * streams and the dashboard lists. Search text and pinyin initials are computed here as for the universe.
 * `sourceOf` names the provider that lists a market's symbols (a chain's primary); a plain provider is its
 * own source.
 */
export async function syncSymbols(
  db: DatabaseHandle,
  provider: DataProvider,
  opts: { sourceOf?: (market: TMarket) => string; list?: TSymbolInfo[] } = {},
): Promise<number> {
  const list = opts.list ?? (await provider.listSymbols());
  if (list.length === 0) return 0;
  const text = list.map((s) => searchText(s));
  await db.query(
    `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source, is_demo, pinyin, search_text, tracked)
     SELECT *, true FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[],
                                $9::text[], $10::text[])
     ON CONFLICT (market, symbol) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh,
       currency = excluded.currency, exchange = excluded.exchange, source = excluded.source, is_demo = excluded.is_demo,
       pinyin = excluded.pinyin, search_text = excluded.search_text, tracked = true`,
    [
      list.map((s) => s.market),
      list.map((s) => s.symbol),
      list.map((s) => s.name),
      list.map((s) => s.nameZh),
      list.map((s) => s.currency),
      list.map((s) => s.exchange),
      list.map((s) => opts.sourceOf?.(s.market) ?? provider.id),
      list.map((s) => s.isDemo),
      text.map((t) => t.pinyin),
      text.map((t) => t.searchText),
    ],
  );
  return list.length;
}

/**
 * Fill `daily_bars` for every provider symbol from the last stored day (or `years` back) up to today.
 * Idempotent; reports progress per symbol.
 */
export async function syncDailyBars(
  db: DatabaseHandle,
  provider: DataProvider,
  opts: {
    years: number;
    now: Date;
    onProgress?: (done: number, total: number, symbol: string) => void;
    /** A symbol whose bars no source could deliver; the sync goes on with the next (default: throw). */
    onError?: (symbol: string, err: unknown) => void;
    list?: TSymbolInfo[];
  },
): Promise<number> {
  const list = opts.list ?? (await provider.listSymbols());
  // the newest stored day of any source: a chain may answer from its second source after a failover
  const last = await db.query<{ market: string; symbol: string; d: string }>(
    `SELECT market, symbol, to_char(max(date), 'YYYY-MM-DD') AS d FROM daily_bars GROUP BY 1, 2`,
  );
  const lastBy = new Map(last.map((r) => [`${r.market}:${r.symbol}`, r.d]));
  const defaultFrom = DateTime.fromJSDate(opts.now, { zone: 'UTC' })
    .minus({ years: opts.years })
    .toISODate()!;
  const to = DateTime.fromJSDate(opts.now, { zone: 'UTC' }).toISODate()!;
  let written = 0;
  let done = 0;
  for (const s of list) {
    const prev = lastBy.get(`${s.market}:${s.symbol}`);
    const from = prev ? DateTime.fromISO(prev, { zone: 'UTC' }).plus({ days: 1 }).toISODate()! : defaultFrom;
    let bars: Awaited<ReturnType<DataProvider['getDailyBars']>> = [];
    let source = provider.id;
    if (from <= to) {
      try {
        const res = await dailyBarsWithSource(provider, { market: s.market, symbol: s.symbol }, { from, to });
        bars = res.value;
        source = res.source;
      } catch (err) {
        if (!opts.onError) throw err;
        opts.onError(s.symbol, err);
      }
    }
    if (bars.length > 0) {
      await db.query(
        `INSERT INTO daily_bars (market, symbol, date, source, open, high, low, close, volume)
         SELECT $1, $2, d, $3, o, h, l, c, v
           FROM unnest($4::date[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::bigint[]) AS t(d, o, h, l, c, v)
         ON CONFLICT DO NOTHING`,
        [
          s.market,
          s.symbol,
          source,
          bars.map((b) => b.time),
          bars.map((b) => b.open),
          bars.map((b) => b.high),
          bars.map((b) => b.low),
          bars.map((b) => b.close),
          bars.map((b) => b.volume),
        ],
      );
      written += bars.length;
    }
    done += 1;
    opts.onProgress?.(done, list.length, s.symbol);
  }
  return written;
}

/** The tracked symbols (dashboard watchlist); the whole universe is reached through search. */
export async function listSymbols(db: DatabaseHandle) {
  const rows = await db.query<{
    market: string;
    symbol: string;
    name: string;
    name_zh: string;
    currency: string;
    exchange: string;
    is_demo: boolean;
  }>(
    'SELECT market, symbol, name, name_zh, currency, exchange, is_demo FROM symbols WHERE tracked ORDER BY market, symbol',
  );
  return rows.map((r) => ({
    market: r.market as 'CN' | 'HK' | 'US',
    symbol: r.symbol,
    name: r.name,
    nameZh: r.name_zh,
    currency: r.currency,
    exchange: r.exchange,
    isDemo: r.is_demo,
  }));
}
