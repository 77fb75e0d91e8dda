import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import type { ProviderSet, SymbolRef } from '@investiq/market';
import { DateTime } from 'luxon';
import type { Logger } from '../observability/logger';

export interface CloseCheck {
  market: TMarket;
  symbol: string;
  /** The latest day both sources have. */
  date: string;
  closes: Record<string, number>;
  /** Largest relative gap between the sources' closes, in percent of the smaller close. */
  diffPercent: number;
  flagged: boolean;
}

/**
 * Compare the daily close of every symbol that has bars from two or more real sources (demo excluded) on
 * the latest day they share. `diffPercent` = (max − min) / min · 100; flagged above the threshold.
 */
export async function readCloseChecks(
  db: DatabaseHandle,
  opts: { thresholdPercent: number; ref?: SymbolRef },
): Promise<CloseCheck[]> {
  const rows = await db.query<{ market: TMarket; symbol: string; d: string; source: string; close: number }>(
    `WITH multi AS (
       SELECT market, symbol, date FROM daily_bars
        WHERE source <> 'demo' AND ($1::text IS NULL OR (market = $1 AND symbol = $2))
        GROUP BY 1, 2, 3 HAVING count(DISTINCT source) >= 2),
     latest AS (SELECT market, symbol, max(date) AS date FROM multi GROUP BY 1, 2)
     SELECT b.market, b.symbol, to_char(b.date, 'YYYY-MM-DD') AS d, b.source, b.close::float8 AS close
       FROM daily_bars b JOIN latest l USING (market, symbol, date)
      WHERE b.source <> 'demo'
      ORDER BY b.market, b.symbol, b.source`,
    [opts.ref?.market ?? null, opts.ref?.symbol ?? null],
  );
  const by = new Map<string, CloseCheck>();
  for (const r of rows) {
    const key = `${r.market}:${r.symbol}`;
    let c = by.get(key);
    if (!c) {
      c = { market: r.market, symbol: r.symbol, date: r.d, closes: {}, diffPercent: 0, flagged: false };
      by.set(key, c);
    }
    c.closes[r.source] = Number(r.close);
  }
  for (const c of by.values()) {
    const v = Object.values(c.closes);
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    c.diffPercent = lo > 0 ? Number((((hi - lo) / lo) * 100).toFixed(4)) : 0;
    c.flagged = c.diffPercent > opts.thresholdPercent;
  }
  return [...by.values()];
}

/**
 * For each market whose bars chain lists two or more real sources, fetch the last week of daily bars of
 * every watched symbol from each of the first two (through their breakers and budgets) and store them
 * under their own source, so `readCloseChecks` can compare them. A source already holding yesterday's
 * bar is not asked again (one call per symbol and source per day).
 */
export async function fetchCrossCheckBars(
  db: DatabaseHandle,
  set: ProviderSet,
  symbols: readonly SymbolRef[],
  opts: { now: Date; log: Logger },
): Promise<number> {
  const today = DateTime.fromJSDate(opts.now, { zone: 'UTC' });
  const from = today.minus({ days: 7 }).toISODate()!;
  const to = today.toISODate()!;
  const yesterday = today.minus({ days: 1 }).toISODate()!;
  let written = 0;
  for (const [market, chain] of set.chains) {
    const sources = chain
      .describe()
      .bars.filter((id) => id !== 'demo')
      .slice(0, 2);
    if (sources.length < 2) continue;
    const refs = symbols.filter((s) => s.market === market);
    const have = await db.query<{ symbol: string; source: string }>(
      `SELECT symbol, source FROM daily_bars WHERE market = $1 AND source = ANY($2::text[]) AND date >= $3::date
        GROUP BY 1, 2`,
      [market, sources, yesterday],
    );
    const fresh = new Set(have.map((h) => `${h.symbol}\u0000${h.source}`));
    for (const ref of refs)
      for (const source of sources) {
        if (fresh.has(`${ref.symbol}\u0000${source}`)) continue;
        try {
          const bars = await chain.callProvider('bars', source, 'getDailyBars', (p) =>
            p.getDailyBars(ref, { from, to }),
          );
          if (bars.length === 0) continue;
          await db.query(
            `INSERT INTO daily_bars (market, symbol, date, source, open, high, low, close, volume)
             SELECT $1, $2, d, $3, o, h, l, c, v
               FROM unnest($4::date[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::bigint[]) AS t(d, o, h, l, c, v)
             ON CONFLICT DO NOTHING`,
            [
              market,
              ref.symbol,
              source,
              bars.map((b) => b.time),
              bars.map((b) => b.open),
              bars.map((b) => b.high),
              bars.map((b) => b.low),
              bars.map((b) => b.close),
              bars.map((b) => Math.round(b.volume)),
            ],
          );
          written += bars.length;
        } catch (err) {
          opts.log.debug(
            { market, symbol: ref.symbol, source, err: String(err) },
            'cross-check bars unavailable',
          );
        }
      }
  }
  return written;
}
