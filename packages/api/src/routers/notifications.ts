import { z } from 'zod';
import { actorOf } from '../audit/audit-log';
import { CHANNELS } from '../notifications/channels/index';
import { discardDeadLetter, listDeadLetters, retryDeadLetter } from '../notifications/dead-letters';
import { channelScope } from '../notifications/scope';
import { createChannel, deleteChannel, listChannels, sendTest } from '../notifications/service';
import { adminProcedure, analystProcedure, authedProcedure, createTRPCRouter } from '../trpc';

const ZId = z.object({ id: z.uuid({ error: 'id must be a UUID' }) });

export const notificationsRouter = createTRPCRouter({
  /** Channel kinds with the JSON Schema of their settings and secret fields (the form is built from these). */
  channelTypes: authedProcedure.input(z.object({}).optional()).query(() =>
    CHANNELS.map((c) => ({
      type: c.type,
      label: c.label,
      idempotency: c.idempotency,
      config: z.toJSONSchema(c.config, { io: 'input', unrepresentable: 'any' }) as unknown,
      secret: z.toJSONSchema(c.secret, { io: 'input', unrepresentable: 'any' }) as unknown,
    })),
  ),
  list: analystProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) => listChannels(ctx.rt.db, channelScope(ctx.principal, ctx.ip))),
  /** Flat body: {type, name, …settings, …secret fields}; validated per type by the service. */
  create: analystProcedure
    .input(z.record(z.string(), z.unknown()))
    .mutation(({ ctx, input }) =>
      createChannel(ctx.rt.notifications, channelScope(ctx.principal, ctx.ip), input),
    ),
  delete: analystProcedure.input(ZId).mutation(async ({ ctx, input }) => {
    await deleteChannel(ctx.rt.notifications, channelScope(ctx.principal, ctx.ip), input.id);
    return { ok: true as const };
  }),
  sendTest: analystProcedure
    .input(ZId)
    .mutation(({ ctx, input }) =>
      sendTest(ctx.rt.notifications, channelScope(ctx.principal, ctx.ip), input.id),
    ),
  /** The dead-letter list and the queue's job counts (admin). */
  deadLetters: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).optional())
    .query(async ({ ctx, input }) => ({
      deliveries: await listDeadLetters(ctx.rt.db, input?.limit ?? 100),
      queue: await ctx.rt.notifications.queue.counts(),
    })),
  retry: adminProcedure.input(ZId).mutation(async ({ ctx, input }) => {
    await retryDeadLetter(ctx.rt.notifications, actorOf(ctx.principal), input.id, ctx.ip);
    return { ok: true as const };
  }),
  discard: adminProcedure.input(ZId).mutation(async ({ ctx, input }) => {
    await discardDeadLetter(ctx.rt.notifications, actorOf(ctx.principal), input.id, ctx.ip);
    return { ok: true as const };
  }),
});
