import { FairQueue } from '../batching/fair-queue';
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

/**
 * Admission in front of a batcher: up to `maxBatch` requests are inside the batcher at once (enough to fill a
 * batch); the rest wait their caller's turn (round-robin), so one caller's flood cannot starve the others.
 */
export function createAdmission(batch: BatchConfig): FairQueue {
  return new FairQueue({ concurrency: batch.maxBatch, maxQueue: batch.maxQueue });
}

/**
 * Submits a request's items once it is `caller`'s turn; a full queue becomes 429, a closing batcher 503, a
 * request that waited past `deadlineMs` without being admitted 503 (it never ran).
 */
export async function submitAll<I, O>(
  batcher: MicroBatcher<I, O>,
  items: I[],
  admission?: { queue: FairQueue; caller: string; deadlineMs: number },
): Promise<O[]> {
  const deadline = admission ? AbortSignal.timeout(admission.deadlineMs) : undefined;
  try {
    if (!admission) return await batcher.submitMany(items);
    return await admission.queue.run(admission.caller, () => batcher.submitMany(items), deadline);
  } catch (err) {
    if (deadline?.aborted && err === deadline.reason) {
      throw new HttpError(
        503,
        'deadline_exceeded',
        `waited longer than ${admission?.deadlineMs} ms for the model; retry later`,
        undefined,
        { 'retry-after': '1' },
      );
    }
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
