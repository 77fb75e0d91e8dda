import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { scanPlaceholders } from './placeholders';
import { type PromptValues, renderPrompt } from './render';
import { assertKnownPlaceholders } from './templates';

const values: PromptValues = {
  name: 'Apple',
  symbol: 'AAPL',
  market: 'US',
  currency: 'USD',
  asOf: '2026-11-20',
  facts: [],
  sections: [],
};

// Inputs that made the old pattern /\{\{\s*([^}]+?)\s*\}\}/ backtrack cubically (an unclosed `{{` followed by
// whitespace): 4 000 spaces blocked the process for ~10 s, 100 000 would never finish.
const HOSTILE: [string, string][] = [
  ['unclosed {{ + 100k spaces', `{{${' '.repeat(100_000)}`],
  ['unclosed {{ + spaces + a letter', `{{${' '.repeat(50_000)}a${' '.repeat(50_000)}`],
  ['many unclosed {{', '{{ '.repeat(33_000)],
  ['{{ + tabs and newlines', `{{${'\t\n '.repeat(33_000)}}`],
  ['a single } after spaces', `{{${' '.repeat(50_000)}}${' '.repeat(50_000)}`],
  ['brace soup', '{{{}'.repeat(25_000)],
];

describe('placeholder scanning is linear', () => {
  it.each(HOSTILE)('%s: a 100k-character body completes, with steps ≤ 2 × length', (_name, body) => {
    const stats = { steps: 0 };
    scanPlaceholders(body, stats);
    expect(stats.steps).toBeLessThanOrEqual(2 * body.length + 2);
    // the full render and the save-time validation use the same scanner and finish too
    expect(renderPrompt(body, values)).toBe(body);
    expect(() => assertKnownPlaceholders(body)).not.toThrow();
  });

  it('finds placeholders with inner whitespace and leaves broken ones as text', () => {
    expect(scanPlaceholders('a {{ name }} b {{symbol}}{{ x').map((m) => m.key)).toEqual(['name', 'symbol']);
    expect(renderPrompt('{{ name }}/{{symbol}}/{{ }}/{{a{b}}/{{{market}}}', values)).toBe(
      'Apple/AAPL/{{ }}/{{a{b}}/{US}',
    );
  });
});

describe('prototype keys render nothing', () => {
  const PROTO_KEYS = [
    'constructor',
    '__proto__',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    '__defineGetter__',
    'propertyIsEnumerable',
    'toLocaleString',
  ];
  it.each(PROTO_KEYS)('{{%s}} stays literal text (own-property lookup only)', (key) => {
    const body = `x {{${key}}} y {{ ${key} }}`;
    const out = renderPrompt(body, values);
    expect(out).toBe(body);
    expect(out).not.toMatch(/function|native code|\[object/);
  });

  it.each(PROTO_KEYS)('a template using {{%s}} is refused at save time', (key) => {
    const err = (() => {
      try {
        assertKnownPlaceholders(`{{facts}} {{${key}}}`);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toContain(`unknown placeholder(s): {{${key}}}`);
  });
});
