import { z } from 'zod';
import { getOperationsOverview } from '../operations/get-operations-overview';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const operationsRouter = createTRPCRouter({
  overview: adminProcedure.input(z.object({}).optional()).query(({ ctx }) =>
    getOperationsOverview({
      db: ctx.rt.db,
      gateway: ctx.rt.inference,
      collector: ctx.rt.collector,
      recentLogs: ctx.rt.recentLogs,
      metrics: ctx.rt.metrics.registry,
      now: ctx.rt.now,
    }),
  ),
});
