import type { TBar, TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { oneBarPerDay } from '../market/bars-sql';
import { requireSymbol } from '../market/get-symbol';

export type HistoryInterval = '1m' | '5m' | '1d';

const BUCKET: Record<Exclude<HistoryInterval, '1d'>, string> = { '1m': '1 minute', '5m': '5 minutes' };

/**
 * Bars for the chart. `1d`: stored daily bars (completed sessions). `1m`/`5m`: candles aggregated from
 * realtime quotes with date_bin (TimescaleDB's time_bucket is equivalent; date_bin works on both paths).
 */
export async function getHistory(
  db: DatabaseHandle,
  ref: { market: TMarket; symbol: string },
  opts: { interval: HistoryInterval; limit: number; now: Date },
): Promise<TBar[]> {
  await requireSymbol(db, ref.market, ref.symbol);
  if (opts.interval === '1d') {
    const rows = await db.query<{ d: string; o: number; h: number; l: number; c: number; v: number }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS d, open::float8 AS o, high::float8 AS h, low::float8 AS l,
              close::float8 AS c, volume::float8 AS v
         FROM (SELECT * FROM ${oneBarPerDay('$1', '$2')} one ORDER BY date DESC LIMIT $3) x
        ORDER BY date`,
      [ref.market, ref.symbol, opts.limit],
    );
    return rows.map((r) => ({ time: r.d, open: r.o, high: r.h, low: r.l, close: r.c, volume: r.v }));
  }
  const bucket = BUCKET[opts.interval];
  const since = new Date(opts.now.getTime() - opts.limit * (opts.interval === '1m' ? 60_000 : 300_000));
  const rows = await db.query<{
    t: Date | string;
    o: number;
    h: number;
    l: number;
    c: number;
    v: number | null;
  }>(
    `SELECT b AS t,
            (array_agg(price ORDER BY ts))[1]::float8 AS o, max(price)::float8 AS h, min(price)::float8 AS l,
            (array_agg(price ORDER BY ts DESC))[1]::float8 AS c,
            (max(volume) - min(volume))::float8 AS v
       FROM (SELECT date_bin($3::interval, ts, TIMESTAMPTZ '2000-01-01') AS b, ts, price, volume
               FROM realtime_quotes WHERE market = $1 AND symbol = $2 AND ts >= $4) q
      GROUP BY b ORDER BY b`,
    [ref.market, ref.symbol, bucket, since.toISOString()],
  );
  return rows.map((r) => ({
    time: new Date(r.t).toISOString(),
    open: r.o,
    high: r.h,
    low: r.l,
    close: r.c,
    volume: r.v ?? 0,
  }));
}
