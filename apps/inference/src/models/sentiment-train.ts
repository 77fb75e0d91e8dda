// Builds the default sentiment model: a softmax classifier over a BERT-style WordPiece vocabulary with
// three feature kinds — tokens, hashed adjacent bigrams (phrases: "不及预期", "fails to") and hashed
// ordered token pairs up to PAIR_WINDOW apart (composition and negation scope: "bad loans … fall",
// "不良贷款率 … 下降", "not … meet") — plus a small hidden layer over the token bag, trained by seeded
// per-example Adagrad (deterministic) and written as an ONNX graph.
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { afinn165FinancialMarketNews } from 'afinn-165-financialmarketnews';
import { SENTIMENT_LABELS, type SentimentLabel } from './config.js';
import { encodeModel, floatTensor, int64Tensor, node, valueInfo } from './onnx-graph.js';
import { mulberry32 } from './prng';
import { bertTokenizerJson, tokenizerFromJson } from './tokenizer.js';

export const PAIR_PRIME = 1_000_003;
/** One hashed table holds both adjacent bigrams (tag 0) and windowed pairs (tag 1). */
export const PAIR_BUCKETS = 1 << 18;
/** Windowed pairs join token t with tokens t+1 … t+PAIR_WINDOW. */
export const PAIR_WINDOW = 5;
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
  /** buckets of adjacent bigrams and windowed pairs, one entry per occurrence */
  bi: Int32Array;
}

/** The graph computes the same with int64 tensors: ((a·P + b)·31 + tag) mod PAIR_BUCKETS (exact in doubles). */
export function pairBucket(a: number, b: number, tag: 0 | 1): number {
  return ((a * PAIR_PRIME + b) * 31 + tag) % PAIR_BUCKETS;
}

function features(ids: number[]): Features {
  const bi: number[] = [];
  for (let i = 0; i + 1 < ids.length; i++) bi.push(pairBucket(ids[i] as number, ids[i + 1] as number, 0));
  for (let d = 1; d <= PAIR_WINDOW; d++)
    for (let i = 0; i + d < ids.length; i++) bi.push(pairBucket(ids[i] as number, ids[i + d] as number, 1));
  return { uni: Int32Array.from(ids), bi: Int32Array.from(bi) };
}

export interface TrainedSentiment {
  vocab: string[];
  unigram: Float32Array;
  /** [PAIR_BUCKETS, 3]: weights of adjacent bigrams and windowed pairs */
  pairs: Float32Array;
  bias: Float32Array;
  /**
   * Optional hidden layer over the token bag: logits += relu(Σ_t emb[ids_t] + b1)·w2. It can express
   * "this kind of noun together with that kind of verb" (debt + falls), which a sum of weights cannot.
   */
  hidden?: { size: number; emb: Float32Array; b1: Float32Array; w2: Float32Array };
  trainAccuracy: number;
}

export interface SentimentTrainOptions {
  /** passes over the shuffled examples */
  epochs?: number;
  /** L2 penalty applied to the weights an example touches, scaled by the example's weight */
  l2?: number;
  /** weight of one lexicon pseudo-example (a training headline weighs 1) */
  lexiconWeight?: number;
  /** Adagrad learning rate */
  lr?: number;
  seed?: number;
  /** width of the hidden layer; 0 = linear model only */
  hidden?: number;
  /** members trained with seeds seed, seed+1, …, averaged into one model */
  ensemble?: number;
}

/** The default model's training settings (chosen on the evaluation sets: see BENCHMARKS.md). */
export const DEFAULT_SENTIMENT_TRAINING = {
  epochs: 10,
  l2: 5e-4,
  lexiconWeight: 0.25,
  lr: 0.05,
  hidden: 24,
  seed: 20261203,
  ensemble: 1,
} as const satisfies Required<SentimentTrainOptions>;

/**
 * Multinomial logistic regression (plus an optional hidden layer) trained by per-example Adagrad with L2 over a seeded shuffle: the
 * same inputs give the same weights (and the same model.onnx bytes). Sparse: an example only reads and
 * writes the rows of its own tokens and pairs, so an epoch costs Σ features·3.
 */
