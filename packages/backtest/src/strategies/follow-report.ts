import { fitArima } from '@investiq/quant';
import { z } from 'zod';
import { nanArray, type StrategyDescriptor } from './types';

const int = (name: string, min: number, max: number) =>
  z
    .number()
    .int(`${name} must be an integer`)
    .min(min, `${name} must be ≥ ${min}`)
    .max(max, `${name} must be ≤ ${max}`);

const ZParams = z
  .object({
    window: int('window', 40, 750).default(120),
    p: int('p', 0, 3).default(1),
    d: int('d', 0, 1).default(1),
    q: int('q', 0, 3).default(0),
    horizon: int('horizon', 1, 20).default(5),
    refitEvery: int('refitEvery', 1, 60).default(5),
    /** Minimum forecast move (bps of the price) to be long. */
    thresholdBps: z
      .number()
      .min(0, 'thresholdBps must be ≥ 0')
      .max(1_000, 'thresholdBps must be ≤ 1000')
      .default(0),
  })
  .strict();
type P = z.infer<typeof ZParams>;

/**
 * "Follow the report": the direction of the report's ARIMA forecast, recomputed as the report would have been
 * on each decision day — fitArima (@investiq/quant, exact Kalman likelihood) on the log closes of the last
 * `window` bars up to that day only, order (p, d, q) with a drift/mean; long when the `horizon`-day forecast
 * is above today's close by more than `thresholdBps`, flat otherwise. Refit every `refitEvery` bars (the
 * decision holds in between). The neural forecast is not replayed: it needs the inference service.
 */
export const followReport: StrategyDescriptor<P> = {
  id: 'follow-report',
  params: ZParams,
  sweep: { window: [60, 120, 250], horizon: [1, 5, 10] },
  uses: 'ARIMA forecast direction fitted on the previous `window` log closes only (no look-ahead)',
  signal(bars, prm) {
    const out = nanArray(bars.length);
    const logs = bars.map((b) => Math.log(b.close));
    for (let i = prm.window - 1; i < bars.length; i += prm.refitEvery) {
      const series = logs.slice(i - prm.window + 1, i + 1);
      try {
        const fit = fitArima(series, [prm.p, prm.d, prm.q], { horizon: prm.horizon, levels: [] });
        const last = logs[i] as number;
        const f = fit.forecast[prm.horizon - 1];
        if (f === undefined || !Number.isFinite(f)) continue;
        out[i] = f - last > prm.thresholdBps / 10_000 ? 1 : 0;
      } catch {
        // a window the model cannot fit (e.g. constant prices) makes no decision
      }
    }
    return out;
  },
};
