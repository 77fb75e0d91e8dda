import { z } from 'zod';
import { listAudit } from '../audit/audit-log';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const auditRouter = createTRPCRouter({
  list: adminProcedure
    .input(
      z.object({
        actor: z.string().trim().max(100).optional(),
        action: z.string().trim().max(100).optional(),
        target: z.string().trim().max(200).optional(),
        since: z.iso.datetime({ offset: true }).optional(),
        until: z.iso.datetime({ offset: true }).optional(),
        limit: z.number().int().min(1).max(500).default(100),
        beforeId: z.number().int().positive().optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listAudit(ctx.rt.db, {
        ...input,
        since: input.since ? new Date(input.since) : undefined,
        until: input.until ? new Date(input.until) : undefined,
      }),
    ),
});
