import { rsi } from '@investiq/quant';
import { z } from 'zod';
import { nanArray, type StrategyDescriptor } from './types';

const ZParams = z
  .object({
    period: z
      .number()
      .int('period must be an integer')
      .min(2, 'period must be ≥ 2')
      .max(100, 'period must be ≤ 100')
      .default(14),
    lower: z.number().min(1, 'lower must be ≥ 1').max(50, 'lower must be ≤ 50').default(30),
    upper: z.number().min(50, 'upper must be ≥ 50').max(99, 'upper must be ≤ 99').default(70),
  })
  .strict()
  .refine((p) => p.lower < p.upper, { path: ['lower'], message: 'lower must be below upper' });
type P = z.infer<typeof ZParams>;

/** Buys when Wilder's RSI closes below `lower` (oversold), exits when it closes above `upper`. */
export const rsiReversion: StrategyDescriptor<P> = {
  id: 'rsi-reversion',
  params: ZParams,
  sweep: { period: [7, 14, 21], lower: [25, 30, 35] },
  uses: 'closes up to the decision day (Wilder RSI from @investiq/quant)',
  signal(bars, p) {
    const r = rsi(
      bars.map((b) => b.close),
      p.period,
    );
    const out = nanArray(bars.length);
    for (let i = 0; i < bars.length; i++) {
      const v = r[i];
      if (v == null) continue;
      if (v < p.lower) out[i] = 1;
      else if (v > p.upper) out[i] = 0;
    }
    return out;
  },
};