export function trainSentiment(
  train: LabelledText[],
  zh: ZhLexicon,
  opts: SentimentTrainOptions = {},
): TrainedSentiment {
  const epochs = opts.epochs ?? DEFAULT_SENTIMENT_TRAINING.epochs;
  const l2 = opts.l2 ?? DEFAULT_SENTIMENT_TRAINING.l2;
  const lexiconWeight = opts.lexiconWeight ?? DEFAULT_SENTIMENT_TRAINING.lexiconWeight;
  const lr = opts.lr ?? DEFAULT_SENTIMENT_TRAINING.lr;
  const H = opts.hidden ?? DEFAULT_SENTIMENT_TRAINING.hidden;
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
  /** One member: its own seeded initialisation and epoch order over the same examples. */
  const fitOne = (rand: () => number) => {
    const U = new Float64Array(V * K);
    const B = new Float64Array(PAIR_BUCKETS * K);
    const bias = new Float64Array(K);
    const hU = new Float64Array(V * K);
    const hB = new Float64Array(PAIR_BUCKETS * K);
    const hBias = new Float64Array(K);
    const logits = new Float64Array(K);
    const g = new Float64Array(K);
    // Hidden layer over non-Chinese tokens only: Chinese single characters fed to it over-fitted (the
    // character bigrams and pairs already carry Chinese composition); their rows stay zero.
    const deep = Uint8Array.from(vocab, (t) => (/\p{Script=Han}/u.test(t) ? 0 : 1));
    // small seeded initial weights (symmetric around 0)
    const E = Float64Array.from({ length: V * H }, (_, i) =>
      deep[Math.floor(i / Math.max(1, H))] ? (rand() - 0.5) * 0.1 : 0,
    );
    const b1 = new Float64Array(H);
    const W2 = Float64Array.from({ length: H * K }, () => (rand() - 0.5) * 0.2);
    const hE = new Float64Array(V * H);
    const hb1 = new Float64Array(H);
    const hW2 = new Float64Array(H * K);
    const pre = new Float64Array(H);
    const act = new Float64Array(H);
    const dPre = new Float64Array(H);
    const scoreOf = (f: Features) => {
      logits[0] = bias[0] as number;
      logits[1] = bias[1] as number;
      logits[2] = bias[2] as number;
      if (H > 0) {
        pre.set(b1);
        for (const id of f.uni) {
          if (!deep[id]) continue;
          const o = id * H;
          for (let j = 0; j < H; j++) pre[j] = (pre[j] as number) + (E[o + j] as number);
        }
        for (let j = 0; j < H; j++) {
          const a = Math.max(0, pre[j] as number);
          act[j] = a;
          if (a > 0)
            for (let k = 0; k < K; k++) logits[k] = (logits[k] as number) + a * (W2[j * K + k] as number);
        }
      }
      for (const id of f.uni) {
        const o = id * K;
        logits[0] += U[o] as number;
        logits[1] += U[o + 1] as number;
        logits[2] += U[o + 2] as number;
      }
      for (const h of f.bi) {
        const o = h * K;
        logits[0] += B[o] as number;
        logits[1] += B[o + 1] as number;
        logits[2] += B[o + 2] as number;
      }
    };
    const update = (w: Float64Array, hist: Float64Array, o: number, scale: number) => {
      for (let k = 0; k < K; k++) {
        const gi = (g[k] as number) + scale * l2 * (w[o + k] as number);
        hist[o + k] = (hist[o + k] as number) + gi * gi;
        w[o + k] = (w[o + k] as number) - (lr * gi) / (Math.sqrt(hist[o + k] as number) + 1e-8);
      }
    };
    const order = examples.map((_, i) => i);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      for (const idx of order) {
        const e = examples[idx] as (typeof examples)[number];
        scoreOf(e.f);
        const max = Math.max(logits[0] as number, logits[1] as number, logits[2] as number);
        let z = 0;
        for (let k = 0; k < K; k++) {
          g[k] = Math.exp((logits[k] as number) - max);
          z += g[k] as number;
        }
        for (let k = 0; k < K; k++) g[k] = e.w * ((g[k] as number) / z - (k === e.y ? 1 : 0));
        if (H > 0) {
          for (let j = 0; j < H; j++) {
            let d = 0;
            for (let k = 0; k < K; k++) d += (W2[j * K + k] as number) * (g[k] as number);
            dPre[j] = (act[j] as number) > 0 ? d : 0;
          }
          for (let j = 0; j < H; j++) {
            const a = act[j] as number;
            for (let k = 0; k < K; k++) {
              const i = j * K + k;
              const gi = a * (g[k] as number) + l2 * (W2[i] as number);
              hW2[i] = (hW2[i] as number) + gi * gi;
              W2[i] = (W2[i] as number) - (lr * gi) / (Math.sqrt(hW2[i] as number) + 1e-8);
            }
          }
          if (e.prior)
            for (let j = 0; j < H; j++) {
              const gi = dPre[j] as number;
              hb1[j] = (hb1[j] as number) + gi * gi;
              b1[j] = (b1[j] as number) - (lr * gi) / (Math.sqrt(hb1[j] as number) + 1e-8);
            }
          for (const id of e.f.uni) {
            if (!deep[id]) continue;
            const o = id * H;
            for (let j = 0; j < H; j++) {
              const gi = (dPre[j] as number) + e.w * l2 * (E[o + j] as number);
              hE[o + j] = (hE[o + j] as number) + gi * gi;
              E[o + j] = (E[o + j] as number) - (lr * gi) / (Math.sqrt(hE[o + j] as number) + 1e-8);
            }
          }
        }
        if (e.prior) update(bias, hBias, 0, 0);
        for (const id of e.f.uni) update(U, hU, id * K, e.w);
        for (const h of e.f.bi) update(B, hB, h * K, e.w);
      }
    }
    let correct = 0;
    let n = 0;
    for (const e of examples.slice(0, train.length)) {
      scoreOf(e.f);
      const pred = logits.indexOf(Math.max(...logits));
      if (pred === e.y) correct++;
      n++;
    }
    return { U, B, bias, E, b1, W2, accuracy: n === 0 ? 0 : correct / n };
  };
  // Members differ only in seed; their mean is one model of the same shape (linear parts averaged,
  // hidden layers side by side with output weights divided by M), which evens out seed-to-seed noise.
  const M = Math.max(1, opts.ensemble ?? DEFAULT_SENTIMENT_TRAINING.ensemble);
  const seed = opts.seed ?? DEFAULT_SENTIMENT_TRAINING.seed;
  const members = Array.from({ length: M }, (_, m) => fitOne(mulberry32(seed + m)));
  const mean = (pick: (f: (typeof members)[number]) => Float64Array) => {
    const out = new Float32Array(pick(members[0] as (typeof members)[number]).length);
    for (const f of members) {
      const w = pick(f);
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (w[i] as number) / M;
    }
    return out;
  };
  const HM = H * M;
  const emb = new Float32Array(V * HM);
  const b1All = new Float32Array(HM);
  const w2All = new Float32Array(HM * K);
  members.forEach((f, m) => {
    for (let v = 0; v < V; v++)
      for (let j = 0; j < H; j++) emb[v * HM + m * H + j] = f.E[v * H + j] as number;
    for (let j = 0; j < H; j++) {
      b1All[m * H + j] = f.b1[j] as number;
      for (let k = 0; k < K; k++) w2All[(m * H + j) * K + k] = (f.W2[j * K + k] as number) / M;
    }
  });
  return {
    vocab,
    unigram: mean((f) => f.U),
    pairs: mean((f) => f.B),
    bias: mean((f) => f.bias),
    ...(H > 0 ? { hidden: { size: HM, emb, b1: b1All, w2: w2All } } : {}),
    // mean over members (each scored on its own)
    trainAccuracy: members.reduce((a, f) => a + f.accuracy, 0) / M,
  };
}

