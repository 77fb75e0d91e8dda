import { type Same, sameType, type TMarket, ZMarket } from '@investiq/contracts';
import { z } from 'zod';
import type { TAnalysisSettings } from './analysis-settings';

// Each module's output type lives with its module; re-exported (types only) for the report's readers.
export type { TAnalysisSettings } from './analysis-settings';
export type { ForecastOutput } from './modules/forecast';
export type { IndicatorPoint, IndicatorsOutput } from './modules/indicators';
export type { NarrativeOutput } from './modules/narrative';
export type { ProfileOutput } from './modules/profile';
export type { SentimentOutput } from './modules/sentiment';
export type { StatisticsOutput } from './modules/statistics';

export * from './report-basics';

import {
  type ReportLanguage,
  type ReportStatus,
  type SectionStatus,
  type TReportModule,
  ZReportModule,
} from './report-basics';

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
