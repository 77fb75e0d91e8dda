// Types of report views for clients (apps/web); no runtime code.

export { REPORT_MODULES } from './module-names';
export type { ModelTrackRecord, TrackRecord } from './track-record';
export type {
  ForecastOutput,
  IndicatorsOutput,
  Lineage,
  NarrativeOutput,
  ProfileOutput,
  ReportStatus,
  ReportView,
  SectionStatus,
  SectionView,
  SentimentOutput,
  StatisticsOutput,
  TReportModule,
} from './types';
