import { z } from 'zod';
import { MODULES } from './modules';
import { REPORT_MODULES, type TReportModule, ZReportModule } from './report-basics';

type ModuleParams = {
  [N in TReportModule as (typeof MODULES)[N]['params'] extends z.ZodType ? N : never]: Exclude<
    (typeof MODULES)[N]['params'],
    null
  >;
};

/** Each module's parameter schema under its name, in REPORT_MODULES order. */
const moduleParams = Object.fromEntries(
  REPORT_MODULES.flatMap((n) => {
    const params: z.ZodType | null = MODULES[n].params;
    return params ? [[n, params]] : [];
  }),
) as ModuleParams;

/** `analysis.modules`: which modules run and their parameters (stored as a setting; defaults from each module). */
export const ZAnalysisSettings = z.object({
  enabled: z.partialRecord(ZReportModule, z.boolean()).default({}),
  historyBars: z.number().int().min(70).max(3000).default(500),
  ...moduleParams,
});
export type TAnalysisSettings = z.output<typeof ZAnalysisSettings>;

export function defaultAnalysisSettings(): TAnalysisSettings {
  return ZAnalysisSettings.parse({});
}

export function moduleEnabled(s: TAnalysisSettings, m: TReportModule): boolean {
  return s.enabled[m] ?? true;
}
