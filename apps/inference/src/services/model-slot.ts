import type { TModelHealth, TServiceHealth } from '@investiq/contracts/inference';
import type { FastifyBaseLogger } from 'fastify';
import type { ServiceName } from '../config';
import { modelNotLoaded } from '../http/errors';
import type { ModelInfo } from '../models/session';
import { errorText } from './types';

export interface LoadableModel {
  info: ModelInfo;
  close(): Promise<void>;
}

/**
 * Holds a model that loads in the background: the service listens at once (/health says `loading`),
 * routes answer 503 until the model is loaded and warmed up, and a failed load is reported, not thrown.
 */
export class ModelSlot<M extends LoadableModel> {
  model: M | undefined;
  error: string | undefined;
  warmedUp = false;
  readonly ready: Promise<void>;

  constructor(
    private readonly service: ServiceName,
    load: () => Promise<M>,
    warmup: (model: M) => Promise<unknown>,
    log: FastifyBaseLogger,
  ) {
    this.ready = (async () => {
      try {
        const started = performance.now();
        const model = await load();
        const info = model.info;
        log.info(
          {
            model: info.name,
            version: info.version,
            sha256: info.sha256,
            executionProvider: info.executionProvider,
            requestedProvider: info.requestedProvider,
            fallbackReason: info.fallbackReason,
            loadMs: Math.round(performance.now() - started),
          },
          info.fallbackReason
            ? `model loaded on ${info.executionProvider} instead of ${info.requestedProvider}: ${info.fallbackReason}`
            : `model loaded on ${info.executionProvider}`,
        );
        await warmup(model);
        this.model = model;
        this.warmedUp = true;
      } catch (err) {
        this.error = errorText(err);
        log.error({ err }, `${service} model failed to load: ${this.error}`);
      }
    })();
  }

  /** The loaded model, or a 503 "model not loaded". */
  require(): M {
    if (this.model) return this.model;
    throw modelNotLoaded(this.service, this.error);
  }

  healthModel(): TModelHealth | null {
    if (!this.model) return null;
    const i = this.model.info;
    return {
      name: i.name,
      version: i.version,
      sha256: i.sha256,
      executionProvider: i.executionProvider,
      requestedProvider: i.requestedProvider,
      ...(i.fallbackReason ? { fallbackReason: i.fallbackReason } : {}),
      ...(i.note ? { note: i.note } : {}),
    };
  }

  status(): TServiceHealth['status'] {
    if (this.model) return this.model.info.fallbackReason ? 'degraded' : 'ok';
    return this.error ? 'degraded' : 'loading';
  }

  async close(): Promise<void> {
    await this.ready;
    const m = this.model;
    this.model = undefined;
    await m?.close();
  }
}
