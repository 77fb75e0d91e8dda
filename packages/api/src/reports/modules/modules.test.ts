import { describe, expect, it } from 'vitest';
import { defaultAnalysisSettings } from '../analysis-settings';
import { SERVICES } from '../inference-gateway';
import { REPORT_MODULES } from '../report-basics';
import { FACT_MODULES, MODULE_LIST, MODULES } from './index';

// The module list is the one place a report module is declared; these checks walk it, so a new module that
// lacks a piece fails here (its web section component is checked by apps/web sections/registry.test.ts).
describe('report module list', () => {
  it('has one descriptor per name in REPORT_MODULES, in that order', () => {
    expect(Object.keys(MODULES).sort()).toEqual([...REPORT_MODULES].sort());
    expect(MODULE_LIST.map((m) => m.name)).toEqual([...REPORT_MODULES]);
  });

  it.each(MODULE_LIST.map((m) => [m.name, m] as const))(
    '%s has Markdown, known services and deps',
    (_, m) => {
      expect(m.markdown.title.trim()).not.toBe('');
      expect(typeof m.markdown.body).toBe('function');
      for (const s of m.services) expect(SERVICES).toContain(s);
      for (const d of m.deps) expect(REPORT_MODULES).toContain(d);
      expect(m.deps).not.toContain(m.name);
    },
  );

  it('every module offers the narrative facts and its paragraphs, except the narrative, which writes from them', () => {
    const offers = MODULE_LIST.filter((m) => typeof m.facts === 'function');
    expect(MODULE_LIST.filter((m) => m.facts === null).map((m) => m.name)).toEqual(['narrative']);
    for (const m of offers) expect(typeof m.write).toBe('function');
    expect(FACT_MODULES).toEqual(offers);
    // the narrative waits for exactly the modules whose numbers it may state
    expect([...MODULES.narrative.deps]).toEqual(offers.map((m) => m.name));
  });

  it('each module with parameters has them, with its defaults, under its name in analysis.modules', () => {
    const defaults = defaultAnalysisSettings() as Record<string, unknown>;
    expect(Object.keys(defaults)).toEqual([
      'enabled',
      'historyBars',
      ...MODULE_LIST.filter((m) => m.params).map((m) => m.name),
    ]);
    for (const m of MODULE_LIST) if (m.params) expect(defaults[m.name]).toEqual(m.params.parse(undefined));
  });

  it('lineage source names are declared by one module each', () => {
    const names = MODULE_LIST.flatMap((m) => m.sources?.inputs ?? []);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['quote', 'fundamentals', 'news']);
  });
});