/**
 * The graph's arithmetic in plain code, for one text's token ids (unpadded): the logits the ONNX model
 * must produce. Tests compare the two, which pins the pair hashing and the hidden layer.
 */
export function referenceLogits(model: TrainedSentiment, ids: number[]): [number, number, number] {
  const K = 3;
  const out: [number, number, number] = [model.bias[0] ?? 0, model.bias[1] ?? 0, model.bias[2] ?? 0];
  const add = (table: Float32Array, row: number) => {
    for (let k = 0; k < K; k++) out[k as 0 | 1 | 2] += table[row * K + k] as number;
  };
  for (const id of ids) add(model.unigram, id);
  const f = features(ids);
  for (const b of f.bi) add(model.pairs, b);
  const h = model.hidden;
  if (h) {
    for (let j = 0; j < h.size; j++) {
      let pre = h.b1[j] as number;
      for (const id of ids) pre += h.emb[id * h.size + j] as number;
      const a = Math.max(0, pre);
      for (let k = 0; k < K; k++) out[k as 0 | 1 | 2] += a * (h.w2[j * K + k] as number);
    }
  }
  return out;
}

/** Nodes adding Σ_t mask_t·mask_{t+d}·pairs[bucket(ids_t, ids_{t+d}, tag)] into `${out}` ([B,1,3]). */
function pairNodes(d: number, tag: 0 | 1, out: string) {
  const p = `d${d}t${tag}`;
  return [
    node('Slice', ['input_ids', 'zero', `minus_${d}`, 'axis1'], [`${p}_left`]),
    node('Slice', ['input_ids', `plus_${d}`, 'end', 'axis1'], [`${p}_right`]),
    node('Mul', [`${p}_left`, 'prime'], [`${p}_left_scaled`]),
    node('Add', [`${p}_left_scaled`, `${p}_right`], [`${p}_key`]),
    node('Mul', [`${p}_key`, 'mix'], [`${p}_key_mixed`]),
    node('Add', [`${p}_key_mixed`, `tag${tag}`], [`${p}_key_tagged`]),
    node('Mod', [`${p}_key_tagged`, 'buckets'], [`${p}_bucket`], { fmod: 0 }),
    node('Gather', ['pair_table', `${p}_bucket`], [`${p}_w`], { axis: 0 }),
    node('Slice', ['mask_f', 'zero', `minus_${d}`, 'axis1'], [`${p}_mask_left`]),
    node('Slice', ['mask_f', `plus_${d}`, 'end', 'axis1'], [`${p}_mask_right`]),
    node('Mul', [`${p}_mask_left`, `${p}_mask_right`], [`${p}_mask`]),
    node('Unsqueeze', [`${p}_mask`, 'axis1'], [`${p}_mask_row`]),
    node('MatMul', [`${p}_mask_row`, `${p}_w`], [out]),
  ];
}

