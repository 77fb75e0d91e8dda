import {
  lastBarDate,
  MIN_BARS,
  type ModuleContext,
  type ModuleResult,
  nextTradingDays,
  requireHistory,
} from '../context';
import { describeFailure, ServiceUnavailableError } from '../inference-gateway';
import type { StatisticsOutput } from '../types';

const reason = (err: unknown) =>
  err instanceof ServiceUnavailableError ? err.message : describeFailure('cpu-timeseries', err);

/**
 * Auto-ARIMA forecast with intervals on closing prices and GARCH(1,1) volatility/VaR on daily log returns
 * (in percent), both from the cpu-timeseries service, concurrently. One half failing keeps the other; both
 * failing makes the section unavailable.
 */
export async function runStatistics(
  ctx: ModuleContext,
  signal: AbortSignal,
): Promise<ModuleResult<StatisticsOutput>> {
  requireHistory(ctx, MIN_BARS);
  const p = ctx.params.statistics;
  const closes = ctx.bars.map((b) => b.close);
  const lastClose = closes.at(-1)!;
  const lastDate = lastBarDate(ctx)!;
  const returns = closes.slice(1).map((c, i) => Math.log(c / closes[i]!) * 100);
  const api = ctx.inference;
  const [arima, garch] = await Promise.allSettled([
    api.arima(
      { series: closes.slice(-p.arimaPoints), horizon: p.arimaHorizon, levels: p.arimaLevels },
      signal,
    ),
    api.garch({ returns, horizon: p.garchHorizon, varLevels: p.varLevels }, signal),
  ]);
  if (arima.status === 'rejected' && garch.status === 'rejected') {
    throw arima.reason instanceof ServiceUnavailableError
      ? arima.reason
      : new ServiceUnavailableError('cpu-timeseries', reason(arima.reason));
  }
  const out: StatisticsOutput = { lastClose, lastDate, arima: null, garch: null };
  if (arima.status === 'fulfilled') {
    const a = arima.value;
    out.arima = {
      order: a.order,
      aicc: a.aicc,
      dates: nextTradingDays(lastDate, a.forecast.length),
      forecast: a.forecast,
      intervals: a.intervals,
    };
  } else out.arimaError = reason(arima.reason);
  if (garch.status === 'fulfilled') {
    const g = garch.value;
    const sqrt252 = Math.sqrt(252);
    const cond = g.conditionalVolatility.at(-1) ?? Number.NaN;
    const fv = g.forecastVolatility;
    const meanVar = fv.reduce((s, v) => s + v * v, 0) / Math.max(1, fv.length);
    out.garch = {
      omega: g.params.omega,
      alpha: g.params.alpha,
      beta: g.params.beta,
      persistence: g.params.alpha + g.params.beta,
      annualVolPct: cond * sqrt252,
      forecastAnnualVolPct: Math.sqrt(meanVar) * sqrt252,
      dailyVolForecastPct: fv,
      // VaR of a log return in percent → loss fraction of the price: 1 − exp(−VaR/100).
      var: g.var.map((v) => ({
        level: v.level,
        pct: v.value,
        amount: lastClose * (1 - Math.exp(-v.value / 100)),
      })),
    };
  } else out.garchError = reason(garch.reason);
  return { output: out, inputsAsOf: { dailyBars: lastDate } };
}
