import { z } from 'zod';
import {
  lastBarDate,
  MIN_BARS,
  type ModuleContext,
  type ModuleResult,
  nextTradingDays,
  requireHistory,
} from '../context';
import { describeFailure, ServiceUnavailableError } from '../inference-gateway';
import { n, pct } from '../markdown-format';
import { type AddFact, defineModule, type WriterTools } from '../module';

const fraction = z.number().gt(0).lt(1);

/** `analysis.modules.statistics` */
const ZStatisticsParams = z
  .object({
    arimaHorizon: z.number().int().min(1).max(60).default(10),
    arimaLevels: z.array(fraction).min(1).max(3).default([0.8, 0.95]),
    arimaPoints: z.number().int().min(60).max(3000).default(250),
    garchHorizon: z.number().int().min(1).max(60).default(10),
    varLevels: z.array(fraction).min(1).max(3).default([0.95, 0.99]),
  })
  .default({
    arimaHorizon: 10,
    arimaLevels: [0.8, 0.95],
    arimaPoints: 250,
    garchHorizon: 10,
    varLevels: [0.95, 0.99],
  });
type TStatisticsParams = z.output<typeof ZStatisticsParams>;

export interface StatisticsOutput {
  lastClose: number;
  lastDate: string;
  arima: {
    order: [number, number, number];
    aicc: number;
    dates: string[];
    forecast: number[];
    intervals: { level: number; lower: number[]; upper: number[] }[];
  } | null;
  arimaError?: string;
  garch: {
    omega: number;
    alpha: number;
    beta: number;
    persistence: number;
    /** Annualised volatility, percent (latest conditional and forecast mean). */
    annualVolPct: number;
    forecastAnnualVolPct: number;
    dailyVolForecastPct: number[];
    var: { level: number; pct: number; amount: number }[];
  } | null;
  garchError?: string;
}

const reason = (err: unknown) =>
  err instanceof ServiceUnavailableError ? err.message : describeFailure('cpu-timeseries', err);

/**
 * Auto-ARIMA forecast with intervals on closing prices and GARCH(1,1) volatility/VaR on daily log returns
 * (in percent), both from the cpu-timeseries service, concurrently. One half failing keeps the other; both
 * failing makes the section unavailable.
 */
