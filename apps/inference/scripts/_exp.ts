import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from '../src/models/build.js';
import { classificationMetrics } from '../src/models/lexicon-baseline.js';
import { loadSentimentModel } from '../src/models/sentiment.js';
import { type LabelledText, readJsonl, sentimentOnnx, trainSentiment } from '../src/models/sentiment-train.js';
import { bertTokenizerJson } from '../src/models/tokenizer.js';
const train = readJsonl<LabelledText>(join(DATA_DIR, 'sentiment-train.jsonl'));
const zh = JSON.parse(readFileSync(join(DATA_DIR, 'zh-financial-lexicon.json'), 'utf8'));
const opts = JSON.parse(process.env.OPTS ?? '{}');
const t0 = Date.now();
const m = trainSentiment(train, zh, opts);
const dir = `/tmp/senti/exp-${process.pid}`;
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'model.onnx'), sentimentOnnx(m, { version: 'x' }));
writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(bertTokenizerJson(m.vocab, { lowercase: true })));
writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'x', version: 'x', task: 'sentiment', labels: ['negative', 'neutral', 'positive'], maxLength: 128, inputs: { ids: 'input_ids', mask: 'attention_mask' }, output: 'logits', tokenizer: 'tokenizer.json', lowercase: true, padding: 'max_length' }));
const model = await loadSentimentModel(dir, { provider: 'cpu' });
let line = `${JSON.stringify(opts)} train ${Date.now() - t0}ms acc ${m.trainAccuracy.toFixed(3)} |`;
for (const file of ['sentiment-eval.jsonl', 'sentiment-eval-wire.jsonl', 'sentiment-hard-cases.jsonl']) {
  const rows = readJsonl<LabelledText>(join(DATA_DIR, file));
  const pred = await model.predict(rows.map((r) => r.text), 'auto');
  for (const lang of ['en', 'zh'] as const) {
    const idx = rows.flatMap((r, i) => (r.lang === lang ? [i] : []));
    const mm = classificationMetrics(idx.map((i) => rows[i]!.label), idx.map((i) => pred[i]!.label));
    line += ` ${file.replace('sentiment-', '').replace('.jsonl', '')}.${lang} ${mm.macroF1.toFixed(3)}`;
  }
}
console.log(line);
await model.close();
