import { ZMarket } from '@investiq/contracts';
import { z } from 'zod';
import { searchSymbols, ZSymbolHit } from '../market/search-symbols';
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
    .output(z.array(ZSymbolHit))
    .query(({ ctx, input }) =>
      searchSymbols(ctx.rt.db, input.query, { market: input.market, limit: input.limit }),
    ),
});
