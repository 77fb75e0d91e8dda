// Accuracy and macro-F1 of the built default sentiment model on the hand-written evaluation set
// (data/sentiment-eval.jsonl, never used in training), through the real onnxruntime session, against
// the lexicon baselines of lexicon-baseline.ts. Figures are reported in BENCHMARKS.md, "Default ONNX models".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR } from './build.js';
import { afinnLabel, classificationMetrics, createZhLexiconBaseline } from './lexicon-baseline.js';
import { loadSentimentModel, type SentimentModel } from './sentiment.js';
import { type LabelledText, readJsonl, type ZhLexicon } from './sentiment-train.js';
import { builtDefaultModels } from './test-models.js';

const evalSet = readJsonl<LabelledText>(join(DATA_DIR, 'sentiment-eval.jsonl'));
const trainSet = readJsonl<LabelledText>(join(DATA_DIR, 'sentiment-train.jsonl'));
const zhLexicon = JSON.parse(readFileSync(join(DATA_DIR, 'zh-financial-lexicon.json'), 'utf8')) as ZhLexicon;

describe('sentiment evaluation set', () => {
  let model: SentimentModel;
  beforeAll(async () => {
    model = await loadSentimentModel((await builtDefaultModels()).sentimentDir, { provider: 'cpu' });
  });
  afterAll(async () => {
    await model.close();
  });

  it('is large enough, balanced-ish, and disjoint from the training set', () => {
    for (const lang of ['zh', 'en'] as const) {
      const rows = evalSet.filter((r) => r.lang === lang);
      expect(rows.length).toBeGreaterThanOrEqual(100);
      for (const label of ['negative', 'neutral', 'positive'] as const) {
        expect(rows.filter((r) => r.label === label).length).toBeGreaterThanOrEqual(30);
      }
    }
    const train = new Set(trainSet.map((r) => r.text));
    expect(evalSet.filter((r) => train.has(r.text))).toEqual([]);
  });

  it('the model beats the lexicon baseline and stays above the macro-F1 floor in each language', async () => {
    const zhBaseline = createZhLexiconBaseline(zhLexicon);
    const predictions = await model.predict(
      evalSet.map((r) => r.text),
      'auto',
    );
    const report: Record<string, unknown> = {};
    for (const lang of ['en', 'zh'] as const) {
      const idx = evalSet.flatMap((r, i) => (r.lang === lang ? [i] : []));
      const gold = idx.map((i) => (evalSet[i] as LabelledText).label);
      const modelMetrics = classificationMetrics(
        gold,
        idx.map((i) => predictions[i]?.label ?? 'neutral'),
      );
      const baseline = classificationMetrics(
        gold,
        idx.map((i) => {
          const text = (evalSet[i] as LabelledText).text;
          return lang === 'en' ? afinnLabel(text) : zhBaseline(text);
        }),
      );
      report[lang] = { model: modelMetrics, baseline };
      // Floors a regression must not cross (measured: see BENCHMARKS.md, "Default ONNX models").
      expect(modelMetrics.macroF1).toBeGreaterThanOrEqual(lang === 'en' ? 0.85 : 0.9);
      expect(modelMetrics.accuracy).toBeGreaterThanOrEqual(lang === 'en' ? 0.85 : 0.9);
      expect(modelMetrics.macroF1).toBeGreaterThan(baseline.macroF1);
    }
    console.log(`sentiment eval: ${JSON.stringify(report, null, 1)}`);
  });
});
