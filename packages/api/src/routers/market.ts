import { ZMarket } from '@investiq/contracts';
import { z } from 'zod';
import { listSymbols } from '../market/sync-market';
import { authedProcedure, createTRPCRouter } from '../trpc';

export const marketRouter = createTRPCRouter({
  symbols: authedProcedure.input(z.object({}).optional()).query(({ ctx }) => listSymbols(ctx.rt.db)),
  search: authedProcedure
    .input(
      z.object({
        query: z.string().trim().max(64),
        market: ZMarket.optional(),
        limit: z.number().int().min(1).max(50).default(20),
      }),
    )
    .query(async ({ ctx, input }) => {
      const all = await listSymbols(ctx.rt.db);
      const q = input.query.toLowerCase();
      return all
        .filter((s) => !input.market || s.market === input.market)
        .filter(
          (s) =>
            !q ||
            s.symbol.toLowerCase().includes(q) ||
            s.name.toLowerCase().includes(q) ||
            s.nameZh.includes(input.query),
        )
        .slice(0, input.limit);
    }),
});
