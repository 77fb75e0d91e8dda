// Opt-in build of the FinBERT-shaped random-weight encoder (`npm run models:build:bench`): ≈ 350 MB, never
// built by the default `models:build` and never loaded unless SENTIMENT_MODEL_DIR points at it.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSentimentConfig } from './config.js';
import {
  buildEncoderOnnx,
  type EncoderShape,
  encoderVocab,
  FINBERT_SHAPE,
  FINBERT_SHAPED_NOTE,
  frequentWords,
  parameterCount,
} from './encoder-graph.js';
import { bertTokenizerJson } from './tokenizer.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The headline corpus whose frequent words fill the vocabulary (realistic token counts per headline). */
const WORDS_SOURCE = join(here, '../../data/sentiment-train.jsonl');
export const FINBERT_SHAPED_DIR = join(here, '../../models/finbert-shaped');

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** config.json of an encoder directory (FinBERT's label order; its inputs and output names). */
export function encoderConfig(shape: EncoderShape, name: string, note: string): TSentimentConfig {
  return {
    name,
    version: `random-${shape.seed}`,
    task: 'sentiment',
    // FinBERT's output order
    labels: ['positive', 'negative', 'neutral'],
    maxLength: shape.maxLength,
    inputs: { ids: 'input_ids', mask: 'attention_mask', tokenTypeIds: 'token_type_ids' },
    output: 'logits',
    tokenizer: 'tokenizer.json',
    lowercase: true,
    // pad a batch to its longest text (≤ maxLength): headlines are short, and fixed 64 would waste compute
    padding: 'longest',
    note,
  };
}

/**
 * Writes model.onnx, config.json, tokenizer.json and build-info.json for an encoder of `shape` into `dir`
 * (atomically: a temp dir renamed into place). Skipped when build-info.json records the same inputs.
 */
export async function buildEncoderModelDir(
  dir: string,
  opts: { shape?: EncoderShape; name?: string; force?: boolean; onProgress?: (m: string) => void } = {},
): Promise<{ built: boolean; dir: string; params: number }> {
  const shape = opts.shape ?? FINBERT_SHAPE;
  const name = opts.name ?? 'finbert-shaped-random';
  const params = parameterCount(shape);
  const source = (
    await Promise.all(
      ['encoder-graph.ts', 'finbert-shaped.ts'].map((f) => readFile(join(here, f), 'utf8').catch(() => '')),
    )
  ).join('\n');
  const corpus = await readFile(WORDS_SOURCE, 'utf8');
  const inputsHash = createHash('sha256')
    .update(JSON.stringify({ shape, name, note: FINBERT_SHAPED_NOTE }))
    .update(source)
    .update(corpus)
    .digest('hex');
  if (!opts.force) {
    const info = await readFile(join(dir, 'build-info.json'), 'utf8').then(
      (t) => JSON.parse(t) as { inputsHash?: string },
      () => null,
    );
    if (info?.inputsHash === inputsHash) return { built: false, dir, params };
  }
  opts.onProgress?.(
    `finbert-shaped: ${shape.layers} layers, hidden ${shape.hidden}, ${shape.heads} heads, ffn ${shape.ffn}, ` +
      `vocab ${shape.vocab}, sequence ${shape.maxLength}: ${(params / 1e6).toFixed(1)}M params (random weights)`,
  );
  const bytes = buildEncoderOnnx(shape, { docString: FINBERT_SHAPED_NOTE });
  const texts = corpus
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const vocab = encoderVocab(shape.vocab, frequentWords(texts));
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'model.onnx'), bytes);
  await writeFile(join(tmp, 'config.json'), json(encoderConfig(shape, name, FINBERT_SHAPED_NOTE)));
  await writeFile(join(tmp, 'tokenizer.json'), JSON.stringify(bertTokenizerJson(vocab, { lowercase: true })));
  await writeFile(
    join(tmp, 'build-info.json'),
    json({ inputsHash, note: FINBERT_SHAPED_NOTE, randomWeights: true, shape, parameters: params }),
  );
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  opts.onProgress?.(`finbert-shaped: wrote ${dir} (${(bytes.length / 2 ** 20).toFixed(0)} MiB)`);
  return { built: true, dir, params };
}
