import os from 'node:os';
import {
  type TArimaResponse,
  type TGarchResponse,
  type TIndicatorsResponse,
  ZArimaRequest,
  ZGarchRequest,
  ZIndicatorsRequest,
} from '@investiq/contracts/inference';
import type { FastifyInstance } from 'fastify';
import { Piscina } from 'piscina';
import { badRequest, HttpError, parseOr400, queueFull } from '../http/errors';
import type { CpuTask, CpuTaskResult } from './cpu-tasks';
import type { ServiceContext, ServiceRuntime } from './types';
import { errorText } from './types';

const WORKER_URL = new URL('./cpu-worker.mjs', import.meta.url).href;

/** Classical statistics (indicators, auto-ARIMA, GARCH) from @investiq/quant on a worker-thread pool. */
export function createCpuTimeseriesService(ctx: ServiceContext): ServiceRuntime {
  const { config, metrics, log } = ctx;
  const threads = config.cpu.workers > 0 ? config.cpu.workers : Math.max(1, os.availableParallelism());
  const pool = new Piscina<CpuTask, CpuTaskResult>({
    filename: WORKER_URL,
    // All threads stay up (and a thread killed by a timeout is replaced at once): no cold starts.
    minThreads: threads,
    maxThreads: threads,
    maxQueue: config.cpu.maxQueue,
    idleTimeout: 60_000,
  });
  let warmedUp = false;
  let error: string | undefined;
  let closing = false;

  const ready = pool.run({ kind: 'ping' }).then(
    () => {
      warmedUp = true;
      log.info(
        { threads, maxQueue: config.cpu.maxQueue },
        `cpu-timeseries worker pool ready (${threads} threads)`,
      );
    },
    (err: unknown) => {
      error = errorText(err);
      log.error({ err }, `cpu-timeseries workers failed to start: ${error}`);
    },
  );

  let poolClosed: Promise<void> | undefined;
  function closePool(): Promise<void> {
    closing = true;
    poolClosed ??= ready.then(() => pool.close());
    return poolClosed;
  }

  async function run<T>(task: CpuTask): Promise<T> {
    if (closing)
      throw new HttpError(503, 'shutting_down', 'service is shutting down', undefined, {
        'retry-after': '1',
      });
    if (error) throw new HttpError(503, 'workers_unavailable', `statistics workers unavailable: ${error}`);
    // piscina's maxQueue counts waiting tasks; check first so the answer is a clean 429.
    if (pool.queueSize >= config.cpu.maxQueue) {
      throw queueFull(`queue is full (${pool.queueSize}/${config.cpu.maxQueue} tasks waiting); retry later`);
    }
    const signal = AbortSignal.timeout(config.cpu.taskTimeoutMs);
    metrics.queueDepth.set(pool.queueSize + 1);
    let result: CpuTaskResult;
    try {
      result = await pool.run(task, { signal });
    } catch (err) {
      if (signal.aborted) {
        throw new HttpError(504, 'timeout', `computation took longer than ${config.cpu.taskTimeoutMs} ms`);
      }
      if (/queue is at limit/i.test(errorText(err))) throw queueFull('queue is full; retry later');
      throw new HttpError(
        500,
        'internal_error',
        `worker failed: ${errorText(err)}`,
        undefined,
        {},
        { cause: err },
      );
    } finally {
      metrics.queueDepth.set(pool.queueSize);
    }
    if (result.ok) return result.value as T;
    if (result.kind === 'input')
      throw badRequest(result.message, result.field ? { field: result.field } : undefined);
    throw new HttpError(500, 'internal_error', `computation failed: ${result.message}`);
  }

  return {
    name: 'cpu-timeseries',
    ready,
    health: () => ({
      status: error ? 'degraded' : warmedUp ? 'ok' : 'loading',
      service: 'cpu-timeseries',
      model: error
        ? null
        : {
            name: '@investiq/quant',
            version: '0.1.0',
            sha256: null,
            executionProvider: 'cpu',
            requestedProvider: 'cpu',
          },
      warmedUp,
      queue: { depth: pool.queueSize, max: config.cpu.maxQueue },
      ...(error ? { error } : {}),
    }),
    routes(app: FastifyInstance) {
      app.post('/v1/indicators', async (request): Promise<TIndicatorsResponse> => {
        const input = parseOr400(ZIndicatorsRequest, request.body);
        return run({ kind: 'indicators', input });
      });
      app.post('/v1/arima', async (request): Promise<TArimaResponse> => {
        const input = parseOr400(ZArimaRequest, request.body);
        return run({ kind: 'arima', input });
      });
      app.post('/v1/garch', async (request): Promise<TGarchResponse> => {
        const input = parseOr400(ZGarchRequest, request.body);
        return run({ kind: 'garch', input });
      });
    },
    // Running and queued tasks finish, then the threads stop; new requests get 503 (closing).
    drain: closePool,
    close: closePool,
  };
}