async function runStatistics(
  ctx: ModuleContext<TStatisticsParams>,
  signal: AbortSignal,
): Promise<ModuleResult<StatisticsOutput>> {
  requireHistory(ctx, MIN_BARS);
  const p = ctx.params;
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

function statisticsFacts(st: StatisticsOutput, add: AddFact): void {
  if (st.arima) {
    const a = st.arima;
    const h = a.forecast.length;
    add('arimaHorizon', ['ARIMA horizon (trading days)', 'ARIMA预测期（交易日）'], h, { decimals: 0 });
    add('arimaEnd', ['ARIMA forecast at horizon', 'ARIMA预测期末值'], a.forecast[h - 1]);
    add(
      'arimaChangePct',
      ['ARIMA forecast change', 'ARIMA预测涨跌幅'],
      (a.forecast[h - 1]! / st.lastClose - 1) * 100,
      {
        pct: true,
        decimals: 1,
      },
    );
    for (const iv of a.intervals) {
      const lvl = Math.round(iv.level * 100);
      add(`arimaLevel${lvl}`, ['interval level', '区间置信度'], lvl, { pct: true, decimals: 0 });
      add(`arimaLower${lvl}`, [`ARIMA ${lvl}% lower`, `ARIMA ${lvl}%下限`], iv.lower[h - 1]);
      add(`arimaUpper${lvl}`, [`ARIMA ${lvl}% upper`, `ARIMA ${lvl}%上限`], iv.upper[h - 1]);
    }
  }
  if (st.garch) {
    const g = st.garch;
    add('annualVolPct', ['GARCH annualised volatility', 'GARCH年化波动率'], g.annualVolPct, {
      pct: true,
      decimals: 1,
    });
    add('forecastAnnualVolPct', ['GARCH forecast volatility', 'GARCH预测波动率'], g.forecastAnnualVolPct, {
      pct: true,
      decimals: 1,
    });
    add('persistence', ['GARCH persistence (alpha+beta)', 'GARCH持续性(α+β)'], g.persistence, {
      decimals: 3,
    });
    add('varHorizonDays', ['VaR horizon (days)', 'VaR期限（天）'], 1, { decimals: 0 });
    for (const v of g.var) {
      const lvl = Math.round(v.level * 100);
      add(`varLevel${lvl}`, ['VaR level', 'VaR置信度'], lvl, { pct: true, decimals: 0 });
      add(`varPct${lvl}`, [`1-day ${lvl}% VaR`, `1日${lvl}% VaR`], v.pct, { pct: true, decimals: 2 });
      add(`varAmount${lvl}`, [`1-day ${lvl}% VaR per share`, `1日${lvl}% VaR（每股）`], v.amount);
    }
  }
}

function writeStatistics(st: StatisticsOutput, w: WriterTools): string[] {
  const { zh, has, F, currency: ccy } = w;
  const out: string[] = [];
  if (st.arima && has('arimaEnd', 'arimaHorizon')) {
    const [pp, d, q] = st.arima.order;
    const lvl = st.arima.intervals[0] ? Math.round(st.arima.intervals[0].level * 100) : null;
    const band =
      lvl !== null && has(`arimaLower${lvl}`, `arimaUpper${lvl}`)
        ? zh
          ? `，${F(`arimaLevel${lvl}`)} 区间 ${F(`arimaLower${lvl}`)}–${F(`arimaUpper${lvl}`)}`
          : ` (${F(`arimaLevel${lvl}`)} interval ${F(`arimaLower${lvl}`)}–${F(`arimaUpper${lvl}`)})`
        : '';
    out.push(
      zh
        ? `统计模型：ARIMA(${pp},${d},${q}) 预测 ${F('arimaHorizon')} 个交易日后为 ${F('arimaEnd')}${band}。`
        : `Statistics: ARIMA(${pp},${d},${q}) projects ${F('arimaEnd')} in ${F('arimaHorizon')} trading days${band}.`,
    );
  }
  if (st.garch && has('annualVolPct')) {
    const v = st.garch.var[0];
    const lvl = v ? Math.round(v.level * 100) : null;
    const varText =
      lvl !== null && has(`varPct${lvl}`, `varAmount${lvl}`, `varLevel${lvl}`)
        ? zh
          ? `；${F('varHorizonDays')} 日 ${F(`varLevel${lvl}`)} VaR 为 ${F(`varPct${lvl}`)}（每股约 ${F(`varAmount${lvl}`)} ${ccy}）`
          : `; the ${F('varHorizonDays')}-day ${F(`varLevel${lvl}`)} VaR is ${F(`varPct${lvl}`)} (about ${F(`varAmount${lvl}`)} ${ccy} per share)`
        : '';
    out.push(
      zh
        ? `GARCH(1,1) 年化波动率 ${F('annualVolPct')}，预测期内 ${F('forecastAnnualVolPct')}${varText}。`
        : `GARCH(1,1) puts annualised volatility at ${F('annualVolPct')}, ${F('forecastAnnualVolPct')} over the forecast period${varText}.`,
    );
  }
  return out;
}

/** ARIMA and GARCH/VaR from the cpu-timeseries service. */
export const statisticsModule = defineModule({
  name: 'statistics',
  deps: [],
  services: ['cpu-timeseries'],
  params: ZStatisticsParams,
  run: runStatistics,
  facts: statisticsFacts,
  write: writeStatistics,
  markdown: {
    title: 'Statistics (ARIMA, GARCH, VaR)',
    body: (st) => {
      const L: string[] = [];
      if (st.arima) {
        const a = st.arima;
        L.push(`ARIMA(${a.order.join(',')}), AICc ${n(a.aicc)}.`, '');
        L.push(
          `| Date | Forecast | ${a.intervals.map((iv) => `${Math.round(iv.level * 100)}% interval`).join(' | ')} |`,
        );
        L.push(`|---|---|${a.intervals.map(() => '---|').join('')}`);
        for (const [i, d] of a.dates.entries())
          L.push(
            `| ${d} | ${n(a.forecast[i])} | ${a.intervals.map((iv) => `${n(iv.lower[i])} – ${n(iv.upper[i])}`).join(' | ')} |`,
          );
      } else L.push(`ARIMA unavailable: ${st.arimaError ?? ''}`);
      L.push('');
      if (st.garch) {
        const g = st.garch;
        L.push(
          `GARCH(1,1): ω=${n(g.omega, 4)}, α=${n(g.alpha, 3)}, β=${n(g.beta, 3)} (persistence ${n(g.persistence, 3)}); annualised volatility ${pct(g.annualVolPct)}, forecast ${pct(g.forecastAnnualVolPct)}.`,
        );
        for (const v of g.var)
          L.push(`- 1-day ${Math.round(v.level * 100)}% VaR: ${pct(v.pct, 2)} (${n(v.amount)} per share)`);
      } else L.push(`GARCH unavailable: ${st.garchError ?? ''}`);
      return L;
    },
  },
});
