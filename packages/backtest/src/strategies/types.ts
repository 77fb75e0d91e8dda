import type { z } from 'zod';
import type { DailyBar } from '../types';

/**
 * One strategy. `signal` sees the instrument's tradable bars (volume > 0) in date order and returns, per bar,
 * the target fraction of equity decided at that bar's close (NaN = keep the current decision). It must use
 * bars[0..i] only for output i: the engine fills at the next open, and `signals.test.ts` checks causality.
 */
export interface StrategyDescriptor<P extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  params: z.ZodType<P, unknown>;
  /** Default grid for parameter sweeps (each a list of values to try). */
  sweep: Partial<Record<keyof P & string, number[]>>;
  /** What the strategy reads, for the results page. */
  uses: string;
  signal(bars: readonly DailyBar[], params: P): Float64Array;
}

export function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

/** Simple moving average of closes; NaN until `n` values exist. */
export function sma(bars: readonly DailyBar[], n: number): Float64Array {
  const out = nanArray(bars.length);
  let sum = 0;
  for (let i = 0; i < bars.length; i++) {
    sum += (bars[i] as DailyBar).close;
    if (i >= n) sum -= (bars[i - n] as DailyBar).close;
    if (i >= n - 1) out[i] = sum / n;
  }
  return out;
}
