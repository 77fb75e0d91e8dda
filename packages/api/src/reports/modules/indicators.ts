import type { TIndicatorSpec } from '@investiq/contracts/inference';
import { z } from 'zod';
import { lastBarDate, MIN_BARS, type ModuleContext, type ModuleResult, requireHistory } from '../context';
import { n } from '../markdown-format';
import { type AddFact, defineModule, type WriterTools } from '../module';

const period = z.number().int().min(1).max(400);

/** `analysis.modules.indicators` */
const ZIndicatorParams = z
  .object({
    smaPeriods: z.array(period).min(1).max(4).default([20, 50]),
    emaPeriods: z.array(period).max(4).default([12, 26]),
    rsiPeriod: period.default(14),
    macd: z.object({ fast: period, slow: period, signal: period }).default({ fast: 12, slow: 26, signal: 9 }),
    bollinger: z.object({ period, stdDev: z.number().positive().max(5) }).default({ period: 20, stdDev: 2 }),
    atrPeriod: period.default(14),
  })
  .default({
    smaPeriods: [20, 50],
    emaPeriods: [12, 26],
    rsiPeriod: 14,
    macd: { fast: 12, slow: 26, signal: 9 },
    bollinger: { period: 20, stdDev: 2 },
    atrPeriod: 14,
  });
type TIndicatorParams = z.output<typeof ZIndicatorParams>;

export interface IndicatorPoint {
  time: string;
  value: number | null;
}

export interface IndicatorsOutput {
  asOfDate: string;
  latest: Record<string, number | null>;
  /** Overlay series for the chart (last 250 bars). */
  overlays: Record<string, IndicatorPoint[]>;
  params: TIndicatorParams;
}

type Series = (number | null)[];

/** Technical indicators computed by the cpu-timeseries service. */
async function runIndicators(
  ctx: ModuleContext<TIndicatorParams>,
  signal: AbortSignal,
): Promise<ModuleResult<IndicatorsOutput>> {
  requireHistory(ctx, MIN_BARS);
  const p = ctx.params;
  const specs: TIndicatorSpec[] = [
    ...p.smaPeriods.map((period) => ({ kind: 'sma' as const, period })),
    ...p.emaPeriods.map((period) => ({ kind: 'ema' as const, period })),
    { kind: 'rsi', period: p.rsiPeriod },
    { kind: 'macd', ...p.macd },
    { kind: 'bollinger', ...p.bollinger },
    { kind: 'atr', period: p.atrPeriod },
  ];
  const bars = ctx.bars.map(({ open, high, low, close, volume }) => ({ open, high, low, close, volume }));
  const res = await ctx.inference.indicators({ bars, specs }, signal);
  const ind = res.indicators;
  const series = (key: string, sub?: string): Series => {
    const v = ind[key];
    if (!v) throw new Error(`cpu-timeseries answered without indicator ${key}`);
    if (Array.isArray(v)) return v;
    const s = sub ? v[sub] : undefined;
    if (!s) throw new Error(`cpu-timeseries answered without ${key}.${sub}`);
    return s;
  };
  const lastOf = (s: Series) => s.at(-1) ?? null;
  const latest: Record<string, number | null> = {};
  const overlays: Record<string, IndicatorPoint[]> = {};
  const tail = ctx.bars.slice(-250);
  const overlay = (s: Series) => s.slice(-tail.length).map((value, i) => ({ time: tail[i]!.time, value }));
  for (const n of p.smaPeriods) {
    const s = series(`sma_${n}`);
    latest[`sma${n}`] = lastOf(s);
    overlays[`sma${n}`] = overlay(s);
  }
  for (const n of p.emaPeriods) latest[`ema${n}`] = lastOf(series(`ema_${n}`));
  latest.rsi = lastOf(series(`rsi_${p.rsiPeriod}`));
  const macdKey = `macd_${p.macd.fast}_${p.macd.slow}_${p.macd.signal}`;
  latest.macd = lastOf(series(macdKey, 'macd'));
  latest.macdSignal = lastOf(series(macdKey, 'signal'));
  latest.macdHist = lastOf(series(macdKey, 'histogram'));
  const bbKey = `bollinger_${p.bollinger.period}_${p.bollinger.stdDev}`;
  latest.bbUpper = lastOf(series(bbKey, 'upper'));
  latest.bbMiddle = lastOf(series(bbKey, 'middle'));
  latest.bbLower = lastOf(series(bbKey, 'lower'));
  overlays.bbUpper = overlay(series(bbKey, 'upper'));
  overlays.bbLower = overlay(series(bbKey, 'lower'));
  latest.atr = lastOf(series(`atr_${p.atrPeriod}`));
  return {
    output: { asOfDate: lastBarDate(ctx)!, latest, overlays, params: p },
    inputsAsOf: { dailyBars: lastBarDate(ctx) },
  };
}

