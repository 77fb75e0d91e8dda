import { ZServiceHealth } from '@investiq/contracts/inference';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config';
import { createApp } from '../http/app';
import { createMetrics } from '../http/metrics';
import { errorOf } from '../test-support/fake-openai';
import { loadSentiment } from './model-loaders';
import { createSentimentService } from './sentiment';

describe('a service whose model is still loading', () => {
  it('listens at once, reports loading (503) and answers 503 until the model is warm', async () => {
    const config = resolveConfig({ logLevel: 'silent' });
    const metrics = createMetrics('sentiment');
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // The real loader, held back until the test releases it.
    const slowLoad: typeof loadSentiment = async (dir, opts) => {
      await gate;
      return loadSentiment(dir, opts);
    };
    let runtime: ReturnType<typeof createSentimentService> | undefined;
    const app = createApp({ service: 'sentiment', config, metrics, health: () => runtime!.health() });
    runtime = createSentimentService({ config, metrics, log: app.log }, slowLoad);
    runtime.routes(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      const h = await fetch(`${url}/health`);
      expect(h.status).toBe(503);
      expect(ZServiceHealth.parse(await h.json())).toMatchObject({
        status: 'loading',
        model: null,
        warmedUp: false,
      });
      const res = await fetch(`${url}/v1/sentiment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: ['hello'] }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect((await errorOf(res)).message).toContain('sentiment model not loaded yet');

      release();
      await runtime.ready;
      expect(ZServiceHealth.parse(await (await fetch(`${url}/health`)).json())).toMatchObject({
        status: 'ok',
        warmedUp: true,
      });
    } finally {
      release();
      await app.close();
      await runtime.close();
    }
  });
});
