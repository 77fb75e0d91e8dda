/**
 * Fair queuing in front of a bounded resource (the worker pool, the micro-batcher, the LLM upstream): each
 * caller has its own FIFO and free slots go to callers in turn (round-robin), so a flood from one caller
 * delays another caller's request by at most one task per flooding caller, not by the whole flood. Waiting
 * is bounded overall (`maxQueue`) and per caller (`maxPerCaller`, so one caller can never fill the queue).
 */
import { BatcherClosedError, QueueFullError } from './micro-batcher';

export interface FairQueueOptions {
  /** Tasks running at once. */
  concurrency: number;
  /** Most tasks waiting across all callers. */
  maxQueue: number;
  /** Most tasks one caller may have waiting (default ¾ of maxQueue, at least 1). */
  maxPerCaller?: number;
  /** Called whenever the number of waiting tasks changes. */
  onDepth?: (depth: number) => void;
}

interface Job {
  start: () => void;
  abandon: (reason: unknown) => void;
}

export class FairQueue {
  readonly concurrency: number;
  readonly maxQueue: number;
  readonly maxPerCaller: number;
  /** Callers with waiting work, in turn order; each caller appears once. */
  private readonly turns: string[] = [];
  private readonly waiting = new Map<string, Job[]>();
  private waitingCount = 0;
  private running = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: FairQueueOptions) {
    this.concurrency = options.concurrency;
    this.maxQueue = options.maxQueue;
    this.maxPerCaller = options.maxPerCaller ?? Math.max(1, Math.ceil((options.maxQueue * 3) / 4));
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1)
      throw new RangeError('concurrency must be >= 1');
    if (!Number.isInteger(this.maxQueue) || this.maxQueue < 0) throw new RangeError('maxQueue must be >= 0');
  }

  /** Tasks waiting for a slot. */
  get depth(): number {
    return this.waitingCount;
  }

  get inFlight(): number {
    return this.running;
  }

  /** Tasks `caller` has waiting. */
  waitingFor(caller: string): number {
    return this.waiting.get(caller)?.length ?? 0;
  }

  /**
   * Runs `task` when a slot is free and it is `caller`'s turn. `signal` (a deadline) abandons the wait: the
   * task never starts and the promise rejects with the signal's reason. Once started, the task owns the signal.
   */
  run<T>(caller: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.running < this.concurrency && this.waitingCount === 0) return this.start(task);
    const mine = this.waiting.get(caller)?.length ?? 0;
    if (this.waitingCount >= this.maxQueue || mine >= this.maxPerCaller) {
      return Promise.reject(
        new QueueFullError(
          mine >= this.maxPerCaller ? mine : this.waitingCount,
          mine >= this.maxPerCaller ? this.maxPerCaller : this.maxQueue,
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => job.abandon(signal?.reason);
      const job: Job = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.start(task).then(resolve, reject);
        },
        abandon: (reason) => {
          if (!this.remove(caller, job)) return;
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const queue = this.waiting.get(caller);
      if (queue) queue.push(job);
      else {
        this.waiting.set(caller, [job]);
        this.turns.push(caller);
      }
      this.waitingCount += 1;
      this.options.onDepth?.(this.waitingCount);
    });
  }

  /** Stops accepting work; resolves when everything waiting or running has finished. */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.waitingCount === 0 && this.running === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private start<T>(task: () => Promise<T>): Promise<T> {
    this.running += 1;
    let p: Promise<T>;
    try {
      p = task();
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.finally(() => {
      this.running -= 1;
      this.dispatch();
    });
  }

  /** Gives free slots to the callers in turn. */
  private dispatch(): void {
    while (this.running < this.concurrency && this.turns.length > 0) {
      const caller = this.turns.shift() as string;
      const queue = this.waiting.get(caller) as Job[];
      const job = queue.shift() as Job;
      if (queue.length > 0) this.turns.push(caller);
      else this.waiting.delete(caller);
      this.waitingCount -= 1;
      this.options.onDepth?.(this.waitingCount);
      job.start();
    }
    if (this.waitingCount === 0 && this.running === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private remove(caller: string, job: Job): boolean {
    const queue = this.waiting.get(caller);
    const i = queue?.indexOf(job) ?? -1;
    if (!queue || i < 0) return false;
    queue.splice(i, 1);
    if (queue.length === 0) {
      this.waiting.delete(caller);
      this.turns.splice(this.turns.indexOf(caller), 1);
    }
    this.waitingCount -= 1;
    this.options.onDepth?.(this.waitingCount);
    if (this.waitingCount === 0 && this.running === 0) this.dispatch();
    return true;
  }
}
