import { type TSentimentResponse, ZSentimentRequest } from '@investiq/contracts/inference';
import type { FastifyInstance } from 'fastify';
import { parseOr400 } from '../http/errors';
import { callerOf } from '../http/guard';
import { createAdmission, createBatcher, submitAll } from './batched';
import { loadSentiment, type SentimentModelLike } from './model-loaders';
import { ModelSlot } from './model-slot';
import type { ServiceContext, ServiceRuntime } from './types';

type Lang = 'zh' | 'en' | 'auto';
type SentimentOutput = Awaited<ReturnType<SentimentModelLike['predict']>>[number];

/** POST /v1/sentiment: each text is one micro-batch item; a batch is split by language for the model. */
export function createSentimentService(
  ctx: ServiceContext,
  load: typeof loadSentiment = loadSentiment,
): ServiceRuntime {
  const { config, metrics } = ctx;
  const slot = new ModelSlot<SentimentModelLike>(
    'sentiment',
    () =>
      load(config.sentimentModelDir, {
        provider: config.provider,
        dlaCore: config.dlaCore,
        session: config.session,
      }),
    (m) => m.predict(['warm-up 预热'], 'auto'),
    ctx.log,
  );

  const admission = createAdmission(config.batch);
  const batcher = createBatcher<{ text: string; lang: Lang }, SentimentOutput>(
    config.batch,
    metrics,
    async (items) => {
      const model = slot.require();
      const out = new Array<SentimentOutput>(items.length);
      const byLang = new Map<Lang, number[]>();
      items.forEach((item, i) => {
        const idx = byLang.get(item.lang) ?? [];
        idx.push(i);
        byLang.set(item.lang, idx);
      });
      for (const [lang, idx] of byLang) {
        const results = await model.predict(
          idx.map((i) => items[i]!.text),
          lang,
        );
        idx.forEach((i, k) => {
          out[i] = results[k]!;
        });
      }
      return out;
    },
  );

  return {
    name: 'sentiment',
    ready: slot.ready,
    health: () => ({
      status: slot.status(),
      service: 'sentiment',
      model: slot.healthModel(),
      warmedUp: slot.warmedUp,
      queue: { depth: batcher.depth + admission.depth, max: batcher.maxQueue },
      ...(slot.error ? { error: slot.error } : {}),
    }),
    routes(app: FastifyInstance) {
      app.post('/v1/sentiment', async (request): Promise<TSentimentResponse> => {
        const body = parseOr400(ZSentimentRequest, request.body);
        const model = slot.require();
        const results = await submitAll(
          batcher,
          body.texts.map((text) => ({ text, lang: body.lang })),
          { queue: admission, caller: callerOf(request), deadlineMs: config.batch.deadlineMs },
        );
        return {
          results: results.map((r) => ({ label: r.label, scores: r.scores })),
          model: { name: model.info.name, version: model.info.version },
        };
      });
    },
    drain: async () => {
      // admitted and waiting requests still reach the batcher, which stops waiting for full batches
      batcher.flushEagerly();
      await admission.drain();
      await batcher.drain();
    },
    async close() {
      batcher.flushEagerly();
      await admission.drain();
      await batcher.drain();
      await slot.close();
    },
  };
}
