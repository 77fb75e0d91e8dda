// The report's core names, imported by the module descriptors (module.ts, context.ts, modules/*): nothing here
// imports a module, so the registry has no cycle. types.ts re-exports all of it beside the report views.
import { z } from 'zod';
// The report modules, in running and display order: the one list (`module-names.ts`, zod-free so the browser
// can import it). Each name has its descriptor in `modules/index.ts` and its section component in apps/web
// (components/reports/sections); the compiler and `modules/modules.test.ts` check both.
import { REPORT_MODULES } from './module-names';

export { REPORT_MODULES };
export const ZReportModule = z.enum(REPORT_MODULES, {
  error: () => `module must be one of ${REPORT_MODULES.join(', ')}`,
});
export type TReportModule = z.infer<typeof ZReportModule>;

export type SectionStatus = 'pending' | 'running' | 'ok' | 'unavailable' | 'skipped' | 'failed';
export type ReportStatus = 'running' | 'complete' | 'failed';
export type ReportLanguage = 'zh' | 'en';
