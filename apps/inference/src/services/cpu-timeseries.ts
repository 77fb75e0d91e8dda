import { createHash } from 'node:crypto';
import os from 'node:os';
import {
  type TArimaResponse,
  type TGarchResponse,
  type TIndicatorsResponse,
  ZArimaRequest,
  ZGarchRequest,
  ZIndicatorsRequest,
} from '@investiq/contracts/inference';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Piscina } from 'piscina';
import { FairQueue } from '../batching/fair-queue';
import { BatcherClosedError, QueueFullError } from '../batching/micro-batcher';
import { badRequest, HttpError, parseOr400, queueFull } from '../http/errors';
import { callerOf } from '../http/guard';
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
  // Callers take turns for the threads; piscina's own queue stays (nearly) empty.
  const fair = new FairQueue({
    concurrency: threads,
    maxQueue: config.cpu.maxQueue,
    onDepth: (depth) => metrics.queueDepth.set(depth),
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
    poolClosed ??= ready.then(() => fair.drain()).then(() => pool.close());
    return poolClosed;
  }

  /**
   * One request's work: waits its caller's turn, then runs on a thread. The deadline (CPU_TASK_TIMEOUT_MS)
   * covers both: expired while waiting → 503 (never started), while running → piscina terminates the thread
   * (a fresh one replaces it) and the answer is 504.
   */
  async function run<T>(caller: string, task: CpuTask): Promise<T> {
    if (closing)
      throw new HttpError(503, 'shutting_down', 'service is shutting down', undefined, {
        'retry-after': '1',
      });
    if (error) throw new HttpError(503, 'workers_unavailable', `statistics workers unavailable: ${error}`);
    const signal = AbortSignal.timeout(config.cpu.taskTimeoutMs);
    let started = false;
    let result: CpuTaskResult;
    try {
      result = await fair.run(
        caller,
        () => {
          started = true;
          return pool.run(task, { signal });
        },
        signal,
      );
    } catch (err) {
      if (err instanceof QueueFullError) throw queueFull(`${err.message}: the service is busy`);
      if (err instanceof BatcherClosedError)
        throw new HttpError(503, 'shutting_down', 'service is shutting down', undefined, {
          'retry-after': '1',
        });
      if (signal.aborted && !started) {
        throw new HttpError(
          503,
          'deadline_exceeded',
          `waited longer than ${config.cpu.taskTimeoutMs} ms for a worker; retry later`,
          undefined,
          { 'retry-after': '1' },
        );
      }
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
    }
    if (result.ok) return result.value as T;
    if (result.kind === 'input')
      throw badRequest(result.message, result.field ? { field: result.field } : undefined);
    throw new HttpError(500, 'internal_error', `computation failed: ${result.message}`);
  }

  /**
   * ARIMA and GARCH fits are deterministic functions of the validated request, so answers are kept by the
   * SHA-256 of the request's JSON (the series and every setting: horizon, levels, order bounds…): a second
   * report on the same symbol and bar date is answered without a fit. LRU, CPU_RESULT_CACHE entries (0 = off);
   * `x-result-cache: hit | miss` says which.
   */
  const cacheSize = config.cpu.resultCache ?? 0;
  const results = new Map<string, unknown>();
  async function cached<T>(
    kind: 'arima' | 'garch',
    input: unknown,
    reply: FastifyReply,
    compute: () => Promise<T>,
  ) {
    if (cacheSize <= 0) return compute();
    const key = `${kind}:${createHash('sha256').update(JSON.stringify(input)).digest('hex')}`;
    if (results.has(key)) {
      const hit = results.get(key) as T;
      results.delete(key);
      results.set(key, hit);
      reply.header('x-result-cache', 'hit');
      return hit;
    }
    const value = await compute();
    results.set(key, value);
    if (results.size > cacheSize) results.delete(results.keys().next().value as string);
    reply.header('x-result-cache', 'miss');
    return value;
  }

  /** The ARIMA work budget: series length and order-grid size (the full grid on a long series runs for minutes). */
  function checkArimaBudget(input: { series: unknown[]; maxP?: number; maxQ?: number; maxD?: number }): void {
    const { maxPoints, maxGrid } = config.arima;
    if (input.series.length > maxPoints) {
      throw badRequest(
        `series: must have at most ${maxPoints} points for ARIMA on this service (got ${input.series.length})`,
        { field: 'series' },
      );
    }
    const grid = ((input.maxP ?? 3) + 1) * ((input.maxQ ?? 3) + 1) * ((input.maxD ?? 2) + 1);
    if (grid > maxGrid) {
      throw badRequest(
        `maxP: the order grid (maxP+1)·(maxQ+1)·(maxD+1) = ${grid} exceeds this service's budget of ${maxGrid}; lower maxP/maxQ/maxD`,
        { field: 'maxP' },
      );
    }
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
      queue: { depth: fair.depth, max: config.cpu.maxQueue, running: fair.inFlight },
      ...(error ? { error } : {}),
    }),
    routes(app: FastifyInstance) {
      app.post('/v1/indicators', async (request): Promise<TIndicatorsResponse> => {
        const input = parseOr400(ZIndicatorsRequest, request.body);
        return run(callerOf(request), { kind: 'indicators', input });
      });
      app.post('/v1/arima', async (request, reply): Promise<TArimaResponse> => {
        const input = parseOr400(ZArimaRequest, request.body);
        checkArimaBudget(input);
        return cached('arima', input, reply, () => run(callerOf(request), { kind: 'arima', input }));
      });
      app.post('/v1/garch', async (request, reply): Promise<TGarchResponse> => {
        const input = parseOr400(ZGarchRequest, request.body);
        return cached('garch', input, reply, () => run(callerOf(request), { kind: 'garch', input }));
      });
    },
    // Running and queued tasks finish, then the threads stop; new requests get 503 (closing).
    drain: closePool,
    close: closePool,
  };
}
