import { z } from 'zod';
import { nanArray, type StrategyDescriptor, sma } from './types';

const ZParams = z
  .object({
    fast: z
      .number()
      .int('fast must be an integer')
      .min(2, 'fast must be ≥ 2')
      .max(250, 'fast must be ≤ 250')
      .default(20),
    slow: z
      .number()
      .int('slow must be an integer')
      .min(3, 'slow must be ≥ 3')
      .max(500, 'slow must be ≤ 500')
      .default(60),
  })
  .strict()
  .refine((p) => p.fast < p.slow, { path: ['fast'], message: 'fast must be shorter than slow' });
type P = z.infer<typeof ZParams>;

/** Long while the fast SMA of closes is above the slow one, flat while below. */
export const maCross: StrategyDescriptor<P> = {
  id: 'ma-cross',
  params: ZParams,
  sweep: { fast: [5, 10, 20], slow: [30, 60, 120] },
  uses: 'closes up to the decision day (simple moving averages)',
  signal(bars, p) {
    const f = sma(bars, p.fast);
    const s = sma(bars, p.slow);
    const out = nanArray(bars.length);
    for (let i = 0; i < bars.length; i++) {
      const a = f[i] as number;
      const b = s[i] as number;
      if (Number.isNaN(b)) continue;
      out[i] = a > b ? 1 : 0;
    }
    return out;
  },
};
