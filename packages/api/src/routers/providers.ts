import { z } from 'zod';
import { getProviderOverview, testProviderConnection } from '../providers/get-provider-overview';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const providersRouter = createTRPCRouter({
  overview: adminProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) =>
      getProviderOverview({ db: ctx.rt.db, live: ctx.rt.providers, collector: ctx.rt.collector }),
    ),
  testConnection: adminProcedure
    .input(z.object({ provider: z.string().min(1).max(32) }))
    .mutation(async ({ ctx, input }) => {
      const res = await testProviderConnection(ctx.rt.providers, input.provider);
      ctx.log.info({ principal: ctx.principal, ...res }, 'provider connection test');
      return res;
    }),
});
