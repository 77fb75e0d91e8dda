import { type Fact, formatFact } from '../reports/grounding';

export interface PromptValues {
  name: string;
  symbol: string;
  market: string;
  currency: string;
  asOf: string;
  /** Computed numbers; rendered one "label: value" line each into {{facts}}. */
  facts: readonly Fact[];
  /** Section states; rendered into {{sections}}. */
  sections: readonly { module: string; status: string; reason?: string | null }[];
}

/** Fills a template body's {{placeholders}}; unknown placeholders are left as they are. */
export function renderPrompt(template: { body: string } | string, v: PromptValues): string {
  const body = typeof template === 'string' ? template : template.body;
  const facts = v.facts.map((f) => `- ${f.label}: ${formatFact(f)}`).join('\n') || '- (none)';
  const sections =
    v.sections.map((s) => `- ${s.module}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`).join('\n') ||
    '- (none)';
  const values: Record<string, string> = {
    name: v.name,
    symbol: v.symbol,
    market: v.market,
    currency: v.currency,
    asOf: v.asOf,
    facts,
    sections,
  };
  return body.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (m, key: string) => values[key] ?? m);
}
