import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningService, startService } from '@investiq/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewDeps } from '../routers/prompts';
import type { Runtime } from '../runtime';
import { createTestRuntime } from '../test-support/runtime';
import { getReport } from './get-report';
import { INFERENCE_DEFAULTS } from './inference-gateway';
import { previewPrompt } from './preview-prompt';
import type { NarrativeOutput } from './types';

const TOKEN = 'narrative-test-token-0123456789';

// The llm service (real) in front of a stand-in OpenAI-compatible upstream (the third-party boundary). The
// upstream repeats the first FACTS line of the prompt it got and adds an invented price target, streamed.
let upstream: Server;
let llm: RunningService;
let rt: Runtime;
const prompts: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as { messages: { content: string }[]; stream?: boolean };
      const prompt = body.messages.at(-1)!.content;
      prompts.push(prompt);
      const factLine = prompt.split('\n').find((l) => l.startsWith('- last close:')) ?? '- none';
      const text = `The ${factLine.slice(2)} today. Our price target is 12345.67 within weeks.`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const piece of text.match(/.{1,12}/g)!)
        res.write(
          `data: ${JSON.stringify({ model: 'fake-qwen', choices: [{ index: 0, delta: { content: piece } }] })}\n\n`,
        );
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  // the streaming call carries the bearer token of a token-protected llm service
  llm = await startService('llm', { port: 0, logLevel: 'silent', llm: { upstreamUrl }, token: TOKEN });
  // only the llm runs: the other services point at a closed port (their sections end unavailable)
  const closed = 'http://127.0.0.1:9';
  rt = await createTestRuntime({
    config: {
      inference: {
        urls: { llm: llm.url, sentiment: closed, timeseries: closed, 'cpu-timeseries': closed },
        timeoutMs: {
          ...INFERENCE_DEFAULTS.timeoutMs,
          sentiment: 500,
          timeseries: 500,
          'cpu-timeseries': 500,
        },
        token: TOKEN,
      },
    },
  });
});

afterAll(async () => {
  await rt?.close();
  await llm?.close();
  await new Promise((r) => upstream?.close(r));
});

describe('narrative through the llm service', () => {
  it('streams the LLM text, records the writer and flags the invented number', async () => {
    const { id } = await rt.reports.create({
      market: 'US',
      symbol: 'NVDA',
      modules: ['profile', 'narrative'],
      language: 'en',
      createdBy: 't',
    });
    const texts: string[] = [];
    for await (const snap of rt.reports.watch(id, new AbortController().signal, 1)) {
      const n = snap.sections.find((s) => s.module === 'narrative')?.output as { text?: string } | null;
      if (n?.text) texts.push(n.text);
    }
    const r = await getReport(rt.db, id);
    const n = r.sections.find((s) => s.module === 'narrative')!.output as NarrativeOutput;
    expect(n.writer).toBe('llm');
    expect(n.model).toBe('fake-qwen');
    expect(n.text).toMatch(/^The last close: [\d,.]+ today\. Our price target is 12345\.67 within weeks\.$/);
    expect(n.grounding.unmatched.map((u) => u.text)).toEqual(['12345.67']);
    expect(r.ungroundedNumbers).toBe(1);
    expect(texts.length).toBeGreaterThan(1); // partial texts were pushed while streaming
    expect(r.lineage?.template).toMatchObject({ language: 'en', version: 1 });
    // the prompt carried the computed numbers and named the sections that were not requested/available
    expect(prompts.at(-1)).toContain('- last close:');
    expect(prompts.at(-1)).toContain('- P/E:');
  });

  it('falls back to the deterministic writer when the LLM fails, saying why', async () => {
    await new Promise((r) => upstream.close(r));
    upstream.closeAllConnections();
    const { id } = await rt.reports.create({
      market: 'US',
      symbol: 'MSFT',
      modules: ['profile', 'narrative'],
      language: 'zh',
      createdBy: 't',
    });
    await rt.reports.wait(id);
    const n = (await getReport(rt.db, id)).sections.find((s) => s.module === 'narrative')!
      .output as NarrativeOutput;
    expect(n.writer).toBe('deterministic');
    expect(n.llmError).toMatch(/llm/);
    expect(n.grounding.unmatched).toEqual([]);
  });

  it('previews a template with the numbers computed now, listing what is missing', async () => {
    const p = await previewPrompt(previewDeps(rt), {
      body: 'Facts for {{name}}:\n{{facts}}',
      market: 'HK',
      symbol: '0700.HK',
    });
    expect(p.prompt).toMatch(/^Facts for Tencent Holdings:\n- last close: /);
    expect(p.facts.map((f) => f.key)).toContain('pe');
    expect(p.missing.map((m) => m.module).sort()).toEqual([
      'forecast',
      'indicators',
      'sentiment',
      'statistics',
    ]);
    await expect(
      previewPrompt(previewDeps(rt), { body: '{{facts}}', market: 'US', symbol: 'ZZZZ' }),
    ).rejects.toThrow(/unknown symbol/);
  });
});
