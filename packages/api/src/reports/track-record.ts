import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { oneBarPerDay } from '../market/bars-sql';
import type { ForecastOutput, StatisticsOutput } from './types';

export interface ModelTrackRecord {
  model: 'arima' | 'neural';
  /** Reports whose whole horizon has realised prices. */
  reports: number;
  /** Mean absolute percentage error over all forecast steps, percent. */
  mapePct: number;
  /** Share of reports where the horizon-end forecast got the direction (vs the last close) right. */
  directionHitRate: number;
  /** Share of realised closes inside each interval (nominal level → observed). */
  coverage: { level: number; rate: number }[];
}

export interface TrackRecord {
  market: TMarket;
  symbol: string;
  models: ModelTrackRecord[];
  /** Reports whose horizon has not fully passed yet. */
  pending: number;
}

interface Acc {
  reports: number;
  apeSum: number;
  apeN: number;
  hits: number;
  cover: Map<number, { in: number; n: number }>;
}

const newAcc = (): Acc => ({ reports: 0, apeSum: 0, apeN: 0, hits: 0, cover: new Map() });

function score(
  acc: Acc,
  lastClose: number,
  forecast: number[],
  realised: number[],
  intervals: { level: number; lower: number[]; upper: number[] }[],
) {
  acc.reports++;
  forecast.forEach((f, i) => {
    acc.apeSum += Math.abs(f - realised[i]!) / Math.abs(realised[i]!);
    acc.apeN++;
  });
  const h = forecast.length - 1;
  if (Math.sign(forecast[h]! - lastClose) === Math.sign(realised[h]! - lastClose)) acc.hits++;
  for (const iv of intervals) {
    const c = acc.cover.get(iv.level) ?? { in: 0, n: 0 };
    realised.forEach((r, i) => {
      c.n++;
      if (r >= iv.lower[i]! && r <= iv.upper[i]!) c.in++;
    });
    acc.cover.set(iv.level, c);
  }
}

/**
 * Past forecasts against realised prices: for each complete report of the symbol whose horizon has passed
 * (enough stored daily bars after its last input bar), per model: MAPE, direction hit rate, interval coverage.
 */
export async function getTrackRecord(
  db: DatabaseHandle,
  ref: { market: TMarket; symbol: string },
  opts: { limit?: number } = {},
): Promise<TrackRecord> {
  const rows = await db.query<{ module: string; output: StatisticsOutput | ForecastOutput }>(
    `SELECT s.module, s.output FROM reports r JOIN report_sections s ON s.report_id = r.id
      WHERE r.market = $1 AND r.symbol = $2 AND r.status = 'complete' AND s.status = 'ok'
        AND s.module IN ('statistics', 'forecast')
      ORDER BY r.created_at DESC LIMIT $3`,
    [ref.market, ref.symbol, (opts.limit ?? 200) * 2],
  );
  const bars = await db.query<{ d: string; c: number }>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS d, close::float8 AS c FROM ${oneBarPerDay('$1', '$2')} one
      WHERE date > (
        SELECT coalesce(min(x.d), now()::date) FROM (
          SELECT (s.output->>'lastDate')::date AS d FROM reports r JOIN report_sections s ON s.report_id = r.id
           WHERE r.market = $1 AND r.symbol = $2 AND s.module IN ('statistics', 'forecast') AND s.status = 'ok') x)
      ORDER BY date`,
    [ref.market, ref.symbol],
  );
  const realisedAfter = (date: string, n: number): number[] | null => {
    const i = bars.findIndex((b) => b.d > date);
    if (i < 0 || i + n > bars.length) return null;
    return bars.slice(i, i + n).map((b) => b.c);
  };
  const arima = newAcc();
  const neural = newAcc();
  let pending = 0;
  for (const r of rows) {
    if (r.module === 'statistics') {
      const st = r.output as StatisticsOutput;
      if (!st.arima) continue;
      const real = realisedAfter(st.lastDate, st.arima.forecast.length);
      if (!real) {
        pending++;
        continue;
      }
      score(arima, st.lastClose, st.arima.forecast, real, st.arima.intervals);
    } else {
      const fc = r.output as ForecastOutput;
      const real = realisedAfter(fc.lastDate, fc.point.length);
      if (!real) {
        pending++;
        continue;
      }
      score(neural, fc.lastClose, fc.point, real, [{ level: 0.8, lower: fc.p10, upper: fc.p90 }]);
    }
  }
  const view = (model: 'arima' | 'neural', a: Acc): ModelTrackRecord => ({
    model,
    reports: a.reports,
    mapePct: a.apeN ? (a.apeSum / a.apeN) * 100 : Number.NaN,
    directionHitRate: a.reports ? a.hits / a.reports : Number.NaN,
    coverage: [...a.cover.entries()]
      .sort(([x], [y]) => x - y)
      .map(([level, c]) => ({ level, rate: c.in / c.n })),
  });
  return {
    market: ref.market,
    symbol: ref.symbol,
    models: [view('arima', arima), view('neural', neural)].filter((m) => m.reports > 0),
    pending,
  };
}
