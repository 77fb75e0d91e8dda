/**
 * Dynamic micro-batching: requests that arrive within `maxWaitMs` of each other (up to `maxBatch`) are
 * run through the model as one batch. The queue is bounded; a full queue rejects at once (the HTTP layer
 * answers 429) instead of letting latency grow without limit.
 */

export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  constructor(
    readonly depth: number,
    readonly max: number,
  ) {
    super(`queue is full (${depth}/${max} items waiting); retry later`);
  }
}

export class BatcherClosedError extends Error {
  override readonly name = 'BatcherClosedError';
  constructor() {
    super('service is shutting down and no longer accepts work');
  }
}

export interface MicroBatcherOptions<I, O> {
  /** Runs one batch; must return exactly one output per input, in order. */
  process: (items: I[]) => Promise<O[]>;
  maxBatch?: number;
  maxWaitMs?: number;
  /** Most items allowed to wait (not yet in a running batch). */
  maxQueue?: number;
  /** Batches run at the same time (1 = a model session is used by one batch at a time). */
  concurrency?: number;
  /** Called after each batch with its size and duration (metrics). */
  onBatch?: (size: number, durationMs: number, error?: unknown) => void;
  /** Called whenever the number of waiting items changes. */
  onDepth?: (depth: number) => void;
}

interface Pending<I, O> {
  item: I;
  enqueuedAt: number;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class MicroBatcher<I, O> {
  readonly maxBatch: number;
  readonly maxWaitMs: number;
  readonly maxQueue: number;
  readonly concurrency: number;
  private readonly queue: Pending<I, O>[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private flushing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: MicroBatcherOptions<I, O>) {
    this.maxBatch = options.maxBatch ?? 32;
    this.maxWaitMs = options.maxWaitMs ?? 4;
    this.maxQueue = options.maxQueue ?? 1024;
    this.concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new RangeError('maxBatch must be >= 1');
    if (!(this.maxWaitMs >= 0)) throw new RangeError('maxWaitMs must be >= 0');
    if (!Number.isInteger(this.maxQueue) || this.maxQueue < 1) throw new RangeError('maxQueue must be >= 1');
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError('concurrency must be >= 1');
    }
  }

  /** Items waiting for a batch. */
  get depth(): number {
    return this.queue.length;
  }

  /** Batches currently running. */
  get inFlight(): number {
    return this.running;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  submit(item: I): Promise<O> {
    return this.submitMany([item]).then((r) => r[0] as O);
  }

  /**
   * Enqueues several items at once: either all of them are accepted or, when they do not fit in the queue,
   * none is (so one request never gets half its items processed).
   */
  submitMany(items: readonly I[]): Promise<O[]> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    if (this.queue.length + items.length > this.maxQueue) {
      return Promise.reject(new QueueFullError(this.queue.length, this.maxQueue));
    }
    const now = performance.now();
    const promises = items.map(
      (item) =>
        new Promise<O>((resolve, reject) => {
          this.queue.push({ item, enqueuedAt: now, resolve, reject });
        }),
    );
    this.options.onDepth?.(this.queue.length);
    this.schedule();
    return Promise.all(promises);
  }

  /** From now on runs batches as soon as items arrive (no waiting to fill); still accepts work. */
  flushEagerly(): void {
    this.flushing = true;
    this.schedule();
  }

  /** Stops accepting work, runs everything already queued at once, and resolves when all batches ended. */
  async drain(): Promise<void> {
    this.closed = true;
    this.schedule();
    if (this.queue.length === 0 && this.running === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const oldest = this.queue[0] as Pending<I, O>;
      const waited = performance.now() - oldest.enqueuedAt;
      // Flush when a batch is full, the oldest item waited long enough, or we are draining.
      if (this.queue.length >= this.maxBatch || waited >= this.maxWaitMs || this.closed || this.flushing) {
        this.clearTimer();
        this.runBatch(this.queue.splice(0, this.maxBatch));
        continue;
      }
      if (!this.timer) {
        this.timer = setTimeout(
          () => {
            this.timer = undefined;
            this.schedule();
          },
          Math.max(0, this.maxWaitMs - waited),
        );
      }
      return;
    }
    if (this.queue.length === 0) this.clearTimer();
    if (this.queue.length === 0 && this.running === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private runBatch(batch: Pending<I, O>[]): void {
    this.running += 1;
    this.options.onDepth?.(this.queue.length);
    const started = performance.now();
    const finish = (error?: unknown) => {
      this.running -= 1;
      this.options.onBatch?.(batch.length, performance.now() - started, error);
      this.schedule();
    };
    let call: Promise<O[]>;
    try {
      call = this.options.process(batch.map((p) => p.item));
    } catch (error) {
      call = Promise.reject(error);
    }
    call.then(
      (outputs) => {
        if (!Array.isArray(outputs) || outputs.length !== batch.length) {
          const error = new Error(
            `batch processor returned ${Array.isArray(outputs) ? outputs.length : typeof outputs} outputs for ${batch.length} inputs`,
          );
          for (const p of batch) p.reject(error);
          finish(error);
          return;
        }
        batch.forEach((p, i) => {
          p.resolve(outputs[i] as O);
        });
        finish();
      },
      (error: unknown) => {
        for (const p of batch) p.reject(error);
        finish(error);
      },
    );
  }
}
