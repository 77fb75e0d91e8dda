/**
 * The daily bars of one symbol, one row per day, as an SQL subquery (parameters are placeholders such
 * as `$1`). With two sources stored (the daily-close cross-check keeps a second source's recent days),
 * the source holding most of the symbol's history wins, so charts and models see one consistent series.
 */
export function oneBarPerDay(market: string, symbol: string): string {
  return `(SELECT DISTINCT ON (b.date) b.*
     FROM daily_bars b
     JOIN (SELECT source, count(*) AS n FROM daily_bars WHERE market = ${market} AND symbol = ${symbol} GROUP BY source) p
       USING (source)
    WHERE b.market = ${market} AND b.symbol = ${symbol}
    ORDER BY b.date, p.n DESC, b.source)`;
}
