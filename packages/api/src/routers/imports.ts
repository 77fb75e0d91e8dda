import { CSV_KINDS } from '@investiq/market/csv';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log';
import { importCsv } from '../market/csv-import';
import { adminProcedure, createTRPCRouter } from '../trpc';

/** tRPC bodies are capped at 1 MB; larger files go through `POST /api/admin/import` (text/csv, 32 MB). */
export const MAX_TRPC_CSV_CHARS = 900_000;

/** Admin: offline CSV import of daily bars or fundamentals (format: docs/csv-import.md). */
export const importsRouter = createTRPCRouter({
  csv: adminProcedure
    .input(
      z.object({
        kind: z.enum(CSV_KINDS),
        content: z
          .string()
          .min(1, 'content is empty')
          .max(
            MAX_TRPC_CSV_CHARS,
            `content is too long for tRPC (max ${MAX_TRPC_CSV_CHARS} characters); upload it to POST /api/admin/import`,
          ),
        fileName: z.string().trim().max(200).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      importCsv(ctx.rt.db, input.content, {
        kind: input.kind,
        actor: actorOf(ctx.principal),
        ip: ctx.ip,
        fileName: input.fileName,
      }),
    ),
});
