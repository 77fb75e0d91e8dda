// Builds the default sentiment model: a bag-of-tokens + hashed-bigram softmax classifier over a
// BERT-style WordPiece vocabulary, trained full-batch (deterministic) and written as an ONNX graph.
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { afinn165FinancialMarketNews } from 'afinn-165-financialmarketnews';
import { SENTIMENT_LABELS, type SentimentLabel } from './config.js';
import { encodeModel, floatTensor, int64Tensor, node, valueInfo } from './onnx-graph.js';
import { bertTokenizerJson, tokenizerFromJson } from './tokenizer.js';

export const BIGRAM_PRIME = 1_000_003;
export const BIGRAM_BUCKETS = 1 << 17;
export const DEFAULT_SENTIMENT_MAX_LENGTH = 128;

export interface LabelledText {
  text: string;
  label: SentimentLabel;
  lang: 'zh' | 'en';
}

export interface ZhLexicon {
  scores: Record<string, number>;
  negators: string[];
  intensifiers: Record<string, number>;
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const SUFFIXES = [
  '##s',
  '##es',
  '##ed',
  '##d',
  '##ing',
  '##ly',
  '##er',
  '##ers',
  '##est',
  '##ion',
  '##ions',
  '##ment',
];

/** Vocabulary: specials, characters and digits, every word of the training set and both lexicons. */
export function buildVocab(train: LabelledText[], zh: ZhLexicon): string[] {
  const probe = new Tokenizer(bertTokenizerJson(SPECIALS, { lowercase: true }), {});
  const words = new Set<string>();
  const add = (text: string) => {
    const normalized = probe.normalizer ? probe.normalizer.normalize(text) : text;
    const pieces = probe.pre_tokenizer ? probe.pre_tokenizer.pre_tokenize(normalized) : [normalized];
    for (const p of pieces) if (p.length > 0 && p.length <= 40) words.add(p);
  };
  for (const ex of train) add(ex.text);
  for (const w of Object.keys(afinn165FinancialMarketNews)) add(w);
  for (const w of [...Object.keys(zh.scores), ...zh.negators, ...Object.keys(zh.intensifiers)]) add(w);
  for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789') {
    words.add(c);
    words.add(`##${c}`);
  }
  for (const s of SUFFIXES) words.add(s);
  for (const s of SPECIALS) words.delete(s);
  return [...SPECIALS, ...[...words].sort()];
}

interface Features {
  uni: Int32Array;
  bi: Int32Array;
}

export function bigramBucket(a: number, b: number): number {
  return (a * BIGRAM_PRIME + b) % BIGRAM_BUCKETS;
}

function features(ids: number[]): Features {
  const bi = new Int32Array(Math.max(0, ids.length - 1));
  for (let i = 0; i + 1 < ids.length; i++) bi[i] = bigramBucket(ids[i] as number, ids[i + 1] as number);
  return { uni: Int32Array.from(ids), bi };
}

export interface TrainedSentiment {
  vocab: string[];
  unigram: Float32Array;
  bigram: Float32Array;
  bias: Float32Array;
  trainAccuracy: number;
}

/**
 * Multinomial logistic regression, full-batch Adagrad with L2, fixed iteration count: no randomness,
 * so the same inputs give the same weights (and the same model.onnx bytes).
 */
