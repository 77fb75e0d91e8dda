import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process; each metric declared once here. */
export function createMetrics() {
  const registry = new Registry();
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
