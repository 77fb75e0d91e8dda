import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import type { DataProvider } from '@investiq/market';
import { AppError } from '../errors';
import { requireSymbol } from '../market/get-symbol';
import { renderPrompt } from '../prompts/render';
import { getActiveTemplate, getTemplate, type TemplateLanguage } from '../prompts/templates';
import type { FreshnessOptions } from '../quotes/decide-freshness';
import type { NamedPolicy } from '../resilience';
import type { TAnalysisSettings } from './analysis-settings';
import type { ModuleContext } from './context';
import { collectFacts } from './facts';
import { formatFact } from './grounding';
import type { InferenceGateway } from './inference-gateway';
import { FACT_MODULES } from './modules';
import { loadBars, servicesHealth } from './report-inputs';
import { runModule } from './report-run';
import { getAnalysisSettings } from './settings';

export interface PromptPreview {
  prompt: string;
  language: TemplateLanguage;
  template: { id: string; version: number } | null;
  /** The numbers the prompt lists (and the grounding check accepts). */
  facts: { key: string; label: string; shown: string }[];
  /** Modules whose numbers are missing from the preview, and why. */
  missing: { module: string; reason: string }[];
}

export interface PreviewDeps {
  db: DatabaseHandle;
  provider: DataProvider;
  providerPolicy: NamedPolicy;
  inference: InferenceGateway;
  now: () => Date;
  quoteMaxAgeSeconds: number;
  quoteFreshness?: FreshnessOptions;
}

/**
 * Renders a template (a stored version, or an unsaved body) with the numbers computed right now for a
 * symbol — every module that offers the narrative facts, as a report runs them, nothing stored. For the
 * admin template editor.
 */
export async function previewPrompt(
  deps: PreviewDeps,
  input: { templateId?: string; body?: string; language?: TemplateLanguage; market: TMarket; symbol: string },
): Promise<PromptPreview> {
  const { db } = deps;
  let body: string;
  let language: TemplateLanguage = input.language ?? 'en';
  let template: PromptPreview['template'] = null;
  if (input.templateId) {
    const t = await getTemplate(db, input.templateId);
    body = t.body;
    language = t.language;
    template = { id: t.id, version: t.version };
  } else if (input.body !== undefined) {
    if (input.body.trim() === '') throw new AppError('BAD_REQUEST', 'template body must not be empty');
    body = input.body;
  } else {
    const t = await getActiveTemplate(db, language);
    body = t.body;
    template = { id: t.id, version: t.version };
  }
  const info = await requireSymbol(db, input.market, input.symbol);
  const params = await getAnalysisSettings(db);
  const [bars, health] = await Promise.all([
    loadBars(db, input.market, input.symbol, params.historyBars, null),
    servicesHealth(deps.inference),
  ]);
  const ctx: ModuleContext<TAnalysisSettings> = {
    db,
    provider: deps.provider,
    providerPolicy: deps.providerPolicy,
    inference: deps.inference,
    now: deps.now,
    market: input.market,
    symbol: input.symbol,
    symbolInfo: {
      name: info.name,
      nameZh: info.name_zh,
      currency: info.currency,
      exchange: info.exchange,
      isDemo: info.is_demo,
    },
    bars,
    params,
    language,
    backtestAsOf: null,
    quoteMaxAgeSeconds: deps.quoteMaxAgeSeconds,
    quoteFreshness: deps.quoteFreshness,
    health,
    outputs: {},
    states: () => [],
    onNarrativeDelta: () => {},
  };
  const signal = AbortSignal.timeout(30_000);
  const settled = await Promise.allSettled(FACT_MODULES.map((m) => runModule(m, ctx, signal)));
  const missing: PromptPreview['missing'] = [];
  const sections: { module: string; status: string; reason: string | null }[] = [];
  settled.forEach((s, i) => {
    const module = FACT_MODULES[i]!.name;
    if (s.status === 'fulfilled') {
      ctx.outputs[module] = s.value.output;
      sections.push({ module, status: 'ok', reason: null });
    } else {
      const reason = s.reason instanceof Error ? s.reason.message : String(s.reason);
      missing.push({ module, reason });
      sections.push({ module, status: 'unavailable', reason });
    }
  });
  const x = { market: input.market, symbol: input.symbol, language, outputs: ctx.outputs };
  const facts = [...collectFacts(x, FACT_MODULES).values()];
  const prompt = renderPrompt(body, {
    name: language === 'zh' ? info.name_zh : info.name,
    symbol: input.symbol,
    market: input.market,
    currency: info.currency,
    asOf: bars.at(-1)?.time ?? deps.now().toISOString().slice(0, 10),
    facts,
    sections,
  });
  return {
    prompt,
    language,
    template,
    facts: facts.map((f) => ({ key: f.key, label: f.label, shown: formatFact(f) })),
    missing,
  };
}
