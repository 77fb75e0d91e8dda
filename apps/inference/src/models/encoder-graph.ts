// A BERT-base-shaped (FinBERT-shaped) encoder written as an ONNX graph with onnx-proto, with RANDOM seeded
// weights: for throughput measurement only — its "sentiment" is meaningless. See docs/models.md.
//
// Graph (opset 17, the layout of a PyTorch BERT export so ORT's graph optimiser fuses it the same way):
//   embeddings: word (vocab × H) + position (maxLength × H) + token type (2 × H) → LayerNormalization
//   N × [ self-attention (Q/K/V MatMul+Add, 12 heads, scaled dot product + additive mask, Softmax, output
//         MatMul+Add, residual, LayerNorm) → FFN (H → 4H, GELU as x·½·(1+erf(x/√2)), 4H → H, residual, LayerNorm) ]
//   [CLS] (position 0) → pooler (Dense + Tanh) → classifier (H → 3) = logits [batch, 3]
import type { onnx as OnnxTypes } from 'onnx-proto';
import onnxProto from 'onnx-proto';
import { valueInfo } from './onnx-graph.js';
import { mulberry32 } from './prng';

const { onnx } = onnxProto;
type INodeProto = OnnxTypes.INodeProto;
type ITensorProto = OnnxTypes.ITensorProto;

export const ENCODER_OPSET = 17;

export interface EncoderShape {
  layers: number;
  hidden: number;
  heads: number;
  ffn: number;
  vocab: number;
  /** Longest sequence (rows of the position table). */
  maxLength: number;
  seed: number;
}

/** FinBERT (BERT-base) dimensions; vocab 8192 instead of 30 522 (see FINBERT_SHAPED_NOTE). */
export const FINBERT_SHAPE: EncoderShape = {
  layers: 12,
  hidden: 768,
  heads: 12,
  ffn: 3072,
  vocab: 8192,
  maxLength: 64,
  seed: 20_251_203,
};

export const FINBERT_SHAPED_NOTE =
  'random weights — for throughput measurement only (BERT-base shape: 12 layers, hidden 768, 12 heads, FFN 3072, ' +
  'sequence 64, vocab 8192 instead of 30 522 — the embedding lookup costs the same per token); its labels mean nothing';

export function parameterCount(s: EncoderShape): number {
  const H = s.hidden;
  const emb = (s.vocab + s.maxLength + 2) * H + 2 * H;
  const layer = 4 * (H * H + H) + 2 * H + (H * s.ffn + s.ffn) + (s.ffn * H + H) + 2 * H;
  return emb + s.layers * layer + (H * H + H) + (H * 3 + 3);
}

function attr(name: string, v: number | number[], kind: 'int' | 'float' = 'int'): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (Array.isArray(v)) return { name, ints: v, type: T.INTS };
  return kind === 'float' ? { name, f: v, type: T.FLOAT } : { name, i: v, type: T.INT };
}

/**
 * Builds the encoder's ONNX bytes. Inputs input_ids / attention_mask / token_type_ids int64 [batch, sequence]
 * (sequence ≤ maxLength), output logits float [batch, 3]. Deterministic for a given shape (same bytes).
 */
