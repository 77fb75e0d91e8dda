import { type TForecastResponse, ZForecastRequest } from '@investiq/contracts/inference';
import type { FastifyInstance } from 'fastify';
import { badRequest, parseOr400 } from '../http/errors';
import { callerOf } from '../http/guard';
import { createAdmission, createBatcher, submitAll } from './batched';
import { type ForecastModelLike, loadForecast } from './model-loaders';
import { ModelSlot } from './model-slot';
import type { ServiceContext, ServiceRuntime } from './types';

type ForecastOutput = Awaited<ReturnType<ForecastModelLike['predict']>>[number];

/** POST /v1/forecast: each series (its last `contextLength` points) is one micro-batch item. */
export function createTimeseriesService(
  ctx: ServiceContext,
  load: typeof loadForecast = loadForecast,
): ServiceRuntime {
  const { config, metrics } = ctx;
  const slot = new ModelSlot<ForecastModelLike>(
    'timeseries',
    () =>
      load(config.timeseriesModelDir, {
        provider: config.provider,
        dlaCore: config.dlaCore,
        session: config.session,
      }),
    (m) => m.predict([Array.from({ length: m.contextLength }, (_, i) => 100 + Math.sin(i / 5))]),
    ctx.log,
  );
  const admission = createAdmission(config.batch);
  const batcher = createBatcher<number[], ForecastOutput>(config.batch, metrics, (series) =>
    slot.require().predict(series),
  );

  return {
    name: 'timeseries',
    ready: slot.ready,
    health: () => ({
      status: slot.status(),
      service: 'timeseries',
      model: slot.healthModel(),
      warmedUp: slot.warmedUp,
      queue: { depth: batcher.depth + admission.depth, max: batcher.maxQueue },
      ...(slot.error ? { error: slot.error } : {}),
    }),
    routes(app: FastifyInstance) {
      app.post('/v1/forecast', async (request): Promise<TForecastResponse> => {
        const body = parseOr400(ZForecastRequest, request.body);
        const model = slot.require();
        const L = model.contextLength;
        const horizon = body.horizon ?? model.horizon;
        if (horizon > model.horizon) {
          throw badRequest(`horizon: must be at most ${model.horizon} (the model's horizon), got ${horizon}`);
        }
        body.series.forEach((s, i) => {
          if (s.length < L) {
            throw badRequest(
              `series[${i}]: needs at least ${L} points (the model's context length), got ${s.length}`,
              { index: i, needed: L, got: s.length },
            );
          }
        });
        const outputs = await submitAll(
          batcher,
          body.series.map((s) => s.slice(s.length - L)),
          { queue: admission, caller: callerOf(request), deadlineMs: config.batch.deadlineMs },
        );
        const cut = (xs: number[]) => xs.slice(0, horizon);
        return {
          forecasts: outputs.map((o) => ({
            point: cut(o.point),
            p10: cut(o.p10),
            p50: cut(o.p50),
            p90: cut(o.p90),
          })),
          contextLength: L,
          horizon,
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
