import { z } from 'zod';
import { nanArray, type StrategyDescriptor } from './types';

const ZParams = z
  .object({
    entry: z
      .number()
      .int('entry must be an integer')
      .min(2, 'entry must be ≥ 2')
      .max(250, 'entry must be ≤ 250')
      .default(20),
    exit: z
      .number()
      .int('exit must be an integer')
      .min(2, 'exit must be ≥ 2')
      .max(250, 'exit must be ≤ 250')
      .default(10),
  })
  .strict();
type P = z.infer<typeof ZParams>;

/** Donchian breakout: long when the close beats the highest high of the previous `entry` bars, flat when it
 *  breaks the lowest low of the previous `exit` bars. */
export const channelBreakout: StrategyDescriptor<P> = {
  id: 'channel-breakout',
  params: ZParams,
  sweep: { entry: [10, 20, 55], exit: [5, 10, 20] },
  uses: 'highs, lows and closes up to the decision day (Donchian channels of the previous bars)',
  signal(bars, p) {
    const out = nanArray(bars.length);
    for (let i = Math.max(p.entry, p.exit); i < bars.length; i++) {
      let hi = Number.NEGATIVE_INFINITY;
      for (let k = i - p.entry; k < i; k++) hi = Math.max(hi, bars[k]!.high);
      let lo = Number.POSITIVE_INFINITY;
      for (let k = i - p.exit; k < i; k++) lo = Math.min(lo, bars[k]!.low);
      const c = bars[i]!.close;
      if (c > hi) out[i] = 1;
      else if (c < lo) out[i] = 0;
    }
    return out;
  },
};
