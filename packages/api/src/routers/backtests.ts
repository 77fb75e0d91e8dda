import { strategyCatalog } from '@investiq/backtest';
import { z } from 'zod';
import { exportBacktest } from '../backtests/export-backtest';
import { getBacktest, listBacktests } from '../backtests/get-backtest';
import { ZBacktestRequest } from '../backtests/types';
import { analystProcedure, authedProcedure, createTRPCRouter, type Principal } from '../trpc';

const ZBacktestId = z.object({ id: z.uuid({ error: 'id must be a backtest id (UUID)' }) });

function principalName(p: Principal): string | null {
  if (p.kind === 'token') return `token:${p.name}`;
  if (p.kind === 'session') return `user:${p.username}`;
  return null;
}

export const backtestsRouter = createTRPCRouter({
  /** Strategies with their parameters (bounds, defaults, sweep grids) and each market's default costs. */
  strategies: authedProcedure.query(() => strategyCatalog()),

  list: authedProcedure
    .input(
      z.object({
        symbol: z.string().trim().max(16, 'symbol filter is too long').optional(),
        limit: z.number().int().min(1).max(200).default(50),
        before: z.iso.datetime({ error: 'before must be an ISO time' }).optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listBacktests(ctx.rt.db, { ...input, symbol: input.symbol ? input.symbol.toUpperCase() : undefined }),
    ),

  /** One run; while it runs, `progress` (0…1) and `progressLabel` move and `result` is null. */
  get: authedProcedure.input(ZBacktestId).query(({ ctx, input }) => getBacktest(ctx.rt.db, input.id)),

  /** Starts a run on a worker thread; answers at once with its id. */
  run: analystProcedure
    .input(ZBacktestRequest)
    .mutation(({ ctx, input }) => ctx.rt.backtests.start(input, principalName(ctx.principal))),

  export: authedProcedure
    .input(ZBacktestId.extend({ format: z.enum(['json', 'equity-csv', 'trades-csv']).default('json') }))
    .query(async ({ ctx, input }) => exportBacktest(await getBacktest(ctx.rt.db, input.id), input.format)),
});
