import { renderPrompt } from '../../prompts/render';
import { getActiveTemplate } from '../../prompts/templates';
import type { ModuleContext, ModuleResult } from '../context';
import { collectFacts, type NarrativeInputs } from '../facts';
import { checkGrounding } from '../grounding';
import type {
  ForecastOutput,
  IndicatorsOutput,
  NarrativeOutput,
  ProfileOutput,
  SentimentOutput,
  StatisticsOutput,
} from '../types';
import { writeDeterministicNarrative } from '../writer';

export function narrativeInputs(ctx: ModuleContext): NarrativeInputs {
  const o = ctx.outputs;
  const lang = ctx.params.narrative.language === 'auto' ? ctx.language : ctx.params.narrative.language;
  return {
    market: ctx.market,
    symbol: ctx.symbol,
    language: lang,
    params: ctx.params,
    profile: (o.profile as ProfileOutput | undefined) ?? null,
    indicators: (o.indicators as IndicatorsOutput | undefined) ?? null,
    statistics: (o.statistics as StatisticsOutput | undefined) ?? null,
    forecast: (o.forecast as ForecastOutput | undefined) ?? null,
    sentiment: (o.sentiment as SentimentOutput | undefined) ?? null,
  };
}

/**
 * The grounded narrative: the active prompt template filled with the computed numbers, streamed from the
 * llm service; or, when no LLM upstream is configured (or it fails), the deterministic writer. Either way
 * every number in the text is checked against the inputs.
 */
export async function runNarrative(
  ctx: ModuleContext,
  signal: AbortSignal,
): Promise<ModuleResult<NarrativeOutput>> {
  const x = narrativeInputs(ctx);
  const facts = collectFacts(x);
  const template = await getActiveTemplate(ctx.db, x.language);
  const templateRef = {
    id: template.id,
    name: template.name,
    language: template.language,
    version: template.version,
  };
  const llm = ctx.health.llm;
  const llmConfigured = llm?.reachable === true && llm.status !== 'unconfigured';
  let text: string;
  let writer: NarrativeOutput['writer'] = 'deterministic';
  let model: string | undefined;
  let llmError: string | undefined;
  if (llmConfigured) {
    const prompt = renderPrompt(template, {
      name: x.language === 'zh' ? (x.profile?.nameZh ?? ctx.symbol) : (x.profile?.name ?? ctx.symbol),
      symbol: ctx.symbol,
      market: ctx.market,
      currency: x.profile?.currency ?? '',
      asOf: ctx.bars.at(-1)?.time ?? ctx.now().toISOString().slice(0, 10),
      facts: [...facts.values()],
      sections: ctx.states().filter((s) => s.module !== 'narrative'),
    });
    try {
      const res = await ctx.inference.streamChat(
        {
          messages: [{ role: 'user', content: prompt }],
          max_tokens: ctx.params.narrative.maxTokens,
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
      text = writeDeterministicNarrative(x, facts);
      ctx.onNarrativeDelta(`\n\n${text}`);
    }
  } else {
    text = writeDeterministicNarrative(x, facts);
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
