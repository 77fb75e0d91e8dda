import type { TMarket } from '@investiq/contracts';
import { AppError } from '../errors';
import { requireSymbol } from '../market/get-symbol';
import { freshnessOptions } from '../quotes/freshness-options';
import type { ModuleContext, ModuleResult } from '../reports/context';
import { collectFacts } from '../reports/facts';
import { formatFact } from '../reports/grounding';
import { SERVICES, type ServiceHealthView } from '../reports/inference-gateway';
import { runForecast } from '../reports/modules/forecast';
import { runIndicators } from '../reports/modules/indicators';
import { narrativeInputs } from '../reports/modules/narrative';
import { runProfile } from '../reports/modules/profile';
import { runSentiment } from '../reports/modules/sentiment';
import { runStatistics } from '../reports/modules/statistics';
import { loadBars } from '../reports/report-service';
import { getAnalysisSettings } from '../reports/settings';
import type { TReportModule } from '../reports/types';
import type { Runtime } from '../runtime';
import { renderPrompt } from './render';
import { getActiveTemplate, getTemplate, type TemplateLanguage } from './templates';

export interface PromptPreview {
  prompt: string;
  language: TemplateLanguage;
  template: { id: string; version: number } | null;
  /** The numbers the prompt lists (and the grounding check accepts). */
  facts: { key: string; label: string; shown: string }[];
  /** Modules whose numbers are missing from the preview, and why. */
  missing: { module: string; reason: string }[];
}

/**
 * Renders a template (a stored version, or an unsaved body) with the numbers computed right now for a
 * symbol — the same modules a report runs, nothing stored. For the admin template editor.
 */
export async function previewPrompt(
  rt: Pick<Runtime, 'db' | 'provider' | 'inference' | 'reports' | 'now' | 'config'>,
  input: { templateId?: string; body?: string; language?: TemplateLanguage; market: TMarket; symbol: string },
): Promise<PromptPreview> {
  const { db } = rt;
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
    Promise.all(SERVICES.map((s) => rt.inference.health(s))),
  ]);
  const ctx: ModuleContext = {
    db,
    provider: rt.provider,
    providerPolicy: rt.reports.providerPolicy,
    inference: rt.inference,
    now: rt.now,
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
    quoteMaxAgeSeconds: rt.config.quotes.defaultMaxAgeSeconds,
    quoteFreshness: freshnessOptions(rt),
    health: Object.fromEntries(health.map((h) => [h.service, h])) as Record<string, ServiceHealthView>,
    outputs: {},
    states: () => [],
    onNarrativeDelta: () => {},
  };
  const runners: [TReportModule, (c: ModuleContext, s: AbortSignal) => Promise<ModuleResult>][] = [
    ['profile', runProfile],
    ['indicators', runIndicators],
    ['statistics', runStatistics],
    ['forecast', runForecast],
    ['sentiment', runSentiment],
  ];
  const signal = AbortSignal.timeout(30_000);
  const settled = await Promise.allSettled(runners.map(([, run]) => run(ctx, signal)));
  const missing: PromptPreview['missing'] = [];
  const sections: { module: string; status: string; reason: string | null }[] = [];
  settled.forEach((s, i) => {
    const module = runners[i]![0];
    if (s.status === 'fulfilled') {
      ctx.outputs[module] = s.value.output;
      sections.push({ module, status: 'ok', reason: null });
    } else {
      const reason = s.reason instanceof Error ? s.reason.message : String(s.reason);
      missing.push({ module, reason });
      sections.push({ module, status: 'unavailable', reason });
    }
  });
  const x = { ...narrativeInputs(ctx), language };
  const facts = [...collectFacts(x).values()];
  const prompt = renderPrompt(body, {
    name: language === 'zh' ? info.name_zh : info.name,
    symbol: input.symbol,
    market: input.market,
    currency: info.currency,
    asOf: bars.at(-1)?.time ?? rt.now().toISOString().slice(0, 10),
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