export function buildEncoderOnnx(shape: EncoderShape, meta: { docString: string }): Uint8Array {
  const { hidden: H, heads, ffn: F, vocab: V, maxLength: P } = shape;
  if (H % heads !== 0) throw new Error(`hidden ${H} is not divisible by heads ${heads}`);
  const dh = H / heads;
  const rand = mulberry32(shape.seed);
  const nodes: INodeProto[] = [];
  const inits: ITensorProto[] = [];

  const n = (op: string, inputs: string[], output: string, attrs: OnnxTypes.IAttributeProto[] = []) => {
    nodes.push({ opType: op, input: inputs, output: [output], name: output, attribute: attrs });
    return output;
  };
  const f32 = (name: string, dims: number[], fill: (i: number) => number) => {
    const size = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = fill(i);
    inits.push({
      name,
      dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(data.buffer),
    });
    return name;
  };
  const i64 = (name: string, dims: number[], values: number[]) => {
    inits.push({
      name,
      dims,
      dataType: onnx.TensorProto.DataType.INT64,
      rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer),
    });
    return name;
  };
  // BERT's initialiser: N(0, 0.02); a uniform with the same variance is enough here.
  const spread = 0.02 * Math.sqrt(3);
  const weight = (name: string, dims: number[]) => f32(name, dims, () => (rand() * 2 - 1) * spread);
  const bias = (name: string, size: number) => f32(name, [size], () => (rand() * 2 - 1) * 0.01);
  const ones = (name: string, size: number) => f32(name, [size], () => 1);
  const zeros = (name: string, size: number) => f32(name, [size], () => 0);
  const layerNorm = (x: string, prefix: string) =>
    n('LayerNormalization', [x, ones(`${prefix}.gamma`, H), zeros(`${prefix}.beta`, H)], `${prefix}.out`, [
      attr('axis', -1),
      attr('epsilon', 1e-12, 'float'),
    ]);
  const dense = (x: string, prefix: string, inDim: number, outDim: number) =>
    n(
      'Add',
      [
        n('MatMul', [x, weight(`${prefix}.weight`, [inDim, outDim])], `${prefix}.mm`),
        bias(`${prefix}.bias`, outDim),
      ],
      `${prefix}.out`,
    );

  // constants
  f32('c.one', [], () => 1);
  f32('c.half', [], () => 0.5);
  f32('c.sqrt2', [], () => Math.SQRT2);
  f32('c.negbig', [], () => -10_000);
  f32('c.scale', [], () => Math.sqrt(dh));
  i64('c.i0', [], [0]);
  i64('c.i1', [], [1]);
  i64('c.axes12', [2], [1, 2]);
  i64('c.heads_shape', [4], [0, 0, heads, dh]);
  i64('c.hidden_shape', [3], [0, 0, H]);

  // embeddings
  const word = n('Gather', [weight('emb.word', [V, H]), 'input_ids'], 'emb.word.out');
  const seqLen = n('Gather', [n('Shape', ['input_ids'], 'emb.shape'), 'c.i1'], 'emb.seq_len', [
    attr('axis', 0),
  ]);
  const posIds = n('Range', ['c.i0', seqLen, 'c.i1'], 'emb.pos_ids');
  const pos = n('Gather', [weight('emb.position', [P, H]), posIds], 'emb.pos.out');
  const type = n('Gather', [weight('emb.token_type', [2, H]), 'token_type_ids'], 'emb.type.out');
  const embSum = n('Add', [n('Add', [word, pos], 'emb.sum1'), type], 'emb.sum');
  let x = layerNorm(embSum, 'emb.ln');

  // additive attention mask [batch, 1, 1, seq]: 0 where attended, -10000 on padding
  const maskF = n('Cast', ['attention_mask'], 'mask.float', [attr('to', onnx.TensorProto.DataType.FLOAT)]);
  const mask4 = n('Unsqueeze', [maskF, 'c.axes12'], 'mask.4d');
  const maskBias = n('Mul', [n('Sub', ['c.one', mask4], 'mask.inv'), 'c.negbig'], 'mask.bias');

  for (let l = 0; l < shape.layers; l++) {
    const p = `l${l}`;
    const heads4 = (t: string, name: string, perm: number[]) =>
      n('Transpose', [n('Reshape', [t, 'c.heads_shape'], `${name}.r`)], `${name}.t`, [attr('perm', perm)]);
    const q = heads4(dense(x, `${p}.q`, H, H), `${p}.qh`, [0, 2, 1, 3]);
    const k = heads4(dense(x, `${p}.k`, H, H), `${p}.kh`, [0, 2, 3, 1]);
    const v = heads4(dense(x, `${p}.v`, H, H), `${p}.vh`, [0, 2, 1, 3]);
    const scores = n('Div', [n('MatMul', [q, k], `${p}.qk`), 'c.scale'], `${p}.scores`);
    const probs = n('Softmax', [n('Add', [scores, maskBias], `${p}.masked`)], `${p}.probs`, [
      attr('axis', -1),
    ]);
    const ctx = n('MatMul', [probs, v], `${p}.ctx`);
    const merged = n(
      'Reshape',
      [n('Transpose', [ctx], `${p}.ctx.t`, [attr('perm', [0, 2, 1, 3])]), 'c.hidden_shape'],
      `${p}.ctx.merged`,
    );
    const attnOut = dense(merged, `${p}.attn_out`, H, H);
    const x1 = layerNorm(n('Add', [attnOut, x], `${p}.res1`), `${p}.ln1`);
    const h = dense(x1, `${p}.ffn_in`, H, F);
    // GELU as PyTorch exports it; ORT fuses this into its Gelu kernel at optimisation level 'extended'/'all'
    const erf = n('Erf', [n('Div', [h, 'c.sqrt2'], `${p}.gelu.div`)], `${p}.gelu.erf`);
    const gelu = n(
      'Mul',
      [n('Mul', [h, n('Add', [erf, 'c.one'], `${p}.gelu.add`)], `${p}.gelu.mul`), 'c.half'],
      `${p}.gelu.out`,
    );
    const ffnOut = dense(gelu, `${p}.ffn_out`, F, H);
    x = layerNorm(n('Add', [ffnOut, x1], `${p}.res2`), `${p}.ln2`);
  }

  const cls = n('Gather', [x, 'c.i0'], 'pool.cls', [attr('axis', 1)]);
  const pooled = n('Tanh', [dense(cls, 'pool.dense', H, H)], 'pool.out');
  const logits = n(
    'Add',
    [n('MatMul', [pooled, weight('head.weight', [H, 3])], 'head.mm'), bias('head.bias', 3)],
    'logits',
  );

  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: ENCODER_OPSET }],
    producerName: 'investiq-build-models',
    producerVersion: 'finbert-shaped',
    docString: meta.docString,
    graph: {
      name: 'finbert_shaped_random',
      node: nodes,
      initializer: inits,
      input: [
        valueInfo('input_ids', 'int64', ['batch', 'sequence']),
        valueInfo('attention_mask', 'int64', ['batch', 'sequence']),
        valueInfo('token_type_ids', 'int64', ['batch', 'sequence']),
      ],
      output: [valueInfo(logits, 'float', ['batch', 3])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * A WordPiece vocabulary of `size` entries for the random encoder: the BERT special tokens, printable ASCII
 * characters and their `##` continuations (so any text tokenizes), then `words` (e.g. the most frequent words
 * of a headline corpus, so a headline is ~10–20 tokens as with FinBERT's real vocabulary, not one per
 * character), then `[unused<n>]` fillers. The ids carry no meaning: the weights are random.
 */
export function encoderVocab(size: number, words: readonly string[] = []): string[] {
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const chars = new Set<string>();
  for (let c = 33; c < 127; c++) chars.add(String.fromCharCode(c).toLowerCase());
  for (const ch of chars) vocab.push(ch);
  for (const ch of chars) vocab.push(`##${ch}`);
  if (vocab.length > size) throw new Error(`vocab size ${size} is below the ${vocab.length} base tokens`);
  const seen = new Set(vocab);
  for (const w of words) {
    if (vocab.length >= size) break;
    if (!seen.has(w)) {
      seen.add(w);
      vocab.push(w);
    }
  }
  for (let i = 0; vocab.length < size; i++) vocab.push(`[unused${i}]`);
  return vocab;
}

/**
 * Words of `texts` by frequency (ties alphabetical), split as BERT's pre-tokenizer does: lowercased ASCII
 * words and digit runs, and CJK characters one by one.
 */
export function frequentWords(texts: Iterable<string>): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) {
    for (const m of t.toLowerCase().matchAll(/[a-z]+|[0-9]+|[\u3400-\u9fff]/g)) {
      counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([w]) => w);
}
