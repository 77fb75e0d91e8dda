import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZServiceHealth } from '@investiq/contracts/inference';
import { createInferenceClient, InferenceClientError } from '@investiq/inference-client';
import { describe, expect, it } from 'vitest';
import { parseEnv, ZInferenceEnv } from './env';
import { startAll, startService } from './server';
import { healthOf, waitFor } from './test-support/fake-openai';

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const zeroPorts = { llm: 0, sentiment: 0, timeseries: 0, 'cpu-timeseries': 0 };

describe('all four services in one process', () => {
  it('start on their own ports, report health, and answer through the typed client', async () => {
    const all = await startAll({ ports: zeroPorts, logLevel: 'silent', cpu: { workers: 1 } });
    try {
      const ports = new Set(Object.values(all.services).map((s) => s.port));
      expect(ports.size).toBe(4);
      const client = createInferenceClient({ urls: all.urls });
      for (const name of ['sentiment', 'timeseries', 'cpu-timeseries'] as const) {
        const h = await client.health(name);
        expect(h.status, name).toBe('ok');
        expect(h.service).toBe(name);
      }
      expect((await client.health('llm')).status).toBe('unconfigured');

      const s = await client.sentiment({ texts: ['profit beats expectations', '巨额亏损'] });
      expect(s.results.map((r) => r.label)).toEqual(['positive', 'negative']);

      const series = Array.from({ length: 600 }, (_, i) => 10 + Math.sin(i / 9) + i / 100);
      const f = await client.forecast({ series: [series] });
      expect(f.forecasts[0]?.point).toHaveLength(f.horizon);

      const ind = await client.indicators({
        bars: series.map((c) => ({ open: c, high: c + 1, low: c - 1, close: c, volume: 10 })),
        specs: [{ kind: 'ema', period: 10 }],
      });
      expect(Object.keys(ind.indicators)).toHaveLength(1);

      // errors arrive as typed errors with the service's code and message
      const bad = await client.forecast({ series: [[1, 2, 3]] }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(InferenceClientError);
      expect((bad as InferenceClientError).status).toBe(400);
      expect((bad as InferenceClientError).message).toContain('series[0]: needs at least');
      const llm = await client.chat({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect((llm as InferenceClientError).code).toBe('llm_unconfigured');

      // each service has its own metrics registry
      const metrics = await (await fetch(`${all.urls.timeseries}/metrics`)).text();
      expect(metrics).toContain('service="timeseries"');
      expect(metrics).not.toContain('service="sentiment"');
    } finally {
      await all.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('close() finishes queued requests before stopping, then refuses connections', async () => {
    // A long batch wait keeps requests queued when close() is called.
    const svc = await startService('sentiment', {
      port: 0,
      logLevel: 'silent',
      batch: { maxWaitMs: 10_000 },
    });
    const pending = [1, 2, 3].map((i) =>
      fetch(`${svc.url}/v1/sentiment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: [`text ${i} profit`] }),
      }),
    );
    await waitFor(async () => {
      const h = ZServiceHealth.parse(await (await fetch(`${svc.url}/health`)).json());
      return h.queue.depth === 3;
    });
    const started = Date.now();
    await svc.close();
    expect(Date.now() - started).toBeLessThan(5000); // drained at once, not after maxWaitMs
    const responses = await Promise.all(pending);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await expect(fetch(`${svc.url}/health`)).rejects.toThrow();
  });
});

describe('environment', () => {
  it('parses defaults and rejects bad values with the variable name', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      SERVICE: 'all',
      INFERENCE_HOST: '127.0.0.1',
      INFERENCE_ALLOWED_HOSTS: ['localhost'],
      LLM_PORT: 8001,
      CPU_TIMESERIES_PORT: 8004,
    });
    expect(env.LLM_UPSTREAM_URL).toBeUndefined();
    expect(parseEnv({ ORT_TRT_DLA_CORE: '1', LLM_UPSTREAM_URL: '' }).ORT_TRT_DLA_CORE).toBe(1);
    expect(() => parseEnv({ SENTIMENT_PORT: 'abc' })).toThrow('SENTIMENT_PORT');
    expect(() => parseEnv({ ORT_EXECUTION_PROVIDER: 'gpu' })).toThrow('ORT_EXECUTION_PROVIDER');
    expect(() => parseEnv({ LLM_UPSTREAM_URL: 'not a url' })).toThrow('LLM_UPSTREAM_URL');
    expect(() => parseEnv({ INFERENCE_TOKEN: 'short' })).toThrow('INFERENCE_TOKEN');
    // the web's HOST does not move the services off loopback
    expect(parseEnv({ HOST: '0.0.0.0' }).INFERENCE_HOST).toBe('127.0.0.1');
  });

  it('every variable it reads is documented in .env.example', () => {
    const documented = readFileSync(path.join(APP_DIR, '../../.env.example'), 'utf8');
    const missing = Object.keys(ZInferenceEnv.shape).filter(
      (v) => !new RegExp(`^#?${v}=`, 'm').test(documented),
    );
    expect(missing).toEqual([]);
  });
});

describe('main.ts', () => {
  it('refuses to start without INFERENCE_TOKEN, naming it', async () => {
    const { INFERENCE_TOKEN: _drop, ...rest } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--service', 'llm'], {
      cwd: APP_DIR,
      env: { ...rest, LLM_PORT: '0', LLM_UPSTREAM_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(err).toContain('INFERENCE_TOKEN: required');
  });

  it('starts the service named by --service from the environment and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--service', 'llm'], {
      cwd: APP_DIR,
      env: {
        ...process.env,
        LLM_PORT: '0',
        LLM_UPSTREAM_URL: '',
        LOG_LEVEL: 'info',
        SERVICE: 'sentiment',
        INFERENCE_TOKEN: 'main-test-token-0123456789',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => /listening at (http:\/\/127\.0\.0\.1:\d+)/.test(out), 20_000, 'server listening');
      const url = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const h = await healthOf(url!);
      expect(h).toMatchObject({ service: 'llm', status: 'unconfigured' });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
