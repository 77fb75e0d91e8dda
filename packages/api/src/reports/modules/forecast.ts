import { z } from 'zod';
import {
  lastBarDate,
  MIN_BARS,
  type ModuleContext,
  type ModuleResult,
  nextTradingDays,
  requireHistory,
} from '../context';
import { n } from '../markdown-format';
import { type AddFact, defineModule, type WriterTools } from '../module';

/** `analysis.modules.forecast` */
const ZForecastParams = z
  .object({ horizon: z.number().int().min(1).max(60).default(10) })
  .default({ horizon: 10 });
type TForecastParams = z.output<typeof ZForecastParams>;

export interface ForecastOutput {
  model: { name: string; version: string };
  lastClose: number;
  lastDate: string;
  dates: string[];
  point: number[];
  p10: number[];
  p50: number[];
  p90: number[];
  contextLength: number;
}

/** Neural forecast of closing prices from the timeseries service (point + p10/p50/p90). */
async function runForecast(
  ctx: ModuleContext<TForecastParams>,
  signal: AbortSignal,
): Promise<ModuleResult<ForecastOutput>> {
  requireHistory(ctx, MIN_BARS);
  const closes = ctx.bars.map((b) => b.close);
  const res = await ctx.inference.forecast({ series: [closes], horizon: ctx.params.horizon }, signal);
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

function forecastFacts(fc: ForecastOutput, add: AddFact): void {
  const h = fc.point.length;
  add('forecastHorizon', ['neural forecast horizon (trading days)', '神经网络预测期（交易日）'], h, {
    decimals: 0,
  });
  add('forecastEnd', ['neural forecast at horizon', '神经网络预测期末值'], fc.point[h - 1]);
  add(
    'forecastChangePct',
    ['neural forecast change', '神经网络预测涨跌幅'],
    (fc.point[h - 1]! / fc.lastClose - 1) * 100,
    {
      pct: true,
      decimals: 1,
    },
  );
  add('forecastP10', ['neural forecast p10', '神经网络p10'], fc.p10[h - 1]);
  add('forecastP90', ['neural forecast p90', '神经网络p90'], fc.p90[h - 1]);
}

function writeForecast(fc: ForecastOutput, w: WriterTools): string[] {
  const { zh, has, F, abs, sign } = w;
  const out: string[] = [];
  if (has('forecastEnd', 'forecastHorizon', 'forecastChangePct')) {
    out.push(
      zh
        ? `神经网络预测（${fc.model.name}）：${F('forecastHorizon')} 个交易日后为 ${F('forecastEnd')}（${sign('forecastChangePct') ? '+' : '−'}${abs('forecastChangePct')}），p10–p90 区间 ${F('forecastP10')}–${F('forecastP90')}。`
        : `The neural forecast (${fc.model.name}) points to ${F('forecastEnd')} in ${F('forecastHorizon')} trading days (${sign('forecastChangePct') ? '+' : '−'}${abs('forecastChangePct')}), with a p10–p90 band of ${F('forecastP10')}–${F('forecastP90')}.`,
    );
  }
  return out;
}

/** Neural forecast from the timeseries service. */
export const forecastModule = defineModule({
  name: 'forecast',
  deps: [],
  services: ['timeseries'],
  params: ZForecastParams,
  run: runForecast,
  facts: forecastFacts,
  write: writeForecast,
  markdown: {
    title: 'Neural forecast',
    body: (fc) => {
      const L: string[] = [];
      L.push(
        `Model ${fc.model.name} ${fc.model.version} (context ${fc.contextLength} closes).`,
        '',
        '| Date | Point | p10 | p90 |',
        '|---|---|---|---|',
      );
      for (const [i, d] of fc.dates.entries())
        L.push(`| ${d} | ${n(fc.point[i])} | ${n(fc.p10[i])} | ${n(fc.p90[i])} |`);
      return L;
    },
  },
});
