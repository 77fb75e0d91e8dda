import { quotesStorage } from '@investiq/db';
import { z } from 'zod';
import { createApiToken, revokeApiToken } from '../auth/api-tokens';
import { ROLES } from '../auth/roles';
import { AppError } from '../errors';
import { adminProcedure, createTRPCRouter, publicProcedure } from '../trpc';

export const systemRouter = createTRPCRouter({
  status: publicProcedure.input(z.object({}).optional()).query(async ({ ctx }) => ({
    serverTime: ctx.rt.now().toISOString(),
    provider: ctx.rt.provider.id,
    demo: ctx.rt.provider.id === 'demo',
    demoAlwaysOpen: ctx.rt.config.demo.alwaysOpen,
    database: ctx.rt.db.kind,
    quotesStorage: await quotesStorage(ctx.rt.db),
    collector: ctx.rt.collector.status(),
    defaultMaxAgeSeconds: ctx.rt.config.quotes.defaultMaxAgeSeconds,
  })),
});

export const collectorRouter = createTRPCRouter({
  status: publicProcedure.input(z.object({}).optional()).query(({ ctx }) => ctx.rt.collector.status()),
  pause: adminProcedure.input(z.object({}).optional()).mutation(({ ctx }) => {
    ctx.log.info({ principal: ctx.principal }, 'collector paused');
    return ctx.rt.collector.pause();
  }),
  resume: adminProcedure.input(z.object({}).optional()).mutation(({ ctx }) => {
    ctx.log.info({ principal: ctx.principal }, 'collector resumed');
    return ctx.rt.collector.resume();
  }),
});

export const tokensRouter = createTRPCRouter({
  create: adminProcedure
    .input(z.object({ name: z.string().trim().min(1).max(64), role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) => createApiToken(ctx.rt.db, input)),
  revoke: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    if (!(await revokeApiToken(ctx.rt.db, input.id)))
      throw new AppError('NOT_FOUND', 'no active token with that id');
    return { revoked: true };
  }),
});
