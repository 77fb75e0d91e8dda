import { MARKETS } from '@investiq/contracts';
import { isMarketOpen } from '@investiq/market';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { breakerStates } from '../resilience';

/** `investiq_breaker_state` values (alert rules compare against them). */
export const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2, isolated: 3 } as const;

/** One registry per process; each metric declared once here. */
/**
 * What the provider gauges read at scrape time; set by the runtime once the provider set exists (the
 * metrics are created first).
 */
export interface ProviderMetricsSource {
  budgetRatios(): Promise<{ provider: string; window: 'minute' | 'day'; ratio: number }[]>;
  breakerStates(): { provider: string; state: keyof typeof BREAKER_STATE_VALUE }[];
}

export function createMetrics() {
  const registry = new Registry();
  const providerSource: { current: ProviderMetricsSource | null } = { current: null };
  // circuit breaker states by policy name, read at scrape time (set once the policies exist)
  collectDefaultMetrics({ register: registry, prefix: 'investiq_' });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'investiq_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    quotesIngested: new Counter({
      name: 'investiq_quotes_ingested_total',
      help: 'Quote rows written (duplicates excluded)',
      labelNames: ['path'] as const,
      registers: [registry],
    }),
    quotesDuplicates: new Counter({
      name: 'investiq_quotes_duplicate_total',
      help: 'Quote rows skipped because (market, symbol, ts, source) already existed',
      labelNames: ['path'] as const,
      registers: [registry],
    }),
    ingestRejected: new Counter({
      name: 'investiq_quotes_ingest_rejected_total',
      help: 'Ingest batches rejected for bad input',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    collectorTicks: new Counter({
      name: 'investiq_collector_ticks_total',
      help: 'Collector polls by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    collectorLastSuccess: new Gauge({
      name: 'investiq_collector_last_success_timestamp_seconds',
      help: 'Unix time of the last successful collector poll',
      registers: [registry],
    }),
    marketLastQuote: new Gauge({
      name: 'investiq_market_last_quote_timestamp_seconds',
      help: 'Unix time of the newest quote ingested by this process, per market',
      labelNames: ['market'] as const,
      registers: [registry],
    }),
    ingestLag: new Histogram({
      name: 'investiq_quote_ingest_lag_seconds',
      help: 'Seconds from the newest quote time in a batch to its commit',
      labelNames: ['path'] as const,
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers: [registry],
    }),
    marketSessionOpen: new Gauge({
      name: 'investiq_market_session_open',
      help: "1 while the market's exchange is in session (exchange calendar), else 0",
      labelNames: ['market'] as const,
      registers: [registry],
      collect() {
        const now = new Date();
        for (const m of MARKETS) this.set({ market: m }, isMarketOpen(m, now) ? 1 : 0);
      },
    }),
    breakerState: new Gauge({
      name: 'investiq_breaker_state',
      help: 'Circuit breaker per policy: 0 closed, 1 half-open, 2 open, 3 isolated',
      labelNames: ['policy'] as const,
      registers: [registry],
      collect() {
        for (const b of breakerStates()) this.set({ policy: b.name }, BREAKER_STATE_VALUE[b.state]);
      },
    }),
    providerSource,
    providerRequests: new Counter({
      name: 'investiq_provider_requests_total',
      help: 'Market-data vendor calls by provider and outcome (ok, or the ProviderError kind)',
      labelNames: ['provider', 'outcome'] as const,
      registers: [registry],
    }),
    providerDuration: new Histogram({
      name: 'investiq_provider_request_duration_seconds',
      help: 'Duration of market-data vendor calls',
      labelNames: ['provider'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    providerBudgetUsed: new Gauge({
      name: 'investiq_provider_budget_used_ratio',
      help: 'Share of the provider request budget spent in the current window (minute|day), 0..1',
      labelNames: ['provider', 'window'] as const,
      registers: [registry],
      async collect() {
        const src = providerSource.current;
        if (!src) return;
        try {
          for (const u of await src.budgetRatios())
            this.set({ provider: u.provider, window: u.window }, u.ratio);
        } catch {
          // the budget store is down: keep the last values (the calls themselves are refused)
        }
      },
    }),
    providerBreakerState: new Gauge({
      name: 'investiq_provider_breaker_state',
      help: 'Circuit breaker per market-data provider: 0 closed, 1 half-open, 2 open',
      labelNames: ['provider'] as const,
      registers: [registry],
      collect() {
        for (const b of providerSource.current?.breakerStates() ?? [])
          this.set({ provider: b.provider }, BREAKER_STATE_VALUE[b.state]);
      },
    }),
    sseStreams: new Gauge({
      name: 'investiq_sse_streams',
      help: 'Open SSE streams (tRPC subscriptions) admitted by the stream guard',
      registers: [registry],
    }),
    liveSubscribers: new Gauge({
      name: 'investiq_live_quote_subscribers',
      help: 'Open live-quote subscriptions',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** After a committed ingest batch: rows written/skipped, per-market newest quote time, and lag to commit. */
export function recordIngest(
  metrics: Metrics,
  path: 'collector' | 'http',
  rows: readonly { market: string; ts: Date }[],
  result: { inserted: number; duplicates: number },
  committedAt: Date,
): void {
  metrics.quotesIngested.inc({ path }, result.inserted);
  metrics.quotesDuplicates.inc({ path }, result.duplicates);
  const newest = new Map<string, number>();
  for (const r of rows) newest.set(r.market, Math.max(newest.get(r.market) ?? 0, r.ts.getTime()));
  let latest = 0;
  for (const [market, t] of newest) {
    metrics.marketLastQuote.set({ market }, t / 1000);
    latest = Math.max(latest, t);
  }
  if (latest > 0) metrics.ingestLag.observe({ path }, Math.max(0, committedAt.getTime() - latest) / 1000);
}
