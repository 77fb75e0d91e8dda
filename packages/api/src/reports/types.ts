import { type Same, sameType, type TLatestQuote, type TMarket, ZMarket } from '@investiq/contracts';
import type { Fundamentals } from '@investiq/market';
import { z } from 'zod';

import { REPORT_MODULES } from './modules';

export { REPORT_MODULES };
export const ZReportModule = z.enum(REPORT_MODULES, {
  error: () => `module must be one of ${REPORT_MODULES.join(', ')}`,
});
export type TReportModule = z.infer<typeof ZReportModule>;

export type SectionStatus = 'pending' | 'running' | 'ok' | 'unavailable' | 'skipped' | 'failed';
export type ReportStatus = 'running' | 'complete' | 'failed';
export type ReportLanguage = 'zh' | 'en';

const period = z.number().int().min(1).max(400);
const fraction = z.number().gt(0).lt(1);

/** `analysis.modules`: which modules run and their parameters (stored as a setting; defaults below). */
export const ZAnalysisSettings = z.object({
  enabled: z.partialRecord(ZReportModule, z.boolean()).default({}),
  historyBars: z.number().int().min(70).max(3000).default(500),
  indicators: z
    .object({
      smaPeriods: z.array(period).min(1).max(4).default([20, 50]),
      emaPeriods: z.array(period).max(4).default([12, 26]),
      rsiPeriod: period.default(14),
      macd: z
        .object({ fast: period, slow: period, signal: period })
        .default({ fast: 12, slow: 26, signal: 9 }),
      bollinger: z
        .object({ period, stdDev: z.number().positive().max(5) })
        .default({ period: 20, stdDev: 2 }),
      atrPeriod: period.default(14),
    })
    .default({
      smaPeriods: [20, 50],
      emaPeriods: [12, 26],
      rsiPeriod: 14,
      macd: { fast: 12, slow: 26, signal: 9 },
      bollinger: { period: 20, stdDev: 2 },
      atrPeriod: 14,
    }),
  statistics: z
    .object({
      arimaHorizon: z.number().int().min(1).max(60).default(10),
      arimaLevels: z.array(fraction).min(1).max(3).default([0.8, 0.95]),
      arimaPoints: z.number().int().min(60).max(3000).default(250),
      garchHorizon: z.number().int().min(1).max(60).default(10),
      varLevels: z.array(fraction).min(1).max(3).default([0.95, 0.99]),
    })
    .default({
      arimaHorizon: 10,
      arimaLevels: [0.8, 0.95],
      arimaPoints: 250,
      garchHorizon: 10,
      varLevels: [0.95, 0.99],
    }),
  forecast: z.object({ horizon: z.number().int().min(1).max(60).default(10) }).default({ horizon: 10 }),
  sentiment: z.object({ headlines: z.number().int().min(1).max(50).default(12) }).default({ headlines: 12 }),
  narrative: z
    .object({
      /** `auto` = the language the report was requested in. */
      language: z.enum(['auto', 'zh', 'en']).default('auto'),
      maxTokens: z.number().int().min(64).max(4096).default(700),
    })
    .default({ language: 'auto', maxTokens: 700 }),
});
export type TAnalysisSettings = z.output<typeof ZAnalysisSettings>;

export function defaultAnalysisSettings(): TAnalysisSettings {
  return ZAnalysisSettings.parse({});
}

export function moduleEnabled(s: TAnalysisSettings, m: TReportModule): boolean {
  return s.enabled[m] ?? true;
}

/** Minimum stored daily bars for the history-based modules (indicators, statistics, forecast). */
export const MIN_HISTORY_BARS = 70;

export interface IndicatorPoint {
  time: string;
  value: number | null;
}

export interface ProfileOutput {
  name: string;
  nameZh: string;
  currency: string;
  exchange: string;
  isDemo: boolean;
  quote: TLatestQuote | null;
  lastClose: number | null;
  lastCloseDate: string | null;
  change1dPct: number | null;
  high52w: number | null;
  low52w: number | null;
  return1yPct: number | null;
  fundamentals: Fundamentals | null;
  fundamentalsNote?: string;
  /** The provider that delivered the fundamentals (lineage). */
  fundamentalsSource?: string | null;
}

export interface IndicatorsOutput {
  asOfDate: string;
  latest: Record<string, number | null>;
  /** Overlay series for the chart (last 250 bars). */
  overlays: Record<string, IndicatorPoint[]>;
  params: TAnalysisSettings['indicators'];
}

