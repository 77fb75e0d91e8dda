import type { Fact } from './grounding';
import type { AddFact, AnyReportModule, FactMap } from './module';
import type { ReportLanguage } from './report-basics';

export type { FactMap } from './module';

/** What the narrative is written from: the outputs of the modules that finished ok, by module name. */
export interface NarrativeInputs {
  market: string;
  symbol: string;
  language: ReportLanguage;
  outputs: Partial<Record<string, unknown>>;
}

/**
 * The numbers a narrative may state: every computed figure of the other sections plus the parameters they
 * were computed with, each module adding its own (`facts` in its descriptor), in the order of the list. The
 * prompt lists them as shown here and the grounding check matches against them.
 */
export function collectFacts(x: NarrativeInputs, modules: readonly AnyReportModule[]): FactMap {
  const facts: FactMap = new Map();
  const zh = x.language === 'zh';
  const add: AddFact = (key, label, value, o = {}) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    const fact: Fact = {
      key,
      label: zh ? label[1] : label[0],
      value,
      unit: o.pct ? 'pct' : 'plain',
      scale: o.scale ?? 1,
      decimals: o.decimals ?? 2,
    };
    facts.set(key, fact);
  };
  for (const m of modules) {
    const output = x.outputs[m.name];
    if (output !== undefined && output !== null && m.facts) m.facts(output, add, zh);
  }
  return facts;
}
