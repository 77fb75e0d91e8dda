import { describe, expect, it } from 'vitest';
import { BatcherClosedError, MicroBatcher, QueueFullError } from './micro-batcher';

/** A processor that records the batches it saw and doubles numbers; it can be held open. */
function recorder(opts: { failWhen?: (items: number[]) => boolean } = {}) {
  const batches: number[][] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  return {
    batches,
    hold() {
      gate = new Promise<void>((r) => {
        release = r;
      });
    },
    release() {
      release?.();
      gate = undefined;
    },
    process: async (items: number[]) => {
      batches.push([...items]);
      if (gate) await gate;
      if (opts.failWhen?.(items)) throw new Error(`batch ${items.join(',')} failed`);
      return items.map((x) => x * 2);
    },
  };
}

describe('MicroBatcher', () => {
  it('groups concurrent submissions into one batch and keeps the order of results', async () => {
    const r = recorder();
    const b = new MicroBatcher({ process: r.process, maxBatch: 32, maxWaitMs: 20 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((x) => b.submit(x)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(r.batches).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('splits at maxBatch without waiting for the timer when a batch is full', async () => {
    const r = recorder();
    // A long wait proves full batches are flushed immediately: the test would time out otherwise.
    const b = new MicroBatcher({ process: r.process, maxBatch: 4, maxWaitMs: 60_000, concurrency: 2 });
    const items = Array.from({ length: 8 }, (_, i) => i);
    const results = await Promise.all(items.map((x) => b.submit(x)));
    expect(results).toEqual(items.map((x) => x * 2));
    expect(r.batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });

  it('runs a partial batch once maxWaitMs has passed', async () => {
    const r = recorder();
    const b = new MicroBatcher({ process: r.process, maxBatch: 32, maxWaitMs: 5 });
    const started = performance.now();
    await expect(b.submit(7)).resolves.toBe(14);
    expect(performance.now() - started).toBeGreaterThanOrEqual(4);
    expect(r.batches).toEqual([[7]]);
  });

  it('queues items that arrive while a batch runs and runs them as the next batch, in order', async () => {
    const r = recorder();
    r.hold();
    const b = new MicroBatcher({ process: r.process, maxBatch: 3, maxWaitMs: 0 });
    const first = b.submit(1);
    await until(() => r.batches.length === 1);
    const rest = [2, 3, 4, 5, 6].map((x) => b.submit(x));
    expect(b.depth).toBe(5);
    r.release();
    expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8, 10, 12]);
    expect(r.batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('propagates a failing batch to its own requests only', async () => {
    const r = recorder({ failWhen: (items) => items.includes(13) });
    const b = new MicroBatcher({ process: r.process, maxBatch: 2, maxWaitMs: 60_000, concurrency: 3 });
    const results = await Promise.allSettled([1, 13, 3, 4].map((x) => b.submit(x)));
    expect(r.batches).toEqual([
      [1, 13],
      [3, 4],
    ]);
    expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('batch 1,13 failed');
    // and the batcher keeps working afterwards
    await expect(b.submitMany([5, 6])).resolves.toEqual([10, 12]);
  });

  it('rejects every request of a batch when the processor returns the wrong number of outputs', async () => {
    const b = new MicroBatcher<number, number>({ process: async (items) => items.slice(1), maxWaitMs: 1 });
    await expect(Promise.all([b.submit(1), b.submit(2)])).rejects.toThrow('returned 1 outputs for 2 inputs');
  });

  it('turns a synchronous throw of the processor into rejections', async () => {
    const b = new MicroBatcher<number, number>({
      process: () => {
        throw new Error('sync boom');
      },
      maxWaitMs: 0,
    });
    await expect(b.submit(1)).rejects.toThrow('sync boom');
  });

  it('bounds the queue: a full queue rejects with QueueFullError and accepts again once it drains', async () => {
    const r = recorder();
    r.hold();
    const b = new MicroBatcher({ process: r.process, maxBatch: 1, maxWaitMs: 0, maxQueue: 2 });
    const running = b.submit(1);
    await until(() => r.batches.length === 1);
    const queued = [b.submit(2), b.submit(3)];
    const err = await b.submit(4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueFullError);
    expect((err as QueueFullError).max).toBe(2);
    // submitMany is all-or-nothing
    await expect(b.submitMany([5])).rejects.toBeInstanceOf(QueueFullError);
    r.release();
    expect(await Promise.all([running, ...queued])).toEqual([2, 4, 6]);
    await expect(b.submitMany([5, 6])).resolves.toEqual([10, 12]);
  });

  it('drain() finishes queued work without waiting for the timer, then refuses new work', async () => {
    const r = recorder();
    const b = new MicroBatcher({ process: r.process, maxBatch: 32, maxWaitMs: 60_000 });
    const pending = [b.submit(1), b.submit(2)];
    await b.drain();
    expect(await Promise.all(pending)).toEqual([2, 4]);
    expect(b.depth).toBe(0);
    expect(b.inFlight).toBe(0);
    await expect(b.submit(3)).rejects.toBeInstanceOf(BatcherClosedError);
  });

  it('drain() waits for a running batch', async () => {
    const r = recorder();
    r.hold();
    const b = new MicroBatcher({ process: r.process, maxWaitMs: 0 });
    const p = b.submit(21);
    await until(() => r.batches.length === 1);
    let drained = false;
    const d = b.drain().then(() => {
      drained = true;
    });
    await new Promise((res) => setImmediate(res));
    expect(drained).toBe(false);
    r.release();
    await d;
    expect(await p).toBe(42);
  });

  it('reports batch sizes and queue depth', async () => {
    const sizes: number[] = [];
    const depths: number[] = [];
    const b = new MicroBatcher<number, number>({
      process: async (items) => items,
      maxBatch: 2,
      maxWaitMs: 0,
      concurrency: 4,
      onBatch: (size) => sizes.push(size),
      onDepth: (d) => depths.push(d),
    });
    await b.submitMany([1, 2, 3]);
    expect(sizes.sort()).toEqual([1, 2]);
    expect(Math.max(...depths)).toBe(3);
    expect(depths.at(-1)).toBe(0);
  });

  it('validates its options', () => {
    const process = async (x: number[]) => x;
    expect(() => new MicroBatcher({ process, maxBatch: 0 })).toThrow('maxBatch');
    expect(() => new MicroBatcher({ process, maxQueue: 0 })).toThrow('maxQueue');
    expect(() => new MicroBatcher({ process, maxWaitMs: -1 })).toThrow('maxWaitMs');
  });
});

async function until(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 1));
  }
}
