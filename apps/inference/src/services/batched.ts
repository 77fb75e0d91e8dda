import { BatcherClosedError, MicroBatcher, QueueFullError } from '../batching/micro-batcher';
import type { BatchConfig } from '../config';
import { HttpError, queueFull } from '../http/errors';
import type { ServiceMetrics } from '../http/metrics';

/** A MicroBatcher wired to the service metrics. */
export function createBatcher<I, O>(
  batch: BatchConfig,
  metrics: ServiceMetrics,
  process: (items: I[]) => Promise<O[]>,
): MicroBatcher<I, O> {
  return new MicroBatcher<I, O>({
    process,
    maxBatch: batch.maxBatch,
    maxWaitMs: batch.maxWaitMs,
    maxQueue: batch.maxQueue,
    onBatch: (size, ms) => {
      metrics.batchSize.observe(size);
      metrics.batchDuration.observe(ms / 1000);
    },
    onDepth: (depth) => metrics.queueDepth.set(depth),
  });
}

/** Submits a request's items; a full queue becomes 429, a closing batcher 503. */
export async function submitAll<I, O>(batcher: MicroBatcher<I, O>, items: I[]): Promise<O[]> {
  try {
    return await batcher.submitMany(items);
  } catch (err) {
    if (err instanceof QueueFullError) {
      throw queueFull(`${err.message}: the service is busy`);
    }
    if (err instanceof BatcherClosedError) {
      throw new HttpError(
        503,
        'shutting_down',
        'service is shutting down',
        undefined,
        { 'retry-after': '1' },
        {
          cause: err,
        },
      );
    }
    throw new HttpError(
      500,
      'inference_failed',
      `inference failed: ${err instanceof Error ? err.message : String(err)}`,
      undefined,
      {},
      { cause: err },
    );
  }
}
