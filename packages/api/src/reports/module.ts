import type { TInferenceServiceName } from '@investiq/contracts/inference';
import type { z } from 'zod';
import type { Fact } from '../prompts/fact';
import type { ModuleContext, ModuleResult } from './context';
import type { TReportModule } from './report-basics';

/** Adds one number the narrative may state: `label` is [English, Chinese]; nothing for a missing value. */
export type AddFact = (
  key: string,
  label: [string, string],
  value: number | null | undefined,
  o?: { decimals?: number; pct?: boolean; scale?: number },
) => void;

export type FactMap = Map<string, Fact>;

/** What a module's paragraph of the deterministic narrative may use: only the facts, formatted. */
export interface WriterTools {
  zh: boolean;
  symbol: string;
  /** The security's currency (from the profile section; '' without it). */
  currency: string;
  facts: FactMap;
  has(...keys: string[]): boolean;
  /** The fact as the prompt shows it. */
  F(key: string): string;
  /** Its absolute value, shown the same way. */
  abs(key: string): string;
  /** true when the fact is ≥ 0 (or missing). */
  sign(key: string): boolean;
}

type ParamsOf<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One report module: everything the report needs to know about it lives here, and the report service,
 * lineage, facts, the deterministic writer, the Markdown export and the prompt preview derive from the list
 * in `modules/index.ts`. The web page's piece is its section component (apps/web components/reports/sections).
 */
export interface ReportModuleDef<N extends TReportModule = TReportModule, O = unknown, S = unknown> {
  name: N;
  /** Modules whose outcome it waits for (whatever that outcome is). */
  deps: readonly TReportModule[];
  /** The inference services whose models its output depends on (lineage). */
  services: readonly TInferenceServiceName[];
  /** Its parameters in `analysis.modules` (under its name, with defaults), or null. */
  params: S;
  run(ctx: ModuleContext<ParamsOf<S>>, signal: AbortSignal): Promise<ModuleResult<O>>;
  /** The numbers of its output the narrative may state (null: it offers none). */
  facts: ((output: O, add: AddFact, zh: boolean) => void) | null;
  /** Its paragraphs of the deterministic (no-LLM) narrative, built only from the facts. */
  write: ((output: O, w: WriterTools) => string[]) | null;
  /** Which provider delivered each of its inputs (lineage `sources`; every name in `inputs`, null = none). */
  sources?: { inputs: readonly string[]; of(output: O): Record<string, string | null> };
  /** Its section of the Markdown export: a heading and the body lines for an `ok` output. */
  markdown: { title: string; body(output: O): string[] };
}

/** Checks a descriptor against the type and keeps its literal name, output and parameter types. */
export function defineModule<N extends TReportModule, O, S extends z.ZodType | null>(
  def: ReportModuleDef<N, O, S>,
): ReportModuleDef<N, O, S> {
  return def;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of modules whose outputs and parameters differ
export type ModuleOf<N extends TReportModule> = ReportModuleDef<N, any, any>;
export type AnyReportModule = ModuleOf<TReportModule>;
