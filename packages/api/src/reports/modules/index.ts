import type { AnyReportModule, ModuleOf } from '../module';
import { REPORT_MODULES, type TReportModule } from '../report-basics';
import { forecastModule } from './forecast';
import { indicatorsModule } from './indicators';
import { createNarrativeModule } from './narrative';
import { profileModule } from './profile';
import { sentimentModule } from './sentiment';
import { statisticsModule } from './statistics';

/** The modules whose numbers the narrative is written from (each offers `facts`). */
const INPUTS = {
  profile: profileModule,
  indicators: indicatorsModule,
  statistics: statisticsModule,
  forecast: forecastModule,
  sentiment: sentimentModule,
};

/**
 * Every report module, keyed by its name in REPORT_MODULES (types.ts; the compiler insists on one descriptor
 * per name). Everything else derives from here: running order and dependencies, the settings schema, lineage,
 * the narrative's facts and deterministic paragraphs, the Markdown export, the prompt preview.
 */
export const MODULES = {
  ...INPUTS,
  narrative: createNarrativeModule(
    REPORT_MODULES.flatMap((n) => (n in INPUTS ? [INPUTS[n as keyof typeof INPUTS]] : [])),
  ),
} satisfies { [N in TReportModule]: ModuleOf<N> };

/** The descriptors in REPORT_MODULES order. */
export const MODULE_LIST: readonly AnyReportModule[] = REPORT_MODULES.map(
  (n) => MODULES[n] as AnyReportModule,
);

export function moduleDef(name: TReportModule): AnyReportModule {
  return MODULES[name] as AnyReportModule;
}

/** The modules whose numbers the narrative may state (the prompt preview computes these). */
export const FACT_MODULES: readonly AnyReportModule[] = MODULE_LIST.filter((m) => m.facts !== null);
