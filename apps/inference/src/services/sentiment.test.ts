import { ZSentimentResponse, ZServiceHealth } from '@investiq/contracts/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../server';
import { errorOf, metricValue } from '../test-support/fake-openai';

const TEXTS = [
  'Shares surged after record profit and strong guidance',
  'The company warned of heavy losses and a dividend cut',
  '公司业绩大幅增长，净利润创历史新高',
  '股价暴跌，公司面临巨额亏损和监管调查',
  'The board meets on Tuesday',
  '公司将于下周召开股东大会',
];

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('sentiment service', () => {
  let batched: RunningService;
  let unbatched: RunningService;

  beforeAll(async () => {
    [batched, unbatched] = await Promise.all([
      startService('sentiment', {
        port: 0,
        logLevel: 'silent',
        bodyLimitBytes: 64 * 1024,
        batch: { maxBatch: 32, maxWaitMs: 4, maxQueue: 300 },
      }),
      startService('sentiment', { port: 0, logLevel: 'silent', batch: { maxBatch: 1, maxWaitMs: 0 } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([batched?.close(), unbatched?.close()]);
  });

  it('reports ok health with model identity and the provider actually used', async () => {
    const res = await fetch(`${batched.url}/health`);
    expect(res.status).toBe(200);
    const h = ZServiceHealth.parse(await res.json());
    expect(h.status).toBe('ok');
    expect(h.warmedUp).toBe(true);
    expect(h.model?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(h.model?.executionProvider).toBe('cpu');
    expect(h.model?.requestedProvider).toBe('cpu');
    expect(h.queue).toEqual({ depth: 0, max: 300 });
  });

  it('classifies English and Chinese texts', async () => {
    const res = await postJson(`${batched.url}/v1/sentiment`, { texts: TEXTS });
    expect(res.status).toBe(200);
    const body = ZSentimentResponse.parse(await res.json());
    expect(body.results).toHaveLength(TEXTS.length);
    expect(body.results[0]?.label).toBe('positive');
    expect(body.results[1]?.label).toBe('negative');
    expect(body.results[2]?.label).toBe('positive');
    expect(body.results[3]?.label).toBe('negative');
    for (const r of body.results) {
      const sum = r.scores.negative + r.scores.neutral + r.scores.positive;
      expect(sum).toBeCloseTo(1, 5);
    }
    expect(body.model.name).toBeTruthy();
  });

  it('gives the same results batched (concurrent clients, maxBatch 32) as unbatched (maxBatch 1)', async () => {
    const one = async (svc: RunningService, text: string) =>
      ZSentimentResponse.parse(await (await postJson(`${svc.url}/v1/sentiment`, { texts: [text] })).json())
        .results[0];
    const texts = Array.from(
      { length: 40 },
      (_, i) => `${TEXTS[i % TEXTS.length]} ${i % 3 === 0 ? 'again' : ''}`,
    );
    const before = await (await fetch(`${batched.url}/metrics`)).text();
    const viaBatch = await Promise.all(texts.map((t) => one(batched, t)));
    const viaSingle = [];
    for (const t of texts) viaSingle.push(await one(unbatched, t));
    for (let i = 0; i < texts.length; i++) {
      expect(viaBatch[i]?.label).toBe(viaSingle[i]?.label);
      expect(viaBatch[i]?.scores.positive).toBeCloseTo(viaSingle[i]!.scores.positive, 5);
      expect(viaBatch[i]?.scores.negative).toBeCloseTo(viaSingle[i]!.scores.negative, 5);
    }
    // and batching really happened: fewer batches than requests
    const after = await (await fetch(`${batched.url}/metrics`)).text();
    const batches =
      metricValue(after, 'inference_batch_size_count') - metricValue(before, 'inference_batch_size_count');
    const items =
      metricValue(after, 'inference_batch_size_sum') - metricValue(before, 'inference_batch_size_sum');
    expect(items).toBe(texts.length);
    expect(batches).toBeLessThan(texts.length);
  });

  it('rejects bad input with 4xx naming the problem and keeps serving', async () => {
    const url = `${batched.url}/v1/sentiment`;
    const cases: [unknown, string][] = [
      [{}, 'texts'],
      [{ texts: [] }, 'texts: must contain at least one text'],
      [{ texts: [''] }, 'texts[0]: must not be empty'],
      [{ texts: ['ok', '   '] }, 'texts[1]: must not be blank'],
      [{ texts: ['ok', 42] }, 'texts[1]: must be a string'],
      [{ texts: 'hello' }, 'texts: must be an array of strings'],
      [{ texts: ['x'.repeat(2001)] }, 'texts[0]: must be at most 2000 characters'],
      [{ texts: Array.from({ length: 257 }, () => 'a') }, 'texts: too many texts: at most 256'],
      [{ texts: ['ok'], lang: 'fr' }, "lang: must be one of 'zh', 'en', 'auto'"],
      [null, 'body must be a JSON object'],
    ];
    for (const [body, message] of cases) {
      const res = await postJson(url, body);
      expect(res.status, JSON.stringify(body)?.slice(0, 80)).toBe(400);
      const err = { error: await errorOf(res) };
      expect(err.error.code).toBe('invalid_request');
      expect(err.error.message).toContain(message);
    }
    const badJson = await postJson(url, '{"texts": [');
    expect(badJson.status).toBe(400);
    expect((await errorOf(badJson)).code).toBe('invalid_json');

    const tooBig = await postJson(url, { texts: ['y'.repeat(1000)], pad: 'z'.repeat(70 * 1024) });
    expect(tooBig.status).toBe(413);
    expect((await errorOf(tooBig)).message).toContain('65536 bytes');

    const form = await postJson(url, 'texts=a', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect((await errorOf(form)).code).toBe('unsupported_media_type');

    const missing = await fetch(`${batched.url}/v1/nothing`);
    expect(missing.status).toBe(404);

    const ok = await postJson(url, { texts: ['still serving'], lang: 'en' });
    expect(ok.status).toBe(200);
    const metrics = await (await fetch(`${batched.url}/metrics`)).text();
    expect(metricValue(metrics, 'inference_errors_total')).toBeGreaterThanOrEqual(cases.length + 3);
  });

  it('answers 429 with Retry-After when the batch queue is full', async () => {
    // maxQueue 300 and 256 texts per request: two concurrent full requests cannot both fit.
    const big = { texts: Array.from({ length: 256 }, (_, i) => `text number ${i} profit`) };
    const results = await Promise.all([1, 2, 3].map(() => postJson(`${batched.url}/v1/sentiment`, big)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(429);
    const rejected = results.find((r) => r.status === 429)!;
    expect(rejected.headers.get('retry-after')).toBe('1');
    expect((await errorOf(rejected)).message).toContain('queue is full');
    expect((await postJson(`${batched.url}/v1/sentiment`, { texts: ['ok'] })).status).toBe(200);
  });

  it('exposes Prometheus metrics', async () => {
    const res = await fetch(`${batched.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const name of [
      'http_request_duration_seconds_bucket',
      'inference_batch_size_bucket',
      'inference_queue_depth',
      'inference_errors_total',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('service="sentiment"');
  });
});

describe('sentiment service without a model', () => {
  it('reports degraded health and answers 503 "model not loaded"', async () => {
    const svc = await startService('sentiment', {
      port: 0,
      logLevel: 'silent',
      sentimentModelDir: '/nonexistent/model',
    });
    try {
      const h = await fetch(`${svc.url}/health`);
      expect(h.status).toBe(503);
      const health = ZServiceHealth.parse(await h.json());
      expect(health.status).toBe('degraded');
      expect(health.model).toBeNull();
      expect(health.error).toBeTruthy();
      const res = await postJson(`${svc.url}/v1/sentiment`, { texts: ['x'] });
      expect(res.status).toBe(503);
      const body = { error: await errorOf(res) };
      expect(body.error.code).toBe('model_not_loaded');
      expect(body.error.message).toContain('sentiment model not loaded');
    } finally {
      await svc.close();
    }
  });
});

describe('sentiment service on an unavailable GPU provider', () => {
  it('falls back to cpu, keeps serving, and says so in /health', async () => {
    const svc = await startService('sentiment', {
      port: 0,
      logLevel: 'silent',
      provider: 'tensorrt',
      dlaCore: 0,
    });
    try {
      const res = await fetch(`${svc.url}/health`);
      expect(res.status).toBe(200);
      const h = ZServiceHealth.parse(await res.json());
      expect(h.status).toBe('degraded');
      expect(h.model).toMatchObject({ requestedProvider: 'tensorrt', executionProvider: 'cpu' });
      expect(h.model?.fallbackReason).toMatch(/tensorrt/i);
      expect((await postJson(`${svc.url}/v1/sentiment`, { texts: ['profit up'] })).status).toBe(200);
    } finally {
      await svc.close();
    }
  });
});
