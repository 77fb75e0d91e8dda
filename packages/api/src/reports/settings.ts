import type { DatabaseHandle } from '@investiq/db';
import type { z } from 'zod';
import { registerSetting } from '../settings/registry';
import { getSetting } from '../settings/service';
import { defaultAnalysisSettings, type TAnalysisSettings, ZAnalysisSettings } from './analysis-settings';

export const ANALYSIS_SETTINGS_KEY = 'analysis.modules';

/** `analysis.modules`: which report modules run and their parameters (admin → Analysis). */
export const SAnalysisModules = registerSetting<TAnalysisSettings>({
  key: ANALYSIS_SETTINGS_KEY,
  section: 'analysis',
  description:
    'Report modules (enabled flags) and their parameters: indicator periods, ARIMA horizon/levels, GARCH VaR levels, forecast horizon, headline count, narrative language.',
  schema: ZAnalysisSettings as unknown as z.ZodType<TAnalysisSettings>,
  default: defaultAnalysisSettings(),
});

/** Current `analysis.modules` (stored version, or the defaults). */
export async function getAnalysisSettings(db: DatabaseHandle): Promise<TAnalysisSettings> {
  try {
    return ZAnalysisSettings.parse(await getSetting(db, SAnalysisModules));
  } catch {
    return defaultAnalysisSettings();
  }
}
