import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { type DataProvider, ProviderSet, type SymbolRef } from '@investiq/market';
import { withSpan } from '@investiq/telemetry';
import type { Logger } from '../observability/logger';
import { type Metrics, recordIngest } from '../observability/metrics';
import { validateAndIngest } from '../quotes/ingest-pipeline';
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
  /** Per market: its refresh plan, session and who answered last. */
  markets: CollectorMarketStatus[];
}

export interface CollectorMarketStatus {
  market: TMarket;
  symbols: number;
  intervalMs: number;
  limitedBy: 'collector' | 'minute' | 'day';
  /** The primary quotes provider whose budget set the interval. */
  provider: string | null;
  /** false: the budget cannot keep these symbols inside the freshness limit. */
  keepsFresh: boolean;
  freshnessSeconds: number;
  /** Symbols of every market sharing the provider's budget. */
  budgetSymbols: number;
  inSession: boolean;
  lastPolledAt: string | null;
  lastSource: string | null;
  lastError: string | null;
}

/** How often one market may be polled (from its primary provider's budget, see providers/plan-refresh.ts). */
export interface MarketPlan {
  intervalMs: number;
  /** Symbols of every market sharing this provider's budget (default: this market's). */
  budgetSymbols?: number;
  limitedBy: CollectorMarketStatus['limitedBy'];
  provider: string | null;
  keepsFresh: boolean;
  freshnessSeconds: number;
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
  /**
   * Wrap polls in the collector's own policy (timeout, retries, breaker; default true). A provider chain
   * has per-provider timeouts, breakers and failover, and one market's outage must not trip a breaker
   * shared with the others: the runtime passes false.
   */
  ownPolicy?: boolean;
  /**
   * Refresh plan of a market, given the watched symbols of every market (a provider that is primary for
   * several markets spends one budget on all of them). Default: every tick.
   */
  plan?: (market: TMarket, symbolsByMarket: ReadonlyMap<TMarket, number>) => Promise<MarketPlan>;
  /** Is `market` to be polled now (COLLECTOR_SESSIONS=exchange: only in session)? Default: always. */
  inSession?: (market: TMarket, at: Date) => boolean;
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
  private readonly perMarket = new Map<
    TMarket,
    {
      plan: MarketPlan;
      symbols: number;
      inSession: boolean;
      wasInSession: boolean;
      lastPolledAt: Date | null;
      lastSource: string | null;
      lastError: string | null;
    }
  >();
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
      markets: [...this.perMarket.entries()].map(([market, m]) => ({
        market,
        symbols: m.symbols,
        intervalMs: m.plan.intervalMs,
        limitedBy: m.plan.limitedBy,
        provider: m.plan.provider,
        keepsFresh: m.plan.keepsFresh,
        freshnessSeconds: m.plan.freshnessSeconds,
        budgetSymbols: m.plan.budgetSymbols ?? m.symbols,
        inSession: m.inSession,
        lastPolledAt: m.lastPolledAt?.toISOString() ?? null,
        lastSource: m.lastSource,
        lastError: m.lastError,
      })),
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

  /**
   * Poll every market that is due (its refresh interval elapsed) and in session, each through its own
   * chain, so one market's outage never holds back another's quotes.
   */
  private async poll(): Promise<{ inserted: number; duplicates: number }> {
    this.ticks += 1;
    this.lastTickAt = this.now();
    try {
      const refs = await this.deps.symbols();
      this.symbolCount = refs.length;
      const due: [TMarket, SymbolRef[]][] = [];
      const groups = ProviderSet.byMarket(refs);
      const counts = new Map([...groups].map(([m, list]) => [m, list.length] as const));
      for (const [market, list] of groups) {
        if (await this.isDue(market, counts)) due.push([market, list]);
      }
      let inserted = 0;
      let duplicates = 0;
      const errors: string[] = [];
      for (const [market, list] of due) {
        const m = this.perMarket.get(market)!;
        m.lastPolledAt = this.now();
        try {
          const res = await this.pollMarket(list);
          inserted += res.inserted;
          duplicates += res.duplicates;
          m.lastSource = res.source;
          m.lastError = null;
        } catch (err) {
          m.lastError = err instanceof Error ? err.message : String(err);
          errors.push(`${market}: ${m.lastError}`);
        }
      }
      if (errors.length > 0 && errors.length === due.length) throw new Error(errors.join('; '));
      this.lastSuccessAt = this.now();
      this.lastError = errors.length > 0 ? errors.join('; ') : null;
      this.lastInserted = inserted;
      this.deps.metrics?.collectorTicks.inc({ outcome: errors.length > 0 ? 'error' : 'ok' });
      this.deps.metrics?.collectorLastSuccess.set(this.lastSuccessAt.getTime() / 1000);
      if (errors.length > 0) this.deps.log.warn({ err: this.lastError }, 'collector: some markets failed');
      return { inserted, duplicates };
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.deps.metrics?.collectorTicks.inc({ outcome: 'error' });
      this.deps.log.warn({ err: this.lastError }, 'collector tick failed');
      throw err;
    }
  }

  /** Session and refresh plan of one market; true when it should be polled now. */
  private async isDue(market: TMarket, counts: ReadonlyMap<TMarket, number>): Promise<boolean> {
    const now = this.now();
    const symbols = counts.get(market) ?? 0;
    const plan: MarketPlan = this.deps.plan
      ? await this.deps.plan(market, counts)
      : {
          intervalMs: 0,
          limitedBy: 'collector',
          provider: this.deps.provider.id,
          keepsFresh: true,
          freshnessSeconds: 0,
        };
    const inSession = this.deps.inSession ? this.deps.inSession(market, now) : true;
    let m = this.perMarket.get(market);
    if (!m) {
      m = {
        plan,
        symbols,
        inSession,
        wasInSession: false,
        lastPolledAt: null,
        lastSource: null,
        lastError: null,
      };
      this.perMarket.set(market, m);
    }
    m.plan = plan;
    m.symbols = symbols;
    // one poll after the close picks up the closing prices, then the market rests until it reopens
    const afterClose = !inSession && m.wasInSession;
    m.wasInSession = inSession;
    m.inSession = inSession;
    if (!inSession && !afterClose) return false;
    if (afterClose) return true;
    return m.lastPolledAt === null || now.getTime() - m.lastPolledAt.getTime() >= plan.intervalMs;
  }

  private async pollMarket(
    refs: SymbolRef[],
  ): Promise<{ inserted: number; duplicates: number; source: string | null }> {
    const quotes =
      this.deps.ownPolicy === false
        ? await this.deps.provider.getQuotes(refs)
        : await this.policy.policy.execute(() => this.deps.provider.getQuotes(refs));
    const { rows, ...res } = await validateAndIngest(this.deps.db, quotes, {
      now: this.now(),
      retentionDays:
        typeof this.deps.retentionDays === 'number'
          ? this.deps.retentionDays
          : await this.deps.retentionDays(),
      defaultSource: this.deps.provider.id,
    });
    if (this.deps.metrics) recordIngest(this.deps.metrics, 'collector', rows, res, this.now());
    return { ...res, source: quotes[0]?.source ?? null };
  }
}
