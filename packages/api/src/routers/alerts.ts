import { z } from 'zod';
import { getQuietHours, setQuietHours, ZQuietHours } from '../alerts/quiet-hours';
import {
  alertHistory,
  createAlert,
  deleteAlert,
  listAlerts,
  markAlertEventsRead,
  unreadAlertCount,
  ZAlertHistoryFilter,
  ZAlertInput,
} from '../alerts/service';
import { ownerIdOf } from '../owner';
import { analystProcedure, authedProcedure, createTRPCRouter } from '../trpc';

const ZAlertId = z.uuid({ error: 'id must be an alert id (UUID)' });

/**
 * The signed-in user's own alerts and their history (the notification centre). Creating and deleting alerts
 * needs analyst, like the REST API and notification channels; reading and marking read is for every user.
 */
export const alertsRouter = createTRPCRouter({
  list: authedProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) => listAlerts(ctx.rt.db, ownerIdOf(ctx.principal))),
  create: analystProcedure.input(ZAlertInput).mutation(async ({ ctx, input }) => {
    const alert = await createAlert(ctx.rt.db, ownerIdOf(ctx.principal), input);
    await ctx.rt.alerts.changed();
    return alert;
  }),
  delete: analystProcedure.input(z.object({ id: ZAlertId })).mutation(async ({ ctx, input }) => {
    await deleteAlert(ctx.rt.db, ownerIdOf(ctx.principal), input.id);
    await ctx.rt.alerts.changed();
    return { ok: true as const };
  }),
  history: authedProcedure
    .input(ZAlertHistoryFilter.optional())
    .query(({ ctx, input }) => alertHistory(ctx.rt.db, ownerIdOf(ctx.principal), input ?? {})),
  markRead: authedProcedure
    .input(z.object({ ids: z.array(z.uuid('each id must be an alert event id (UUID)')).max(500).optional() }))
    .mutation(async ({ ctx, input }) => ({
      marked: await markAlertEventsRead(ctx.rt.db, ownerIdOf(ctx.principal), ctx.rt.now(), input.ids),
    })),
  /** Live unread count for the header bell (SSE): now, then after every firing or read. */
  unread: authedProcedure.input(z.object({}).optional()).subscription(async function* ({ ctx, signal }) {
    yield* ctx.rt.alertFeed.unreadCounts(
      ctx.rt.db,
      ownerIdOf(ctx.principal),
      signal ?? new AbortController().signal,
    );
  }),
  /** The user's quiet hours (null: none set). */
  quietHours: authedProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) => getQuietHours(ctx.rt.db, ownerIdOf(ctx.principal))),
  setQuietHours: authedProcedure.input(ZQuietHours).mutation(async ({ ctx, input }) => {
    const q = await setQuietHours(ctx.rt.db, ownerIdOf(ctx.principal), input);
    await ctx.rt.alerts.changed();
    return q;
  }),
  unreadCount: authedProcedure
    .input(z.object({}).optional())
    .query(async ({ ctx }) => ({ count: await unreadAlertCount(ctx.rt.db, ownerIdOf(ctx.principal)) })),
});