export function trainSentiment(
  train: LabelledText[],
  zh: ZhLexicon,
  opts: { iterations?: number; l2?: number; lexiconWeight?: number } = {},
): TrainedSentiment {
  const iterations = opts.iterations ?? 150;
  const l2 = opts.l2 ?? 1e-4;
  const lexiconWeight = opts.lexiconWeight ?? 0.25;
  const vocab = buildVocab(train, zh);
  const tok = tokenizerFromJson(bertTokenizerJson(vocab, { lowercase: true }));
  const K = 3;
  const examples: { f: Features; y: number; w: number; prior: boolean }[] = [];
  const labelIndex = (l: SentimentLabel) => SENTIMENT_LABELS.indexOf(l);
  for (const ex of train) {
    examples.push({
      f: features(tok.encode(ex.text, DEFAULT_SENTIMENT_MAX_LENGTH).ids),
      y: labelIndex(ex.label),
      w: 1,
      prior: true,
    });
  }
  // Lexicon entries as weak single-word examples: they give weights to words the training set lacks.
  // They carry only the word's own tokens (no [CLS]/[SEP], no bias update): a word list has no
  // neutral entries, so letting it move the class prior would push every unknown text off neutral.
  const lexicon: [string, number][] = [
    ...Object.entries(afinn165FinancialMarketNews),
    ...Object.entries(zh.scores),
  ];
  for (const [word, score] of lexicon) {
    if (score === 0) continue;
    const y = score > 0 ? 2 : 0;
    examples.push({
      f: features(tok.encode(word, DEFAULT_SENTIMENT_MAX_LENGTH).ids.slice(1, -1)),
      y,
      w: lexiconWeight * Math.min(1, Math.abs(score) / 2),
      prior: false,
    });
  }
  const V = vocab.length;
  const U = new Float64Array(V * K);
  const B = new Float64Array(BIGRAM_BUCKETS * K);
  const bias = new Float64Array(K);
  const gU = new Float64Array(V * K);
  const gB = new Float64Array(BIGRAM_BUCKETS * K);
  const gBias = new Float64Array(K);
  const hU = new Float64Array(V * K);
  const hB = new Float64Array(BIGRAM_BUCKETS * K);
  const hBias = new Float64Array(K);
  const lr = 0.5;
  const totalW = examples.reduce((s, e) => s + e.w, 0);
  const logits = new Float64Array(K);
  const scoreOf = (f: Features) => {
    for (let k = 0; k < K; k++) logits[k] = bias[k] as number;
    for (const id of f.uni)
      for (let k = 0; k < K; k++) logits[k] = (logits[k] as number) + (U[id * K + k] as number);
    for (const h of f.bi)
      for (let k = 0; k < K; k++) logits[k] = (logits[k] as number) + (B[h * K + k] as number);
  };
  const touchedU = new Set<number>();
  const touchedB = new Set<number>();
  for (const e of examples) {
    for (const id of e.f.uni) touchedU.add(id);
    for (const h of e.f.bi) touchedB.add(h);
  }
  for (let it = 0; it < iterations; it++) {
    gU.fill(0);
    gB.fill(0);
    gBias.fill(0);
    for (const e of examples) {
      scoreOf(e.f);
      const max = Math.max(...logits);
      let z = 0;
      const p = [0, 0, 0];
      for (let k = 0; k < K; k++) {
        p[k] = Math.exp((logits[k] as number) - max);
        z += p[k] as number;
      }
      for (let k = 0; k < K; k++) {
        const g = (e.w * ((p[k] as number) / z - (k === e.y ? 1 : 0))) / totalW;
        if (e.prior) gBias[k] = (gBias[k] as number) + g;
        for (const id of e.f.uni) gU[id * K + k] = (gU[id * K + k] as number) + g;
        for (const h of e.f.bi) gB[h * K + k] = (gB[h * K + k] as number) + g;
      }
    }
    const step = (w: Float64Array, g: Float64Array, h: Float64Array, i: number, reg: boolean) => {
      const gi = (g[i] as number) + (reg ? l2 * (w[i] as number) : 0);
      h[i] = (h[i] as number) + gi * gi;
      w[i] = (w[i] as number) - (lr * gi) / (Math.sqrt(h[i] as number) + 1e-8);
    };
    for (let k = 0; k < K; k++) step(bias, gBias, hBias, k, false);
    for (const id of touchedU) for (let k = 0; k < K; k++) step(U, gU, hU, id * K + k, true);
    for (const h of touchedB) for (let k = 0; k < K; k++) step(B, gB, hB, h * K + k, true);
  }
  let correct = 0;
  let n = 0;
  for (const e of examples.slice(0, train.length)) {
    scoreOf(e.f);
    const pred = logits.indexOf(Math.max(...logits));
    if (pred === e.y) correct++;
    n++;
  }
  return {
    vocab,
    unigram: Float32Array.from(U),
    bigram: Float32Array.from(B),
    bias: Float32Array.from(bias),
    trainAccuracy: n === 0 ? 0 : correct / n,
  };
}