export interface StatisticsOutput {
  lastClose: number;
  lastDate: string;
  arima: {
    order: [number, number, number];
    aicc: number;
    dates: string[];
    forecast: number[];
    intervals: { level: number; lower: number[]; upper: number[] }[];
  } | null;
  arimaError?: string;
  garch: {
    omega: number;
    alpha: number;
    beta: number;
    persistence: number;
    /** Annualised volatility, percent (latest conditional and forecast mean). */
    annualVolPct: number;
    forecastAnnualVolPct: number;
    dailyVolForecastPct: number[];
    var: { level: number; pct: number; amount: number }[];
  } | null;
  garchError?: string;
}

export interface ForecastOutput {
  model: { name: string; version: string };
  lastClose: number;
  lastDate: string;
  dates: string[];
  point: number[];
  p10: number[];
  p50: number[];
  p90: number[];
  contextLength: number;
}

export interface SentimentOutput {
  model: { name: string; version: string };
  /** The provider that delivered the headlines (each headline's `source` is its publisher). */
  newsProvider?: string;
  headlines: {
    id: string;
    publishedAt: string;
    lang: 'zh' | 'en';
    headline: string;
    source: string;
    isDemo: boolean;
    label: 'negative' | 'neutral' | 'positive';
    score: number;
  }[];
  counts: { positive: number; neutral: number; negative: number };
  /** mean(P(positive) − P(negative)) over headlines, in [−1, 1]. */
  netScore: number;
}

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

export interface SectionView {
  module: TReportModule;
  status: SectionStatus;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  inputsAsOf: Record<string, string | null> | null;
  output: unknown;
  error: string | null;
}

export interface ReportView {
  id: string;
  market: TMarket;
  symbol: string;
  status: ReportStatus;
  modules: TReportModule[];
  params: TAnalysisSettings;
  language: ReportLanguage;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  lineage: Lineage | null;
  degradedSections: number;
  ungroundedNumbers: number | null;
  sections: SectionView[];
}

export interface Lineage {
  provider: string;
  /** As-of time of each input (ISO); `quote` reports its freshness state separately. */
  dataAsOf: Record<string, string | null>;
  quoteStatus: 'fresh' | 'delayed' | 'closed' | 'stale' | 'missing' | 'historical' | null;
  models: Record<
    string,
    { name: string; version: string; sha256: string | null; executionProvider: string; url: string } | null
  >;
  template: { id: string; name: string; language: string; version: number } | null;
  params: TAnalysisSettings;
  backtestAsOf: string | null;
  /** Which provider delivered each input (`dailyBars`, `quote`, `fundamentals`, `news`); null = none. */
  sources?: Record<string, string | null>;
  /**
   * The daily close of this symbol from two sources on their latest shared day, when two are configured;
   * `flagged` when they disagree by more than the providers.crossCheck threshold.
   */
  closeCheck?: {
    date: string;
    closes: Record<string, number>;
    diffPercent: number;
    thresholdPercent: number;
    flagged: boolean;
  } | null;
  /** OpenTelemetry trace of the run (null with tracing off; absent on reports made before tracing). */
  traceId?: string | null;
}

// `reports.get`'s `.output()`. The envelope and every section are checked field by field; `params` and
// `lineage` are JSON stored by whichever version wrote the report, so they are checked to be objects only
// (a report written before a settings field existed must still read, not turn into a 500).
const storedObject = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), `${what} must be an object`);

export const ZSectionView = z.object({
  module: ZReportModule,
  status: z.enum(['pending', 'running', 'ok', 'unavailable', 'skipped', 'failed']),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  inputsAsOf: z.record(z.string(), z.string().nullable()).nullable(),
  output: z.unknown(),
  error: z.string().nullable(),
});
sameType<Same<z.infer<typeof ZSectionView>, SectionView>>();

export const ZReportView = z.object({
  id: z.string(),
  market: ZMarket,
  symbol: z.string(),
  status: z.enum(['running', 'complete', 'failed']),
  modules: z.array(ZReportModule),
  params: storedObject<TAnalysisSettings>('params'),
  language: z.enum(['zh', 'en']),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  lineage: storedObject<Lineage>('lineage').nullable(),
  degradedSections: z.number(),
  ungroundedNumbers: z.number().nullable(),
  sections: z.array(ZSectionView),
});
sameType<Same<z.infer<typeof ZReportView>, ReportView>>();
