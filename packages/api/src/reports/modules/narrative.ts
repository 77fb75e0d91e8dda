import { z } from 'zod';
import { renderPrompt } from '../../prompts/render';
import { getActiveTemplate } from '../../prompts/templates';
import type { ModuleContext, ModuleResult } from '../context';
import { collectFacts, type NarrativeInputs } from '../facts';
import { checkGrounding } from '../grounding';
import { type AnyReportModule, defineModule } from '../module';
import type { ReportLanguage } from '../report-basics';
import { writeDeterministicNarrative } from '../writer';

/** `analysis.modules.narrative` */
const ZNarrativeParams = z
  .object({
    /** `auto` = the language the report was requested in. */
    language: z.enum(['auto', 'zh', 'en']).default('auto'),
    maxTokens: z.number().int().min(64).max(4096).default(700),
  })
  .default({ language: 'auto', maxTokens: 700 });
type TNarrativeParams = z.output<typeof ZNarrativeParams>;

export interface NarrativeOutput {
  text: string;
  language: ReportLanguage;
  writer: 'llm' | 'deterministic';
  model?: string;
  /** Why the deterministic writer was used when an LLM was configured but failed. */
  llmError?: string;
  template: { id: string; name: string; language: string; version: number } | null;
  grounding: { numbers: number; unmatched: { text: string; start: number; end: number }[] };
}

/** The narrative's language: its setting, or (`auto`) the language the report was requested in. */
const narrativeLanguage = (ctx: Pick<ModuleContext<TNarrativeParams>, 'params' | 'language'>) =>
  ctx.params.language === 'auto' ? ctx.language : ctx.params.language;

function narrativeInputs(ctx: ModuleContext, language: ReportLanguage): NarrativeInputs {
  return { market: ctx.market, symbol: ctx.symbol, language, outputs: ctx.outputs };
}

/** Marks ungrounded numbers as `**⚠12.3**` so they stand out in any Markdown viewer. */
function markUngrounded(text: string, unmatched: NarrativeOutput['grounding']['unmatched']): string {
  let out = '';
  let at = 0;
  for (const u of [...unmatched].sort((a, b) => a.start - b.start)) {
    out += `${text.slice(at, u.start)}**⚠${text.slice(u.start, u.end)}**`;
    at = u.end;
  }
  return out + text.slice(at);
}

/**
 * The grounded narrative, written from the facts of `inputs` (the modules it waits for): the active prompt
 * template filled with the computed numbers, streamed from the llm service; or, when no LLM upstream is
 * configured (or it fails), the deterministic writer. Either way every number in the text is checked against
 * the inputs.
 */
export function createNarrativeModule(inputs: readonly AnyReportModule[]) {
  async function runNarrative(
    ctx: ModuleContext<TNarrativeParams>,
    signal: AbortSignal,
  ): Promise<ModuleResult<NarrativeOutput>> {
    const x = narrativeInputs(ctx, narrativeLanguage(ctx));
    const facts = collectFacts(x, inputs);
    const template = await getActiveTemplate(ctx.db, x.language);
    const templateRef = {
      id: template.id,
      name: template.name,
      language: template.language,
      version: template.version,
    };
    const profile = x.outputs.profile as { name: string; nameZh: string; currency: string } | undefined;
    const llm = ctx.health.llm;
    const llmConfigured = llm?.reachable === true && llm.status !== 'unconfigured';
    let text: string;
    let writer: NarrativeOutput['writer'] = 'deterministic';
    let model: string | undefined;
    let llmError: string | undefined;
    if (llmConfigured) {
      const prompt = renderPrompt(template, {
        name: x.language === 'zh' ? (profile?.nameZh ?? ctx.symbol) : (profile?.name ?? ctx.symbol),
        symbol: ctx.symbol,
        market: ctx.market,
        currency: profile?.currency ?? '',
        asOf: ctx.bars.at(-1)?.time ?? ctx.now().toISOString().slice(0, 10),
        facts: [...facts.values()],
        sections: ctx.states().filter((s) => s.module !== 'narrative'),
      });
      try {
        const res = await ctx.inference.streamChat(
          {
            messages: [{ role: 'user', content: prompt }],
            max_tokens: ctx.params.maxTokens,
            temperature: 0.2,
          },
          ctx.onNarrativeDelta,
          signal,
        );
        if (res.text.trim().length === 0) throw new Error('the LLM returned an empty text');
        text = res.text.trim();
        writer = 'llm';
        model = res.model;
      } catch (err) {
        llmError = err instanceof Error ? err.message : String(err);
        text = writeDeterministicNarrative(x, facts, inputs);
        ctx.onNarrativeDelta(`\n\n${text}`);
      }
    } else {
      text = writeDeterministicNarrative(x, facts, inputs);
      ctx.onNarrativeDelta(text);
    }
    return {
      output: {
        text,
        language: x.language,
        writer,
        ...(model ? { model } : {}),
        ...(llmError ? { llmError } : {}),
        template: templateRef,
        grounding: checkGrounding(text, [...facts.values()]),
      },
      inputsAsOf: { template: `${template.name}@${template.language}v${template.version}` },
    };
  }

  return defineModule({
    name: 'narrative',
    deps: inputs.map((m) => m.name),
    services: ['llm'],
    params: ZNarrativeParams,
    run: runNarrative,
    facts: null,
    write: null,
    markdown: {
      title: 'Narrative',
      body: (nv) => {
        const L: string[] = [];
        L.push(
          nv.writer === 'llm'
            ? `_Written by the LLM${nv.model ? ` (${nv.model})` : ''}; grounding check: ${nv.grounding.numbers - nv.grounding.unmatched.length}/${nv.grounding.numbers} numbers match the inputs._`
            : `_Written without an LLM by the built-in template${nv.llmError ? ` (LLM failed: ${nv.llmError})` : ''}; grounding check: ${nv.grounding.numbers - nv.grounding.unmatched.length}/${nv.grounding.numbers} numbers match._`,
          '',
          markUngrounded(nv.text, nv.grounding.unmatched),
        );
        return L;
      },
    },
  });
}
