import { z } from 'zod';
import { ownerIdOf } from '../owner';
import {
  createSchedule,
  deleteSchedule,
  listScheduleRuns,
  listSchedules,
  markSummariesRead,
  unreadSummaryCount,
  updateSchedule,
  ZScheduleInput,
  ZScheduleUpdate,
} from '../schedules/service';
import { analystProcedure, authedProcedure, createTRPCRouter } from '../trpc';

const ZScheduleId = z.uuid({ error: 'id must be a report schedule id (UUID)' });

/**
 * The signed-in user's report schedules and their runs (summaries). A schedule generates reports, so
 * creating and changing one needs analyst (like reports.create); reading runs and marking them read is for
 * every user.
 */
export const schedulesRouter = createTRPCRouter({
  list: authedProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) => listSchedules(ctx.rt.db, ownerIdOf(ctx.principal), ctx.rt.now())),
  create: analystProcedure
    .input(ZScheduleInput)
    .mutation(({ ctx, input }) => createSchedule(ctx.rt.db, ownerIdOf(ctx.principal), input, ctx.rt.now())),
  update: analystProcedure
    .input(z.object({ id: ZScheduleId, patch: ZScheduleUpdate }))
    .mutation(({ ctx, input }) =>
      updateSchedule(ctx.rt.db, ownerIdOf(ctx.principal), input.id, input.patch, ctx.rt.now()),
    ),
  delete: analystProcedure.input(z.object({ id: ZScheduleId })).mutation(async ({ ctx, input }) => {
    await deleteSchedule(ctx.rt.db, ownerIdOf(ctx.principal), input.id);
    return { ok: true as const };
  }),
  runs: authedProcedure
    .input(
      z
        .object({ limit: z.number().int().min(1).max(200).optional(), scheduleId: ZScheduleId.optional() })
        .optional(),
    )
    .query(({ ctx, input }) => listScheduleRuns(ctx.rt.db, ownerIdOf(ctx.principal), input ?? {})),
  unreadCount: authedProcedure
    .input(z.object({}).optional())
    .query(async ({ ctx }) => ({ count: await unreadSummaryCount(ctx.rt.db, ownerIdOf(ctx.principal)) })),
  markRead: authedProcedure.input(z.object({}).optional()).mutation(async ({ ctx }) => ({
    marked: await markSummariesRead(ctx.rt.db, ownerIdOf(ctx.principal), ctx.rt.now()),
  })),
});
