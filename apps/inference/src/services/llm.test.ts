import http from 'node:http';
import { ZChatCompletionResponse, ZServiceHealth } from '@investiq/contracts/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../server';
import {
  errorOf,
  type FakeOpenAi,
  healthOf,
  metricValue,
  startFakeOpenAi,
  waitFor,
} from '../test-support/fake-openai';

const post = (svc: RunningService, body: unknown, init: RequestInit = {}) =>
  fetch(`${svc.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });
const user = (content: string) => ({ messages: [{ role: 'user', content }] });

describe('llm service with an OpenAI-compatible upstream', () => {
  let upstream: FakeOpenAi;
  let svc: RunningService;

  beforeAll(async () => {
    upstream = await startFakeOpenAi();
    svc = await startService('llm', {
      port: 0,
      logLevel: 'silent',
      llm: {
        upstreamUrl: upstream.url,
        apiKey: 'sk-test',
        model: 'qwen-test',
        timeoutMs: 800,
        maxConcurrency: 1,
        maxQueue: 1,
      },
    });
  });
  afterAll(async () => {
    await svc?.close();
    await upstream?.close();
  });

  it('reports ok health with the upstream model', async () => {
    const res = await fetch(`${svc.url}/health`);
    expect(res.status).toBe(200);
    const h = ZServiceHealth.parse(await res.json());
    expect(h).toMatchObject({
      status: 'ok',
      service: 'llm',
      model: { name: 'qwen-test', executionProvider: 'upstream' },
    });
  });

  it('forwards a non-streaming completion with model and api key, and counts usage tokens', async () => {
    const res = await post(svc, { ...user('hello world'), temperature: 0.2, top_k: 5 });
    expect(res.status).toBe(200);
    const body = ZChatCompletionResponse.parse(await res.json());
    expect(body.choices[0]?.message.content).toBe('echo: hello world');
    const seen = upstream.requests.at(-1)!;
    expect(seen.headers.authorization).toBe('Bearer sk-test');
    expect(seen.body).toMatchObject({ model: 'qwen-test', temperature: 0.2, top_k: 5 });
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metricValue(metrics, 'llm_prompt_tokens_total')).toBeGreaterThanOrEqual(7);
    expect(metricValue(metrics, 'llm_completion_tokens_total')).toBeGreaterThanOrEqual(3);
  });

  it('relays a streaming completion as SSE and counts streamed chunks', async () => {
    const before = metricValue(
      await (await fetch(`${svc.url}/metrics`)).text(),
      'llm_completion_tokens_total',
    );
    const res = await post(svc, { ...user('one two three'), stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const contents = text
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? '')
      .join('');
    expect(contents).toBe('echo: one two three ');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    const after = metricValue(
      await (await fetch(`${svc.url}/metrics`)).text(),
      'llm_completion_tokens_total',
    );
    expect(after - before).toBe(4); // four content chunks, no usage from upstream
  });

  it('uses upstream usage in a stream when the client asks for it', async () => {
    const metricsBefore = await (await fetch(`${svc.url}/metrics`)).text();
    const res = await post(svc, { ...user('a b'), stream: true, stream_options: { include_usage: true } });
    await res.text();
    const metricsAfter = await (await fetch(`${svc.url}/metrics`)).text();
    expect(
      metricValue(metricsAfter, 'llm_prompt_tokens_total') -
        metricValue(metricsBefore, 'llm_prompt_tokens_total'),
    ).toBe(11);
  });

  it('maps an upstream error to 502 with the upstream status', async () => {
    const res = await post(svc, user('fail'));
    expect(res.status).toBe(502);
    const body = { error: await errorOf(res) };
    expect(body.error.code).toBe('upstream_error');
    expect(body.error.message).toContain('500');
    expect(body.error.details).toEqual({ upstreamStatus: 500 });
  });

  it('times out a slow upstream with 504 and cancels the upstream request', async () => {
    const abortedBefore = upstream.aborted;
    const res = await post(svc, user('slow'));
    expect(res.status).toBe(504);
    expect((await errorOf(res)).message).toContain('800 ms');
    await waitFor(() => upstream.aborted > abortedBefore, 3000, 'upstream request aborted');
  });

  it('cancels the upstream request when the client disconnects (non-streaming)', async () => {
    const abortedBefore = upstream.aborted;
    const requestsBefore = upstream.requests.length;
    const client = new AbortController();
    const pending = post(svc, user('slow'), { signal: client.signal }).catch((e: unknown) => e);
    await waitFor(() => upstream.requests.length > requestsBefore, 3000, 'upstream got the request');
    client.abort();
    await pending;
    await waitFor(() => upstream.aborted > abortedBefore, 700, 'upstream request aborted before the timeout');
  });

  it('cancels the upstream stream when the client disconnects mid-stream', async () => {
    const abortedBefore = upstream.aborted;
    const client = new AbortController();
    const res = await post(svc, { ...user('slow-stream'), stream: true }, { signal: client.signal });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('data:');
    client.abort();
    await waitFor(() => upstream.aborted > abortedBefore, 700, 'upstream stream aborted before the timeout');
  });

  it('rejects with 429 when the concurrency slot and the queue are taken', async () => {
    // maxConcurrency 1 + maxQueue 1: two slow requests fill it, the third is refused at once.
    const a = post(svc, user('slow'));
    const b = post(svc, user('slow'));
    await waitFor(async () => {
      const h = await healthOf(svc.url);
      return h.queue.depth === 1;
    });
    const c = await post(svc, user('hi'));
    expect(c.status).toBe(429);
    expect(c.headers.get('retry-after')).toBe('1');
    expect((await errorOf(c)).code).toBe('queue_full');
    expect((await a).status).toBe(504);
    expect((await b).status).toBe(504);
  });

  it('rejects bad bodies with 400 naming the field, and non-JSON with 415', async () => {
    const cases: [unknown, string][] = [
      [{ messages: [] }, 'messages: must contain at least one message'],
      [{ messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
      [{ ...user('x'), stream: 'yes' }, 'stream: must be a boolean'],
      [[1, 2], 'body must be a JSON object'],
    ];
    for (const [body, message] of cases) {
      const res = await post(svc, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await errorOf(res)).message).toContain(message);
    }
    const res = await fetch(`${svc.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(415);
    expect((await errorOf(res)).code).toBe('unsupported_media_type');
    // still serving
    expect((await post(svc, user('still here'))).status).toBe(200);
  });
});

describe('llm service without an upstream', () => {
  it('reports unconfigured and answers 503 with a clear message', async () => {
    const svc = await startService('llm', { port: 0, logLevel: 'silent', llm: { upstreamUrl: undefined } });
    try {
      const h = await healthOf(svc.url);
      expect(h.status).toBe('unconfigured');
      const res = await post(svc, user('hi'));
      expect(res.status).toBe(503);
      const body = { error: await errorOf(res) };
      expect(body.error.code).toBe('llm_unconfigured');
      expect(body.error.message).toContain('LLM_UPSTREAM_URL');
      expect((await fetch(`${svc.url}/v1/models`)).status).toBe(503);
    } finally {
      await svc.close();
    }
  });

  it('answers 502 when the upstream is unreachable', async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const svc = await startService('llm', {
      port: 0,
      logLevel: 'silent',
      llm: { upstreamUrl: `http://127.0.0.1:${port}/v1` },
    });
    try {
      const res = await post(svc, user('hi'));
      expect(res.status).toBe(502);
      expect((await errorOf(res)).code).toBe('upstream_unreachable');
    } finally {
      await svc.close();
    }
  });
});
