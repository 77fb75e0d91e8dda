import { type Fact, formatFact } from './fact';
import { fillPlaceholders } from './placeholders';

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

/**
 * Fills a template body's {{placeholders}}; unknown placeholders (including prototype names such as
 * {{constructor}}) are left as they are — values are looked up in a Map, never on an object's prototype.
 */
export function renderPrompt(template: { body: string } | string, v: PromptValues): string {
  const body = typeof template === 'string' ? template : template.body;
  const facts = v.facts.map((f) => `- ${f.label}: ${formatFact(f)}`).join('\n') || '- (none)';
  const sections =
    v.sections.map((s) => `- ${s.module}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`).join('\n') ||
    '- (none)';
  const values = new Map<string, string>([
    ['name', v.name],
    ['symbol', v.symbol],
    ['market', v.market],
    ['currency', v.currency],
    ['asOf', v.asOf],
    ['facts', facts],
    ['sections', sections],
  ]);
  return fillPlaceholders(body, values);
}
