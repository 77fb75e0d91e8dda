import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import { renderPrompt } from '../prompts/render';
import { PLACEHOLDERS } from '../prompts/templates';
import { collectFacts, type NarrativeInputs } from '../reports/facts';
import { getReport, listReports } from '../reports/get-report';
import type {
  ForecastOutput,
  IndicatorsOutput,
  ProfileOutput,
  ReportLanguage,
  SentimentOutput,
  StatisticsOutput,
} from '../reports/types';

export interface PromptPreview {
  rendered: string;
  report: { id: string; createdAt: string };
  facts: number;
  unknownPlaceholders: string[];
}

/**
 * Render a (draft) template body for one symbol with real computed numbers: those of the newest complete
 * report for that symbol — the same facts and section states the narrative module would give the LLM.
 */
export async function previewPrompt(
  db: DatabaseHandle,
  input: { body: string; language: ReportLanguage; market: TMarket; symbol: string },
): Promise<PromptPreview> {
  const symbol = input.symbol.trim().toUpperCase();
  const summary = (
    await listReports(db, { symbol, market: input.market, status: 'complete', limit: 20 })
  ).find((r) => r.symbol === symbol);
  if (!summary)
    throw new AppError(
      'NOT_FOUND',
      `no complete report for ${input.market}:${symbol} yet; generate one (Reports → New) to preview with its numbers`,
    );
  const report = await getReport(db, summary.id);
  const out = <T>(module: string) =>
    (report.sections.find((s) => s.module === module && s.status === 'ok')?.output as T | undefined) ?? null;
  const x: NarrativeInputs = {
    market: report.market,
    symbol: report.symbol,
    language: input.language,
    params: report.params,
    profile: out<ProfileOutput>('profile'),
    indicators: out<IndicatorsOutput>('indicators'),
    statistics: out<StatisticsOutput>('statistics'),
    forecast: out<ForecastOutput>('forecast'),
    sentiment: out<SentimentOutput>('sentiment'),
  };
  const facts = [...collectFacts(x).values()];
  const rendered = renderPrompt(input.body, {
    name: input.language === 'zh' ? (x.profile?.nameZh ?? symbol) : (x.profile?.name ?? symbol),
    symbol,
    market: report.market,
    currency: x.profile?.currency ?? '',
    asOf: report.finishedAt?.slice(0, 10) ?? report.createdAt.slice(0, 10),
    facts,
    sections: report.sections
      .filter((s) => s.module !== 'narrative')
      .map((s) => ({ module: s.module, status: s.status, reason: s.error })),
  });
  const unknownPlaceholders = [...input.body.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)]
    .map((m) => m[1]!)
    .filter((k) => !PLACEHOLDERS.includes(k));
  return {
    rendered,
    report: { id: report.id, createdAt: report.createdAt },
    facts: facts.length,
    unknownPlaceholders,
  };
}
