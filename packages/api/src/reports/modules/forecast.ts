import {
  lastBarDate,
  MIN_BARS,
  type ModuleContext,
  type ModuleResult,
  nextTradingDays,
  requireHistory,
} from '../context';
import type { ForecastOutput } from '../types';

/** Neural forecast of closing prices from the timeseries service (point + p10/p50/p90). */
export async function runForecast(
  ctx: ModuleContext,
  signal: AbortSignal,
): Promise<ModuleResult<ForecastOutput>> {
  requireHistory(ctx, MIN_BARS);
  const closes = ctx.bars.map((b) => b.close);
  const res = await ctx.inference.forecast(
    { series: [closes], horizon: ctx.params.forecast.horizon },
    signal,
  );
  const f = res.forecasts[0];
  if (!f || f.point.length === 0) throw new Error('timeseries answered without a forecast');
  const lastDate = lastBarDate(ctx)!;
  return {
    output: {
      model: res.model,
      lastClose: closes.at(-1)!,
      lastDate,
      dates: nextTradingDays(lastDate, f.point.length),
      point: f.point,
      p10: f.p10,
      p50: f.p50,
      p90: f.p90,
      contextLength: res.contextLength,
    },
    inputsAsOf: { dailyBars: lastDate },
  };
}
