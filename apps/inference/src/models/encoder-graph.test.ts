// The FinBERT-shaped random encoder, tested on a reduced variant of the same graph (2 layers, hidden 256,
// 4 heads of 64, FFN 1024) so the test builds in about a second instead of writing 350 MB.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZServiceHealth } from '@investiq/contracts/inference';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../server';
import {
  type EncoderShape,
  encoderVocab,
  FINBERT_SHAPE,
  frequentWords,
  parameterCount,
} from './encoder-graph.js';
import { buildEncoderModelDir } from './finbert-shaped.js';
import { loadSentimentModel, type SentimentModel } from './sentiment.js';

const SMALL: EncoderShape = { ...FINBERT_SHAPE, layers: 2, hidden: 256, heads: 4, ffn: 1024, vocab: 512 };

const TEXTS = [
  'Shares surged after record quarterly profit',
  'The company warned of a widening loss and cut its dividend',
  'Board meets Tuesday',
  'Revenue beat expectations as cloud sales accelerated, and the board raised the buyback by ten billion dollars',
  '公司业绩大幅增长',
  'x',
];

describe('FinBERT-shaped random encoder (reduced 2-layer variant)', () => {
  let dir: string;
  let model: SentimentModel;
  let batched: RunningService;
  let unbatched: RunningService;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'encoder-'));
    await buildEncoderModelDir(join(dir, 'enc'), { shape: SMALL });
    model = await loadSentimentModel(join(dir, 'enc'), { provider: 'cpu', session: { intraOpThreads: 1 } });
    const common = { port: 0, logLevel: 'silent' as const, sentimentModelDir: join(dir, 'enc') };
    [batched, unbatched] = await Promise.all([
      startService('sentiment', { ...common, batch: { maxBatch: 32, maxWaitMs: 20, maxQueue: 100 } }),
      startService('sentiment', { ...common, batch: { maxBatch: 1, maxWaitMs: 0 } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([batched?.close(), unbatched?.close(), model?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has the BERT-base parameter count at full size (≈ 92M with vocab 8192)', () => {
    const p = parameterCount(FINBERT_SHAPE);
    // 12 × 7.08M encoder layers + 6.3M word embeddings + pooler and head
    expect(p).toBeGreaterThan(90e6);
    expect(p).toBeLessThan(93e6);
  });

  it('fills the vocabulary with frequent corpus words after the base tokens, deterministically', () => {
    const words = frequentWords(['Shares rise, shares fall 12%', '股价 rise']);
    expect(words.slice(0, 2)).toEqual(['rise', 'shares']);
    expect(words).toContain('股');
    expect(words).toContain('12');
    const vocab = encoderVocab(400, words);
    expect(vocab).toHaveLength(400);
    expect(vocab.slice(0, 4)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]']);
    expect(vocab).toContain('shares');
    expect(vocab).toContain('##a');
    expect(() => encoderVocab(50)).toThrow('below');
  });

  it('is labelled as random weights in its config and model info', () => {
    expect(model.info.note).toMatch(/random weights — for throughput measurement only/);
    expect(model.maxLength).toBe(64);
  });

  it('ignores padding positions (the attention mask works)', async () => {
    const session = await InferenceSession.create(join(dir, 'enc', 'model.onnx'));
    try {
      const run = async (padId: bigint) => {
        const ids = new BigInt64Array(16).fill(padId);
        const mask = new BigInt64Array(16);
        [2n, 40n, 77n, 3n].forEach((v, i) => {
          ids[i] = v;
          mask[i] = 1n;
        });
        const out = await session.run({
          input_ids: new Tensor('int64', ids, [1, 16]),
          attention_mask: new Tensor('int64', mask, [1, 16]),
          token_type_ids: new Tensor('int64', new BigInt64Array(16), [1, 16]),
        });
        return Array.from(out.logits!.data as Float32Array);
      };
      const a = await run(0n);
      const b = await run(300n);
      expect(a).toHaveLength(3);
      for (const [k, v] of a.entries()) expect(b[k]).toBeCloseTo(v, 5);
    } finally {
      await session.release();
    }
  });

  it('scores a text the same alone and inside a batch, and different texts differently', async () => {
    const together = await model.predict(TEXTS, 'auto');
    for (const [i, text] of TEXTS.entries()) {
      const [alone] = await model.predict([text], 'auto');
      expect(alone?.label).toBe(together[i]?.label);
      for (const k of ['negative', 'neutral', 'positive'] as const)
        expect(together[i]?.scores[k]).toBeCloseTo(alone?.scores[k] ?? Number.NaN, 6);
    }
    const spread =
      Math.max(...together.map((r) => r.scores.positive)) -
      Math.min(...together.map((r) => r.scores.positive));
    expect(spread).toBeGreaterThan(1e-4);
  });

  it('gives the same results through the micro-batcher (maxBatch 32) as with maxBatch 1, over HTTP', async () => {
    const ask = (url: string, text: string) =>
      fetch(`${url}/v1/sentiment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: [text] }),
      }).then(async (r) => {
        expect(r.status).toBe(200);
        return ((await r.json()) as { results: { scores: Record<string, number> }[] }).results[0]!;
      });
    const [b, u] = await Promise.all([
      Promise.all(TEXTS.map((t) => ask(batched.url, t))),
      Promise.all(TEXTS.map((t) => ask(unbatched.url, t))),
    ]);
    for (const [i, r] of b.entries())
      for (const k of ['negative', 'neutral', 'positive'])
        expect(r.scores[k]).toBeCloseTo(u[i]!.scores[k]!, 6);
    // the batched service really batched: its concurrent requests ran in fewer batches than requests
    const metrics = await (await fetch(`${batched.url}/metrics`)).text();
    const count = Number(/inference_batch_size_count\S* (\d+)/.exec(metrics)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(TEXTS.length + 1);
  });

  it('shows the random-weights note in /health', async () => {
    const h = ZServiceHealth.parse(await (await fetch(`${batched.url}/health`)).json());
    expect(h.model?.name).toBe('finbert-shaped-random');
    expect(h.model?.note).toMatch(/random weights — for throughput measurement only/);
  });
});
