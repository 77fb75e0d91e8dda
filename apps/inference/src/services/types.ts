import type { TServiceHealth } from '@investiq/contracts/inference';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { InferenceConfig, ServiceName } from '../config';
import type { ServiceMetrics } from '../http/metrics';

export interface ServiceContext {
  config: InferenceConfig;
  metrics: ServiceMetrics;
  log: FastifyBaseLogger;
}

/** What each of the four services plugs into the shared HTTP app. */
export interface ServiceRuntime {
  name: ServiceName;
  health(): TServiceHealth;
  /** Registers the service's routes. */
  routes(app: FastifyInstance): void;
  /** Settles when the model is loaded and warmed up, or failed to load (never rejects). */
  ready: Promise<void>;
  /** Stops taking new work and finishes what is queued or running (called while the server closes). */
  drain(): Promise<void>;
  /** Releases the model / workers; called after drain() and after the HTTP server closed. */
  close(): Promise<void>;
}

export function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]?.slice(0, 500) ?? msg;
}
