import type { TReportModule } from '@investiq/api/reports';
import type { ComponentType } from 'react';
import { ForecastSection } from './forecast-section';
import { IndicatorsSection } from './indicators-section';
import { NarrativeSection } from './narrative-section';
import { ProfileSection } from './profile-section';
import type { D, SectionProps } from './section-frame';
import { SentimentSection } from './sentiment-section';
import { StatisticsSection } from './statistics-section';

export interface SectionEntry {
  /** The section's body, shown once its module is `ok` (or while it runs, for a `live` one). */
  Body: ComponentType<SectionProps>;
  title(d: D): string;
  /** Spans the whole grid row. */
  wide?: boolean;
  /** Shows its partial output while running (the narrative streams). */
  live?: boolean;
  /** Draws on the price chart: the chart card goes before the first such section. */
  onChart?: boolean;
}

/**
 * The report page's piece of each report module, keyed by the module list (REPORT_MODULES): the compiler
 * wants one entry per module, and the page shows them in the list's order. The backend descriptor is in
 * packages/api/src/reports/modules/.
 */
export const SECTIONS: { [M in TReportModule]: SectionEntry } = {
  profile: { Body: ProfileSection, title: (d) => d.keyMetrics, wide: true },
  indicators: { Body: IndicatorsSection, title: (d) => d.indicators, onChart: true },
  statistics: { Body: StatisticsSection, title: (d) => `${d.arima} · ${d.garch}`, onChart: true },
  forecast: { Body: ForecastSection, title: (d) => d.neural, onChart: true },
  sentiment: { Body: SentimentSection, title: (d) => d.sentiment, wide: true },
  narrative: { Body: NarrativeSection, title: (d) => d.narrative, wide: true, live: true },
};