/** The ONNX graph: logits = Σ_t mask·U[ids_t] + Σ_t mask·B[hash(ids_t, ids_t+1)] + bias. */
export function sentimentOnnx(model: TrainedSentiment, meta: { version: string }): Uint8Array {
  const K = 3;
  const graph = {
    name: 'investiq-sentiment-bow',
    input: [
      valueInfo('input_ids', 'int64', ['batch', 'sequence']),
      valueInfo('attention_mask', 'int64', ['batch', 'sequence']),
    ],
    output: [valueInfo('logits', 'float', ['batch', K])],
    initializer: [
      floatTensor('unigram_table', [model.vocab.length, K], model.unigram),
      floatTensor('bigram_table', [BIGRAM_BUCKETS, K], model.bigram),
      floatTensor('bias', [K], model.bias),
      int64Tensor('axis1', [1], [1]),
      int64Tensor('zero', [1], [0]),
      int64Tensor('one', [1], [1]),
      int64Tensor('minus_one', [1], [-1]),
      int64Tensor('end', [1], [2 ** 31 - 1]),
      int64Tensor('prime', [], [BIGRAM_PRIME]),
      int64Tensor('buckets', [], [BIGRAM_BUCKETS]),
    ],
    // Masked sums as batched MatMuls ([B,1,T]·[B,T,3]): each row is one GEMM of the same size
    // whatever the batch, so with fixed-width padding a text's logits do not depend on its batch.
    node: [
      node('Cast', ['attention_mask'], ['mask_f'], { to: 1 }),
      node('Unsqueeze', ['mask_f', 'axis1'], ['mask_row']),
      node('Gather', ['unigram_table', 'input_ids'], ['uni'], { axis: 0 }),
      node('MatMul', ['mask_row', 'uni'], ['uni_sum']),
      node('Slice', ['input_ids', 'zero', 'minus_one', 'axis1'], ['ids_left']),
      node('Slice', ['input_ids', 'one', 'end', 'axis1'], ['ids_right']),
      node('Mul', ['ids_left', 'prime'], ['ids_left_scaled']),
      node('Add', ['ids_left_scaled', 'ids_right'], ['pair_key']),
      node('Mod', ['pair_key', 'buckets'], ['pair_bucket'], { fmod: 0 }),
      node('Gather', ['bigram_table', 'pair_bucket'], ['bi'], { axis: 0 }),
      node('Slice', ['mask_f', 'zero', 'minus_one', 'axis1'], ['mask_left']),
      node('Slice', ['mask_f', 'one', 'end', 'axis1'], ['mask_right']),
      node('Mul', ['mask_left', 'mask_right'], ['pair_mask']),
      node('Unsqueeze', ['pair_mask', 'axis1'], ['pair_mask_row']),
      node('MatMul', ['pair_mask_row', 'bi'], ['bi_sum']),
      node('Add', ['uni_sum', 'bi_sum'], ['token_sum']),
      node('Squeeze', ['token_sum', 'axis1'], ['token_sum_2d']),
      node('Add', ['token_sum_2d', 'bias'], ['logits']),
    ],
  };
  return encodeModel(graph, {
    producerVersion: meta.version,
    docString:
      'InvestIQ default sentiment model: token + hashed-bigram linear classifier (labels negative, neutral, positive).',
  });
}
