import { Tensor } from 'onnxruntime-node';
import { readModelConfig, SENTIMENT_LABELS, type SentimentLabel, ZSentimentConfig } from './config.js';
import { type ExecutionProviderName, type ModelInfo, openModel, type SessionTuning } from './session.js';
import { loadTokenizer } from './tokenizer.js';

export interface SentimentResult {
  label: SentimentLabel;
  scores: { negative: number; neutral: number; positive: number };
}

export interface SentimentModel {
  info: ModelInfo;
  maxLength: number;
  /** One session.run for the whole array; a text scores the same alone or in a batch. */
  predict(texts: string[], lang: 'zh' | 'en' | 'auto'): Promise<SentimentResult[]>;
  close(): Promise<void>;
}

function softmax(row: Float32Array | number[]): number[] {
  const max = Math.max(...row);
  const exps = Array.from(row, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * Loads a sentiment model directory (model.onnx + config.json + tokenizer; see docs/models.md).
 * `lang` is accepted for the API's sake: the tokenizer handles both scripts, so it does not change
 * the computation.
 */
export async function loadSentimentModel(
  dir: string,
  opts: { provider: ExecutionProviderName; dlaCore?: number; session?: Partial<SessionTuning> },
): Promise<SentimentModel> {
  const config = await readModelConfig(dir, ZSentimentConfig);
  const tokenizer = await loadTokenizer(dir, config.tokenizer, { lowercase: config.lowercase });
  const { session, info } = await openModel(dir, config, opts, {
    inputs: [config.inputs.ids, config.inputs.mask, config.inputs.tokenTypeIds],
    outputs: [config.output],
  });

  return {
    info,
    maxLength: config.maxLength,
    async predict(texts) {
      if (texts.length === 0) return [];
      const encoded = texts.map((t) => tokenizer.encode(t, config.maxLength));
      const width =
        config.padding === 'max_length' ? config.maxLength : Math.max(...encoded.map((e) => e.ids.length));
      const n = texts.length;
      const ids = new BigInt64Array(n * width).fill(BigInt(tokenizer.padId));
      const mask = new BigInt64Array(n * width);
      const typeIds = new BigInt64Array(n * width);
      encoded.forEach((e, row) => {
        e.ids.forEach((id, j) => {
          ids[row * width + j] = BigInt(id);
          mask[row * width + j] = 1n;
          typeIds[row * width + j] = BigInt(e.typeIds[j] ?? 0);
        });
      });
      const feeds: Record<string, Tensor> = { [config.inputs.ids]: new Tensor('int64', ids, [n, width]) };
      if (config.inputs.mask) feeds[config.inputs.mask] = new Tensor('int64', mask, [n, width]);
      if (config.inputs.tokenTypeIds)
        feeds[config.inputs.tokenTypeIds] = new Tensor('int64', typeIds, [n, width]);
      const out = await session.run(feeds, [config.output]);
      const logits = out[config.output];
      if (logits?.dims.length !== 2 || logits.dims[0] !== n || logits.dims[1] !== config.labels.length) {
        throw new Error(
          `output '${config.output}' has shape [${logits?.dims.join(', ')}], expected [${n}, 3]`,
        );
      }
      const data = logits.data as Float32Array;
      const results: SentimentResult[] = [];
      for (let row = 0; row < n; row++) {
        const probs = softmax(data.subarray(row * 3, row * 3 + 3));
        const scores = { negative: 0, neutral: 0, positive: 0 };
        config.labels.forEach((label, k) => {
          scores[label] = probs[k] as number;
        });
        let label: SentimentLabel = 'neutral';
        for (const l of SENTIMENT_LABELS) if (scores[l] > scores[label]) label = l;
        results.push({ label, scores });
      }
      return results;
    },
    async close() {
      await session.release();
    },
  };
}