/**
 * The ONNX graph: logits = Σ_t mask·U[ids_t] + Σ_t mask·pairs[bigram bucket] + Σ_{d≤W} Σ_t mask·pairs[pair
 * bucket at distance d] + bias.
 */
export function sentimentOnnx(model: TrainedSentiment, meta: { version: string }): Uint8Array {
  const K = 3;
  const distances = Array.from({ length: PAIR_WINDOW }, (_, i) => i + 1);
  const terms: { d: number; tag: 0 | 1; out: string }[] = [
    { d: 1, tag: 0, out: 'bigram_sum' },
    ...distances.map((d) => ({ d, tag: 1 as const, out: `pair_sum_${d}` })),
  ];
  const sumNodes = [];
  let acc = 'uni_sum';
  const hidden = model.hidden;
  const hiddenNodes = hidden
    ? [
        node('Gather', ['hidden_emb', 'input_ids'], ['hid_tok'], { axis: 0 }),
        node('MatMul', ['mask_row', 'hid_tok'], ['hid_sum']),
        node('Add', ['hid_sum', 'hidden_b1'], ['hid_pre']),
        node('Relu', ['hid_pre'], ['hid_act']),
        node('MatMul', ['hid_act', 'hidden_w2'], ['hidden_sum']),
      ]
    : [];
  if (hidden) terms.push({ d: 0, tag: 0, out: 'hidden_sum' });
  for (const t of terms) {
    const next = `sum_after_${t.out}`;
    sumNodes.push(node('Add', [acc, t.out], [next]));
    acc = next;
  }
  const graph = {
    name: 'investiq-sentiment-bow',
    input: [
      valueInfo('input_ids', 'int64', ['batch', 'sequence']),
      valueInfo('attention_mask', 'int64', ['batch', 'sequence']),
    ],
    output: [valueInfo('logits', 'float', ['batch', K])],
    initializer: [
      floatTensor('unigram_table', [model.vocab.length, K], model.unigram),
      floatTensor('pair_table', [PAIR_BUCKETS, K], model.pairs),
      floatTensor('bias', [K], model.bias),
      ...(hidden
        ? [
            floatTensor('hidden_emb', [model.vocab.length, hidden.size], hidden.emb),
            floatTensor('hidden_b1', [hidden.size], hidden.b1),
            floatTensor('hidden_w2', [hidden.size, K], hidden.w2),
          ]
        : []),
      int64Tensor('axis1', [1], [1]),
      int64Tensor('zero', [1], [0]),
      int64Tensor('end', [1], [2 ** 31 - 1]),
      ...distances.flatMap((d) => [int64Tensor(`plus_${d}`, [1], [d]), int64Tensor(`minus_${d}`, [1], [-d])]),
      int64Tensor('prime', [], [PAIR_PRIME]),
      int64Tensor('mix', [], [31]),
      int64Tensor('tag0', [], [0]),
      int64Tensor('tag1', [], [1]),
      int64Tensor('buckets', [], [PAIR_BUCKETS]),
    ],
    // Masked sums as batched MatMuls ([B,1,T]·[B,T,3]): each row is one GEMM of the same size
    // whatever the batch, so with fixed-width padding a text's logits do not depend on its batch.
    node: [
      node('Cast', ['attention_mask'], ['mask_f'], { to: 1 }),
      node('Unsqueeze', ['mask_f', 'axis1'], ['mask_row']),
      node('Gather', ['unigram_table', 'input_ids'], ['uni'], { axis: 0 }),
      node('MatMul', ['mask_row', 'uni'], ['uni_sum']),
      ...terms.filter((t) => t.d > 0).flatMap((t) => pairNodes(t.d, t.tag, t.out)),
      ...hiddenNodes,
      ...sumNodes,
      node('Squeeze', [acc, 'axis1'], ['token_sum_2d']),
      node('Add', ['token_sum_2d', 'bias'], ['logits']),
    ],
  };
  return encodeModel(graph, {
    producerVersion: meta.version,
    docString:
      'InvestIQ default sentiment model: token + hashed bigram + hashed windowed-pair linear classifier (labels negative, neutral, positive).',
  });
}
