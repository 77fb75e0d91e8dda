import { ZMarket } from '@investiq/contracts';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log';
import { createTemplateVersion, listTemplateVersions, rollbackTemplate } from '../prompts/index';
import { freshnessOptions } from '../quotes/freshness-options';
import { type PreviewDeps, previewPrompt } from '../reports/preview-prompt';
import type { Runtime } from '../runtime';
import { adminProcedure, createTRPCRouter } from '../trpc';

/** The preview's dependencies, taken from the runtime (the reports' provider policy, the quote settings). */
export function previewDeps(rt: Runtime): PreviewDeps {
  return {
    db: rt.db,
    provider: rt.provider,
    providerPolicy: rt.reports.providerPolicy,
    inference: rt.inference,
    now: rt.now,
    quoteMaxAgeSeconds: rt.config.quotes.defaultMaxAgeSeconds,
    quoteFreshness: freshnessOptions(rt),
  };
}

const ZLanguage = z.enum(['zh', 'en']);
const ZBody = z.string().max(20_000, 'template body is too long (max 20000 characters)');

/** Admin UI over the prompt templates (versions, edit, preview, roll back); storage is prompts/templates.ts. */
export const promptsRouter = createTRPCRouter({
  list: adminProcedure
    .input(z.object({ language: ZLanguage.optional() }).optional())
    .query(({ ctx, input }) => listTemplateVersions(ctx.rt.db, { language: input?.language })),
  create: adminProcedure
    .input(z.object({ language: ZLanguage, body: ZBody, note: z.string().trim().max(200).optional() }))
    // the audit row is written in the new version's transaction
    .mutation(({ ctx, input }) =>
      createTemplateVersion(ctx.rt.db, { ...input, createdBy: actorOf(ctx.principal) }, { ip: ctx.ip }),
    ),
  rollback: adminProcedure
    .input(z.object({ language: ZLanguage, version: z.number().int().min(1) }))
    .mutation(({ ctx, input }) =>
      rollbackTemplate(ctx.rt.db, input, { actor: actorOf(ctx.principal), ip: ctx.ip }),
    ),
  /** The (draft) body rendered with the numbers computed now for a symbol (the report modules, nothing stored). */
  preview: adminProcedure
    .input(
      z.object({
        body: ZBody,
        language: ZLanguage,
        market: ZMarket,
        symbol: z.string().trim().min(1).max(16),
      }),
    )
    .query(({ ctx: { rt }, input }) =>
      previewPrompt(previewDeps(rt), { ...input, symbol: input.symbol.toUpperCase() }),
    ),
});
