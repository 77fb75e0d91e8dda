import { typeError, ZMarket, ZMarketSymbol } from '@investiq/contracts';
import { z } from 'zod';
import { reportToMarkdown } from '../reports/export-markdown';
import { getReport, listReports } from '../reports/get-report';
import { getAnalysisSettings } from '../reports/settings';
import { getTrackRecord } from '../reports/track-record';
import { REPORT_MODULES, ZReportModule, ZReportView } from '../reports/types';
import { analystProcedure, authedProcedure, createTRPCRouter, type Principal } from '../trpc';

const ZReportId = z.object({ id: z.uuid(typeError('id must be a report id (UUID)', 'id is required')) });

function principalName(p: Principal): string | null {
  if (p.kind === 'token') return `token:${p.name}`;
  if (p.kind === 'session') return `user:${p.username}`;
  return null;
}

export const reportsRouter = createTRPCRouter({
  list: authedProcedure
    .input(
      z.object({
        symbol: z.string().trim().max(16, 'symbol filter is too long').optional(),
        market: ZMarket.optional(),
        status: z.enum(['running', 'complete', 'failed']).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        before: z.iso.datetime({ error: 'before must be an ISO time' }).optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listReports(ctx.rt.db, { ...input, symbol: input.symbol ? input.symbol.toUpperCase() : undefined }),
    ),

  get: authedProcedure
    .input(ZReportId)
    .output(ZReportView)
    .query(({ ctx, input }) => getReport(ctx.rt.db, input.id)),

  /** Starts a report, or joins the one already running for this symbol (`joined: true`). */
  create: analystProcedure
    .input(
      ZMarketSymbol.and(
        z.object({
          modules: z.array(ZReportModule).max(REPORT_MODULES.length).optional(),
          language: z.enum(['zh', 'en']).default('en'),
          asOf: z.iso.date({ error: 'asOf must be a date YYYY-MM-DD' }).optional(),
        }),
      ),
    )
    .output(z.object({ id: z.uuid(), joined: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.rt.reports.create({
        market: input.market,
        symbol: input.symbol,
        modules: input.modules,
        language: input.language,
        asOf: input.asOf,
        createdBy: principalName(ctx.principal),
      }),
    ),

  /** Live progress: report snapshots as sections start, finish and the narrative streams (SSE). */
  progress: authedProcedure.input(ZReportId).subscription(async function* ({ ctx, input, signal }) {
    yield* ctx.rt.reports.watch(input.id, signal ?? new AbortController().signal);
  }),

  markdown: authedProcedure.input(ZReportId).query(async ({ ctx, input }) => {
    const r = await getReport(ctx.rt.db, input.id);
    return {
      filename: `investiq-${r.market}-${r.symbol}-${r.createdAt.slice(0, 10)}.md`,
      markdown: reportToMarkdown(r),
    };
  }),

  trackRecord: authedProcedure
    .input(ZMarketSymbol)
    .query(({ ctx, input }) => getTrackRecord(ctx.rt.db, { market: input.market, symbol: input.symbol })),

  /** Modules and parameters in effect (the new-report page shows them). */
  settings: authedProcedure.query(async ({ ctx }) => ({
    modules: REPORT_MODULES,
    settings: await getAnalysisSettings(ctx.rt.db),
  })),
});
