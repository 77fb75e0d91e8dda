import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process; each metric declared once here. */
export function createMetrics() {
  const registry = new Registry();
  // circuit breaker states by policy name, read at scrape time (set once the policies exist)
  let breakers: () => Record<string, string> = () => ({});
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
    breakerOpen: new Gauge({
      name: 'investiq_circuit_breaker_open',
      help: '1 while a circuit breaker is open (or isolated), 0 while closed or half-open, by policy',
      labelNames: ['policy'] as const,
      registers: [registry],
      collect() {
        for (const [policy, state] of Object.entries(breakers()))
          this.set({ policy }, state === 'open' || state === 'isolated' ? 1 : 0);
      },
    }),
    setBreakerSource(source: () => Record<string, string>) {
      breakers = source;
    },
    liveSubscribers: new Gauge({
      name: 'investiq_live_quote_subscribers',
      help: 'Open live-quote subscriptions',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
