// Hard cases for the default sentiment model (data/sentiment-hard-cases.jsonl, written by hand, never
// used in training; sentiment-eval.test.ts checks they have no near-duplicate in the training data).
// The categories are where a bag-of-words model read an independent set wrong (issue 13):
// - quantity-down: a quantity that is bad news when it grows (loan losses, debt) going down is positive;
// - strong-wording: profit doubling and beating estimates is positive, shares slumping as bad loans rise
//   is negative, however many "up"/"down" words the headline carries;
// - procedural: scheduled or procedural notices (results dates, index-constituent lists, trading
//   resuming after a scheduled halt, "unchanged, as expected") are neutral;
// - audit-opinion: a disclaimer of opinion (无法表示意见), a qualified (保留意见) or adverse (否定意见)
//   opinion is negative, a standard unqualified opinion (标准无保留意见) is neutral.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR } from './build.js';
import { loadSentimentModel, type SentimentModel } from './sentiment.js';
import { type LabelledText, readJsonl } from './sentiment-train.js';
import { builtDefaultModels } from './test-models.js';

type HardCase = LabelledText & {
  category: 'quantity-down' | 'strong-wording' | 'procedural' | 'audit-opinion';
};
const cases = readJsonl<HardCase>(join(DATA_DIR, 'sentiment-hard-cases.jsonl'));

describe('sentiment hard cases', () => {
  let model: SentimentModel;
  beforeAll(async () => {
    model = await loadSentimentModel((await builtDefaultModels()).sentimentDir, { provider: 'cpu' });
  });
  afterAll(async () => {
    await model.close();
  });

  it('covers every category in both languages, with both directions where the category has two', () => {
    for (const category of ['quantity-down', 'strong-wording', 'procedural', 'audit-opinion'] as const) {
      for (const lang of ['en', 'zh'] as const) {
        const rows = cases.filter((c) => c.category === category && c.lang === lang);
        expect(rows.length, `${category}/${lang}`).toBeGreaterThanOrEqual(6);
        if (category !== 'procedural')
          expect(new Set(rows.map((r) => r.label)).size).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('gets each category right in both languages (at most one miss per category and language)', async () => {
    const results = await model.predict(
      cases.map((c) => c.text),
      'auto',
    );
    const misses = cases.flatMap((c, i) =>
      results[i]?.label === c.label
        ? []
        : [`${c.category}/${c.lang}: ${c.label} -> ${results[i]?.label}: ${c.text}`],
    );
    console.log(
      `sentiment hard cases: ${cases.length - misses.length}/${cases.length} right${misses.map((m) => `\n  miss ${m}`).join('')}`,
    );
    for (const category of ['quantity-down', 'strong-wording', 'procedural', 'audit-opinion'] as const) {
      for (const lang of ['en', 'zh'] as const) {
        const missed = misses.filter((m) => m.startsWith(`${category}/${lang}:`));
        expect(missed.length, missed.join('\n')).toBeLessThanOrEqual(1);
      }
    }
  });
});