function indicatorFacts(ind: IndicatorsOutput, add: AddFact): void {
  const prm = ind.params;
  for (const n of prm.smaPeriods) {
    add(`smaPeriod${n}`, ['SMA period', '均线周期'], n, { decimals: 0 });
    add(`sma${n}`, [`SMA(${n})`, `${n}日均线`], ind.latest[`sma${n}`]);
  }
  for (const n of prm.emaPeriods) {
    add(`emaPeriod${n}`, ['EMA period', 'EMA周期'], n, { decimals: 0 });
    add(`ema${n}`, [`EMA(${n})`, `${n}日EMA`], ind.latest[`ema${n}`]);
  }
  add('rsiPeriod', ['RSI period', 'RSI周期'], prm.rsiPeriod, { decimals: 0 });
  add('rsi', [`RSI(${prm.rsiPeriod})`, `RSI(${prm.rsiPeriod})`], ind.latest.rsi, { decimals: 1 });
  add('macd', ['MACD', 'MACD'], ind.latest.macd, { decimals: 3 });
  add('macdSignal', ['MACD signal', 'MACD信号线'], ind.latest.macdSignal, { decimals: 3 });
  add('macdHist', ['MACD histogram', 'MACD柱'], ind.latest.macdHist, { decimals: 3 });
  add('bbUpper', ['Bollinger upper', '布林上轨'], ind.latest.bbUpper);
  add('bbLower', ['Bollinger lower', '布林下轨'], ind.latest.bbLower);
  add('atrPeriod', ['ATR period', 'ATR周期'], prm.atrPeriod, { decimals: 0 });
  add('atr', [`ATR(${prm.atrPeriod})`, `ATR(${prm.atrPeriod})`], ind.latest.atr);
}

function writeIndicators(ind: IndicatorsOutput, w: WriterTools): string[] {
  const { zh, has, F, facts } = w;
  const out: string[] = [];
  if (has('rsi', 'rsiPeriod')) {
    const rsi = facts.get('rsi')!.value;
    const state =
      rsi >= 70
        ? zh
          ? '超买区'
          : 'overbought'
        : rsi <= 30
          ? zh
            ? '超卖区'
            : 'oversold'
          : zh
            ? '中性区间'
            : 'neutral';
    const parts = [
      zh
        ? `RSI(${F('rsiPeriod')}) 为 ${F('rsi')}，处于${state}`
        : `RSI(${F('rsiPeriod')}) is ${F('rsi')} (${state})`,
    ];
    const long = ind.params.smaPeriods.at(-1);
    if (long !== undefined && has(`sma${long}`, 'lastClose')) {
      const above = facts.get('lastClose')!.value >= facts.get(`sma${long}`)!.value;
      parts.push(
        zh
          ? `收盘价${above ? '高于' : '低于'} ${F(`smaPeriod${long}`)} 日均线 ${F(`sma${long}`)}`
          : `the close is ${above ? 'above' : 'below'} its ${F(`smaPeriod${long}`)}-day SMA of ${F(`sma${long}`)}`,
      );
    }
    if (has('macdHist'))
      parts.push(zh ? `MACD 柱为 ${F('macdHist')}` : `the MACD histogram is ${F('macdHist')}`);
    out.push(zh ? `技术面：${parts.join('；')}。` : `Technicals: ${parts.join('; ')}.`);
  }
  return out;
}

/** Technical indicators from the cpu-timeseries service. */
export const indicatorsModule = defineModule({
  name: 'indicators',
  deps: [],
  services: ['cpu-timeseries'],
  params: ZIndicatorParams,
  run: runIndicators,
  facts: indicatorFacts,
  write: writeIndicators,
  markdown: {
    title: 'Technical indicators',
    body: (ind) => {
      const L: string[] = [];
      L.push(`As of ${ind.asOfDate}.`, '', '| Indicator | Value |', '|---|---|');
      for (const [k, v] of Object.entries(ind.latest)) L.push(`| ${k} | ${n(v, 3)} |`);
      return L;
    },
  },
});
