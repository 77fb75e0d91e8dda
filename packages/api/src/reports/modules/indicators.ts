import type { TIndicatorSpec } from '@investiq/contracts/inference';
import { lastBarDate, MIN_BARS, type ModuleContext, type ModuleResult, requireHistory } from '../context';
import type { IndicatorPoint, IndicatorsOutput } from '../types';

type Series = (number | null)[];

/** Technical indicators computed by the cpu-timeseries service. */
export async function runIndicators(
  ctx: ModuleContext,
  signal: AbortSignal,
): Promise<ModuleResult<IndicatorsOutput>> {
  requireHistory(ctx, MIN_BARS);
  const p = ctx.params.indicators;
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
