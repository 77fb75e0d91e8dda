import { INFERENCE_SERVICES } from '@investiq/contracts/inference';
import type { FastifyInstance } from 'fastify';
import { type InferenceConfig, resolveConfig, type ServiceName, type StartOptions } from './config';
import { createApp } from './http/app';
import { createMetrics } from './http/metrics';
import { createCpuTimeseriesService } from './services/cpu-timeseries';
import { createLlmService } from './services/llm';
import { createSentimentService } from './services/sentiment';
import { createTimeseriesService } from './services/timeseries';
import type { ServiceContext, ServiceRuntime } from './services/types';

export const SERVICE_NAMES: readonly ServiceName[] = INFERENCE_SERVICES;

export interface RunningService {
  name: ServiceName;
  /** Base URL, e.g. http://127.0.0.1:8002 */
  url: string;
  port: number;
  app: FastifyInstance;
  /** Settles once the model is loaded and warmed up (or failed to load). */
  ready: Promise<void>;
  /** Graceful: stop accepting, finish in-flight and queued work, release the model. Idempotent. */
  close(): Promise<void>;
}

const FACTORIES: Record<ServiceName, (ctx: ServiceContext) => ServiceRuntime> = {
  llm: createLlmService,
  sentiment: (ctx) => createSentimentService(ctx),
  timeseries: (ctx) => createTimeseriesService(ctx),
  'cpu-timeseries': createCpuTimeseriesService,
};

/** Starts one service on its own port. `options.port: 0` picks a free port (tests). */
export async function startService(name: ServiceName, options: StartOptions = {}): Promise<RunningService> {
  const config = resolveConfig(options);
  const port = options.port ?? config.ports[name];
  return startWithConfig(name, config, port, options.waitForModel ?? true);
}

export async function startWithConfig(
  name: ServiceName,
  config: InferenceConfig,
  port: number,
  waitForModel = true,
): Promise<RunningService> {
  const metrics = createMetrics(name);
  let runtime: ServiceRuntime | undefined;
  const app = createApp({
    service: name,
    config,
    metrics,
    health: () => {
      if (!runtime) throw new Error('service not initialised');
      return runtime.health();
    },
  });
  runtime = FACTORIES[name]({ config, metrics, log: app.log });
  runtime.routes(app);

  const rt = runtime;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // fastify.close() stops accepting, answers 503 on kept-alive connections and waits for in-flight
      // requests (which are waiting on the batcher); then the batcher/pool drains and the model closes.
      await Promise.all([app.close(), rt.drain()]);
      await rt.close();
    })();
    return closing;
  };

  try {
    await app.listen({ host: config.host, port });
  } catch (err) {
    await rt.close().catch(() => {});
    throw new Error(`${name} could not listen on ${config.host}:${port}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  if (waitForModel) await rt.ready;
  return { name, url, port: actualPort, app, ready: rt.ready, close };
}

export interface RunningServices {
  services: Record<ServiceName, RunningService>;
  urls: Record<ServiceName, string>;
  close(): Promise<void>;
}

/** Starts several services (default all four), each on its own port, in this process. */
export async function startAll(
  options: StartOptions & { services?: readonly ServiceName[] } = {},
): Promise<RunningServices> {
  const config = resolveConfig(options);
  const names = options.services ?? SERVICE_NAMES;
  const started: RunningService[] = [];
  try {
    for (const name of names) {
      started.push(await startWithConfig(name, config, config.ports[name], false));
    }
    if (options.waitForModel ?? true) await Promise.all(started.map((s) => s.ready));
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    throw err;
  }
  const services = Object.fromEntries(started.map((s) => [s.name, s])) as Record<ServiceName, RunningService>;
  const urls = Object.fromEntries(started.map((s) => [s.name, s.url])) as Record<ServiceName, string>;
  return {
    services,
    urls,
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}
