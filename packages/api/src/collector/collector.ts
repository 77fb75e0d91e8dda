import type { DatabaseHandle } from '@investiq/db';
import type { DataProvider, SymbolRef } from '@investiq/market';
import { withSpan } from '@investiq/telemetry';
import type { Logger } from '../observability/logger';
import { type Metrics, recordIngest } from '../observability/metrics';
import { ingestQuotes, parseIngestBatch } from '../quotes/ingest-quotes';
import { createPolicy, type NamedPolicy } from '../resilience';
import type { LeadershipRole } from './leader';

export interface CollectorStatus {
  state: 'running' | 'paused' | 'stopped';
  provider: string;
  intervalMs: number;
  symbols: number;
  ticks: number;
  lastTickAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastInserted: number;
  breaker: string;
  /** Cluster leadership (collector/leader.ts): 'leader' polls, 'standby' waits, 'alone' on PGlite; null: not led. */
  role: LeadershipRole | null;
}

export interface CollectorDeps {
  db: DatabaseHandle;
  provider: DataProvider;
  symbols: () => Promise<SymbolRef[]>;
  intervalMs: number;
  /** A number, or a reader of the live setting (changes apply without restart). */
  retentionDays: number | (() => Promise<number>);
  log: Logger;
  metrics?: Metrics;
  now?: () => Date;
}

/**
 * Polls the provider and ingests quotes in batches, idempotently. Provider calls go through a cockatiel
 * policy (timeout, jittered retries, breaker). Pausing stops polling but keeps the process serving; readers
 * then see quotes turn stale, exactly as they would if the vendor went quiet.
 */
export class Collector {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private state: CollectorStatus['state'] = 'stopped';
  private ticks = 0;
  private lastTickAt: Date | null = null;
  private lastSuccessAt: Date | null = null;
  private lastError: string | null = null;
  private lastInserted = 0;
  private symbolCount = 0;
  private readonly policy: NamedPolicy;
  private readonly now: () => Date;
  private role: LeadershipRole | null = null;

  constructor(private readonly deps: CollectorDeps) {
    this.now = deps.now ?? (() => new Date());
    this.policy = createPolicy(`provider:${deps.provider.id}`, {
      timeoutMs: Math.max(1_000, deps.intervalMs * 2),
      retries: 2,
      breakerThreshold: 5,
      halfOpenAfterMs: 15_000,
      maxConcurrent: 1,
      maxQueue: 0,
    });
  }

  start(): void {
    if (this.state !== 'stopped') return;
    this.state = 'running';
    this.schedule(0);
  }

  pause(): CollectorStatus {
    if (this.state === 'running') this.state = 'paused';
    return this.status();
  }

  resume(): CollectorStatus {
    if (this.state === 'paused') {
      this.state = 'running';
      this.schedule(0);
    }
    return this.status();
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /** Set by collector/leader.ts. */
  setRole(role: LeadershipRole): void {
    this.role = role;
  }

  status(): CollectorStatus {
    return {
      state: this.state,
      provider: this.deps.provider.id,
      intervalMs: this.deps.intervalMs,
      symbols: this.symbolCount,
      ticks: this.ticks,
      lastTickAt: this.lastTickAt?.toISOString() ?? null,
      lastSuccessAt: this.lastSuccessAt?.toISOString() ?? null,
      lastError: this.lastError,
      lastInserted: this.lastInserted,
      breaker: this.policy.breakerState(),
      role: this.role,
    };
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.state !== 'running') return;
      this.inFlight = this.tick()
        .then(
          () => undefined,
          () => undefined, // already recorded in status and metrics
        )
        .finally(() => {
          this.inFlight = null;
          if (this.state === 'running') this.schedule(this.deps.intervalMs);
        });
    }, delay);
    this.timer.unref?.();
  }

  /** One poll → validate → ingest. Exposed for tests and the benchmark. */
  tick(): Promise<{ inserted: number; duplicates: number }> {
    return withSpan('collector.tick', { 'collector.provider': this.deps.provider.id }, () => this.poll());
  }

  private async poll(): Promise<{ inserted: number; duplicates: number }> {
    this.ticks += 1;
    this.lastTickAt = this.now();
    try {
      const refs = await this.deps.symbols();
      this.symbolCount = refs.length;
      const quotes = await this.policy.policy.execute(() => this.deps.provider.getQuotes(refs));
      const rows = parseIngestBatch(quotes, {
        now: this.now(),
        retentionDays:
          typeof this.deps.retentionDays === 'number'
            ? this.deps.retentionDays
            : await this.deps.retentionDays(),
        defaultSource: this.deps.provider.id,
      });
      const res = await ingestQuotes(this.deps.db, rows);
      this.lastSuccessAt = this.now();
      this.lastError = null;
      this.lastInserted = res.inserted;
      this.deps.metrics?.collectorTicks.inc({ outcome: 'ok' });
      this.deps.metrics?.collectorLastSuccess.set(this.lastSuccessAt.getTime() / 1000);
      if (this.deps.metrics) recordIngest(this.deps.metrics, 'collector', rows, res, this.lastSuccessAt);
      return res;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.deps.metrics?.collectorTicks.inc({ outcome: 'error' });
      this.deps.log.warn({ err: this.lastError }, 'collector tick failed');
      throw err;
    }
  }
}
