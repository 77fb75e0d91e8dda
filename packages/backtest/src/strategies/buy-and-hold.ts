import { z } from 'zod';
import type { StrategyDescriptor } from './types';

export const buyAndHold: StrategyDescriptor<Record<string, never>> = {
  id: 'buy-and-hold',
  params: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  sweep: {},
  uses: 'nothing: fully invested from the first open of the range',
  signal: (bars) => new Float64Array(bars.length).fill(1),
};
