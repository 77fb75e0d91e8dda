import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSentimentModel, type SentimentModel } from './sentiment.js';
import { PAIR_BUCKETS, referenceLogits, sentimentOnnx, type TrainedSentiment } from './sentiment-train.js';
import { builtDefaultModels } from './test-models.js';
import { loadTokenizer } from './tokenizer.js';

const HEADLINES = [
  'Apple shares jump after earnings beat estimates',
  '贵州茅台净利润同比增长15%',
  'Regulators fine the bank over compliance failures',
  '公司发布关于董事辞职的公告',
  'Nvidia',
  'A much longer headline about a company that reports record revenue, raises its dividend and announces a buyback while analysts upgrade the stock',
];

describe('default sentiment model', () => {
  let model: SentimentModel;
  beforeAll(async () => {
    const { sentimentDir } = await builtDefaultModels();
    model = await loadSentimentModel(sentimentDir, { provider: 'cpu' });
  });
  afterAll(async () => {
    await model.close();
  });

  it('reports its identity', () => {
    expect(model.info.name).toBe('investiq-sentiment-bow');
    expect(model.info.version).toBe('2.0.0');
    expect(model.info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(model.info.executionProvider).toBe('cpu');
    expect(model.maxLength).toBe(128);
  });

  it('gives identical results for a text alone and inside a padded batch', async () => {
    const batched = await model.predict(HEADLINES, 'auto');
    expect(batched).toHaveLength(HEADLINES.length);
    for (const [i, text] of HEADLINES.entries()) {
      const [alone] = await model.predict([text], 'auto');
      expect(alone).toEqual(batched[i]);
    }
    const reversed = await model.predict([...HEADLINES].reverse(), 'auto');
    expect(reversed.reverse()).toEqual(batched);
  });

  it('scores are probabilities and the label is the argmax', async () => {
    for (const r of await model.predict(HEADLINES, 'en')) {
      const { negative, neutral, positive } = r.scores;
      expect(negative + neutral + positive).toBeCloseTo(1, 5);
      const best = Object.entries(r.scores).sort((a, b) => b[1] - a[1])[0]?.[0];
      expect(r.label).toBe(best);
    }
  });

  it('classifies clear headlines in both languages', async () => {
    const r = await model.predict(
      [
        'Tesla stock plunges after deliveries miss forecasts',
        '宁德时代股价大涨',
        '比亚迪遭监管立案调查，股价跌停',
        'Microsoft profit rises on strong cloud growth',
      ],
      'auto',
    );
    expect(r.map((x) => x.label)).toEqual(['negative', 'positive', 'negative', 'positive']);
  });

  it('truncates to maxLength and handles the empty batch and empty text', async () => {
    expect(await model.predict([], 'en')).toEqual([]);
    const long = 'Shares jump after record profit. '.repeat(200);
    const [r] = await model.predict([long, ''], 'en');
    expect(r?.label).toBe('positive');
    const { sentimentDir } = await builtDefaultModels();
    const tok = await loadTokenizer(sentimentDir, 'tokenizer.json', { lowercase: true });
    const enc = tok.encode(long, 128);
    expect(enc.ids).toHaveLength(128);
    expect(enc.ids.at(-1)).toBe(3); // [SEP] kept
  });
});

describe('sentiment graph', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('computes exactly the formula of referenceLogits (token, bigram, windowed-pair and hidden terms)', async () => {
    const fixture = join(import.meta.dirname, 'fixtures/tiny-wordpiece');
    const vocab = (await readFile(join(fixture, 'vocab.txt'), 'utf8')).trim().split('\n');
    // seeded pseudo-random weights (LCG), every table non-zero, so a wrong hash or offset shows
    let x = 12345;
    const rnd = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 2 ** 32 - 0.5;
    };
    const H = 4;
    const model: TrainedSentiment = {
      vocab,
      unigram: Float32Array.from({ length: vocab.length * 3 }, rnd),
      pairs: Float32Array.from({ length: PAIR_BUCKETS * 3 }, rnd),
      bias: Float32Array.from([0.1, -0.2, 0.05]),
      hidden: {
        size: H,
        emb: Float32Array.from({ length: vocab.length * H }, rnd),
        b1: Float32Array.from({ length: H }, rnd),
        w2: Float32Array.from({ length: H * 3 }, rnd),
      },
      trainAccuracy: 1,
    };
    dir = await mkdtemp(join(tmpdir(), 'iq-graph-'));
    await writeFile(join(dir, 'model.onnx'), sentimentOnnx(model, { version: 'test' }));
    await copyFile(join(fixture, 'tokenizer.json'), join(dir, 'tokenizer.json'));
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({
        name: 'graph-check',
        version: '0.0.1',
        task: 'sentiment',
        labels: ['negative', 'neutral', 'positive'],
        maxLength: 16,
        inputs: { ids: 'input_ids', mask: 'attention_mask' },
        output: 'logits',
        tokenizer: 'tokenizer.json',
        padding: 'max_length',
      }),
    );
    const texts = [
      'the company profit jumps to record',
      'loss falls',
      '赚亏会议',
      'meeting to hold a record profit jump loss fall the company',
      'profit',
    ];
    const tok = await loadTokenizer(dir, 'tokenizer.json', { lowercase: true });
    const loaded = await loadSentimentModel(dir, { provider: 'cpu' });
    try {
      const got = await loaded.predict(texts, 'auto');
      texts.forEach((t, i) => {
        const logits = referenceLogits(model, tok.encode(t, 16).ids);
        const max = Math.max(...logits);
        const e = logits.map((v) => Math.exp(v - max));
        const z = e.reduce((a, b) => a + b, 0);
        const r = got[i];
        expect(r?.scores.negative).toBeCloseTo((e[0] as number) / z, 5);
        expect(r?.scores.neutral).toBeCloseTo((e[1] as number) / z, 5);
        expect(r?.scores.positive).toBeCloseTo((e[2] as number) / z, 5);
      });
    } finally {
      await loaded.close();
    }
  });
});

