import type { DailyBar, Instrument } from '@investiq/backtest';
import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import { requireSymbol } from '../market/get-symbol';

/** Bars of history before `from` that strategies may read (longest look-back: 750 bars + slack). */
export const WARMUP_BARS = 800;

/**
 * A symbol's stored daily bars up to `to`, with up to WARMUP_BARS before `from` for indicators. One source
 * per date (the first by name when several providers stored the same day).
 */
export async function loadDailyBars(
  db: DatabaseHandle,
  ref: { market: TMarket; symbol: string },
  range: { from: string; to: string },
): Promise<{ inst: Instrument; bars: DailyBar[] }> {
  const info = await requireSymbol(db, ref.market, ref.symbol);
  const rows = await db.query<{ d: string; o: number; h: number; l: number; c: number; v: number }>(
    `WITH one AS (
       SELECT DISTINCT ON (date) date, open, high, low, close, volume
         FROM daily_bars WHERE market = $1 AND symbol = $2 AND date <= $4::date
        ORDER BY date, source)
     SELECT to_char(date, 'YYYY-MM-DD') AS d, open::float8 AS o, high::float8 AS h, low::float8 AS l,
            close::float8 AS c, volume::float8 AS v
       FROM one
      WHERE date >= $3::date
         OR date >= (SELECT min(date) FROM (SELECT date FROM one WHERE date < $3::date
                                            ORDER BY date DESC LIMIT ${WARMUP_BARS}) w)
      ORDER BY date`,
    [ref.market, ref.symbol, range.from, range.to],
  );
  const bars = rows.map((r) => ({ date: r.d, open: r.o, high: r.h, low: r.l, close: r.c, volume: r.v }));
  if (!bars.some((b) => b.date >= range.from))
    throw new AppError(
      'BAD_REQUEST',
      `symbols: ${ref.market}:${ref.symbol} has no stored daily bars between ${range.from} and ${range.to}`,
      { details: { field: 'symbols', symbol: `${ref.market}:${ref.symbol}` } },
    );
  // ST status is in the name (either language): "*ST 某某" gets the ±5 % limit
  const name = /^\*?S?\*?ST/i.test(info.name_zh.trim()) ? info.name_zh : info.name;
  return { inst: { market: ref.market, symbol: ref.symbol, name }, bars };
}
