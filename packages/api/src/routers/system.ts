import { quotesStorage } from '@investiq/db';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log';
import { createApiToken, revokeApiToken } from '../auth/api-tokens';
import { ROLES } from '../auth/roles';
import { listApiTokens } from '../auth/token-admin';
import { AppError } from '../errors';
import { getQuoteSettings } from '../settings/runtime-settings';
import { adminProcedure, authedProcedure, createTRPCRouter } from '../trpc';

export const systemRouter = createTRPCRouter({
  status: authedProcedure.input(z.object({}).optional()).query(async ({ ctx }) => ({
    serverTime: ctx.rt.now().toISOString(),
    provider: ctx.rt.provider.id,
    demo: ctx.rt.provider.id === 'demo',
    demoAlwaysOpen: ctx.rt.config.demo.alwaysOpen,
    database: ctx.rt.db.kind,
    quotesStorage: await quotesStorage(ctx.rt.db),
    collector: ctx.rt.collector.status(),
    defaultMaxAgeSeconds: (await getQuoteSettings(ctx.rt)).defaultMaxAgeSeconds,
  })),
});

export const collectorRouter = createTRPCRouter({
  status: authedProcedure.input(z.object({}).optional()).query(({ ctx }) => ctx.rt.collector.status()),
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
    .input(
      z.object({
        name: z.string().trim().min(1).max(64),
        role: z.enum(ROLES),
        /** the user the token acts for; default: the admin creating it (or the creating token's owner) */
        ownerId: z.uuid({ error: 'ownerId must be a user id' }).optional(),
        /** default and maximum: the security.apiTokens setting */
        expiresInDays: z.number().int().min(1).max(3650).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const p = ctx.principal;
      const ownerId = input.ownerId ?? (p.kind === 'session' ? p.userId : p.ownerId);
      if (!ownerId)
        throw new AppError('BAD_REQUEST', 'ownerId is required when the caller is an ownerless token');
      // the audit row is written in the token's transaction
      const created = await createApiToken(
        ctx.rt.db,
        { ...input, ownerId, now: ctx.rt.now() },
        { actor: actorOf(ctx.principal), ip: ctx.ip },
      );
      return created; // the only time the plain token leaves the server
    }),
  list: adminProcedure.input(z.object({}).optional()).query(({ ctx }) => listApiTokens(ctx.rt.db)),
  revoke: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    if (!(await revokeApiToken(ctx.rt.db, input.id, { actor: actorOf(ctx.principal), ip: ctx.ip })))
      throw new AppError('NOT_FOUND', 'no active token with that id');
    return { revoked: true };
  }),
});