describe('drop-in model directory (hand-made WordPiece vocabulary, FinBERT label order)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function makeDir(tokenizer: 'tokenizer.json' | 'vocab'): Promise<string> {
    const fixture = join(import.meta.dirname, 'fixtures/tiny-wordpiece');
    const dir = await mkdtemp(join(tmpdir(), 'iq-dropin-'));
    dirs.push(dir);
    const vocab = (await readFile(join(fixture, 'vocab.txt'), 'utf8')).trim().split('\n');
    // Columns in FinBERT order: positive, negative, neutral.
    const unigram = new Float32Array(vocab.length * 3);
    const set = (token: string, col: number, v: number) => {
      unigram[vocab.indexOf(token) * 3 + col] = v;
    };
    set('profit', 0, 3);
    set('jump', 0, 1);
    set('赚', 0, 3);
    set('loss', 1, 3);
    set('fall', 1, 1);
    set('亏', 1, 3);
    set('meeting', 2, 3);
    set('会', 2, 2);
    await writeFile(
      join(dir, 'model.onnx'),
      sentimentOnnx(
        {
          vocab,
          unigram,
          pairs: new Float32Array(PAIR_BUCKETS * 3),
          bias: Float32Array.from([0, 0, 0.5]),
          trainAccuracy: 1,
        },
        { version: 'fixture' },
      ),
    );
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({
        name: 'tiny-finbert-order',
        version: '0.0.1',
        task: 'sentiment',
        labels: ['positive', 'negative', 'neutral'],
        maxLength: 16,
        inputs: { ids: 'input_ids', mask: 'attention_mask' },
        output: 'logits',
        tokenizer,
      }),
    );
    await copyFile(
      join(fixture, tokenizer === 'vocab' ? 'vocab.txt' : 'tokenizer.json'),
      join(dir, tokenizer === 'vocab' ? 'vocab.txt' : 'tokenizer.json'),
    );
    return dir;
  }

  it.each(['tokenizer.json', 'vocab'] as const)('loads and maps labels through config (%s)', async (kind) => {
    const dir = await makeDir(kind);
    const tok = await loadTokenizer(dir, kind, { lowercase: true });
    // [CLS] the company profit jump ##s [SEP]
    expect(tok.encode('The company PROFIT jumps', 16).ids).toEqual([2, 12, 13, 5, 7, 8, 3]);
    expect(tok.encode('公司赚', 16).ids).toEqual([2, 1, 1, 17, 3]);
    const model = await loadSentimentModel(dir, { provider: 'cpu' });
    try {
      const r = await model.predict(
        ['The company profit jumps', 'loss falls', 'meeting to hold', '亏', 'zzz'],
        'auto',
      );
      expect(r.map((x) => x.label)).toEqual(['positive', 'negative', 'neutral', 'negative', 'neutral']);
      expect(r[0]?.scores.positive).toBeGreaterThan(0.9);
      expect(model.info.name).toBe('tiny-finbert-order');
    } finally {
      await model.close();
    }
  });

  it('rejects a config whose input names are not in the graph', async () => {
    const dir = await makeDir('tokenizer.json');
    const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...cfg, inputs: { ids: 'ids' } }));
    await expect(loadSentimentModel(dir, { provider: 'cpu' })).rejects.toThrow(/no input 'ids'/);
  });

  it('rejects an invalid config.json naming the field', async () => {
    const dir = await makeDir('tokenizer.json');
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ name: 'x', version: '1', task: 'sentiment', labels: ['positive'] }),
    );
    await expect(loadSentimentModel(dir, { provider: 'cpu' })).rejects.toThrow(/labels/);
  });
});
