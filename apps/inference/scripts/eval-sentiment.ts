// `npx tsx scripts/eval-sentiment.ts [--out DIR]`: builds the default sentiment model (if out of date)
// and prints accuracy / macro-F1 of the model and of the lexicon baseline on both evaluation sets and
// the hard cases. The tests assert the same figures; this prints the misses too.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDefaultModels, DATA_DIR } from '../src/models/build.js';
import {
  afinnLabel,
  classificationMetrics,
  createZhLexiconBaseline,
} from '../src/models/lexicon-baseline.js';
import { loadSentimentModel } from '../src/models/sentiment.js';
import { type LabelledText, readJsonl, type ZhLexicon } from '../src/models/sentiment-train.js';

const { values } = parseArgs({
  options: { out: { type: 'string' }, misses: { type: 'boolean', default: false } },
});
const outDir = values.out ?? join(tmpdir(), 'investiq-eval-models');
const t0 = Date.now();
const { sentimentDir } = await buildDefaultModels({
  outDir,
  onProgress: (m) => console.log(`[models] ${m}`),
});
console.log(`build ${Date.now() - t0} ms`);
const model = await loadSentimentModel(sentimentDir, { provider: 'cpu' });
const zh = createZhLexiconBaseline(
  JSON.parse(readFileSync(join(DATA_DIR, 'zh-financial-lexicon.json'), 'utf8')) as ZhLexicon,
);
for (const file of ['sentiment-eval.jsonl', 'sentiment-eval-wire.jsonl', 'sentiment-hard-cases.jsonl']) {
  const rows = readJsonl<LabelledText & { category?: string }>(join(DATA_DIR, file));
  const pred = await model.predict(
    rows.map((r) => r.text),
    'auto',
  );
  for (const lang of ['en', 'zh'] as const) {
    const idx = rows.flatMap((r, i) => (r.lang === lang ? [i] : []));
    const gold = idx.map((i) => (rows[i] as LabelledText).label);
    const m = classificationMetrics(
      gold,
      idx.map((i) => pred[i]?.label ?? 'neutral'),
    );
    const b = classificationMetrics(
      gold,
      idx.map((i) => (lang === 'en' ? afinnLabel : zh)((rows[i] as LabelledText).text)),
    );
    const f = (x: number) => x.toFixed(3);
    console.log(
      `${file} ${lang} n=${m.n} model acc ${f(m.accuracy)} F1 ${f(m.macroF1)} [neg ${f(m.perClassF1.negative)} neu ${f(m.perClassF1.neutral)} pos ${f(m.perClassF1.positive)}] | baseline acc ${f(b.accuracy)} F1 ${f(b.macroF1)} [neg ${f(b.perClassF1.negative)} neu ${f(b.perClassF1.neutral)} pos ${f(b.perClassF1.positive)}]`,
    );
    if (values.misses)
      for (const i of idx) {
        const r = rows[i] as LabelledText;
        if (pred[i]?.label !== r.label) console.log(`   miss: ${r.label} -> ${pred[i]?.label}: ${r.text}`);
      }
  }
}
await model.close();
