import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceName } from '../config';

/** One Prometheus registry per service, so four services in one process still expose separate metrics. */
export function createMetrics(service: ServiceName) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'investiq_inference_' });
  return {
    registry,
    requestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'inference_batch_size',
      help: 'Items per model batch (micro-batching)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    batchDuration: new Histogram({
      name: 'inference_batch_duration_seconds',
      help: 'Time to run one model batch',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'inference_queue_depth',
      help: 'Items waiting for a batch, a worker or an upstream slot',
      registers: [registry],
    }),
    errors: new Counter({
      name: 'inference_errors_total',
      help: 'Error responses by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    llmPromptTokens: new Counter({
      name: 'llm_prompt_tokens_total',
      help: 'Prompt tokens reported by the LLM upstream',
      registers: [registry],
    }),
    llmCompletionTokens: new Counter({
      name: 'llm_completion_tokens_total',
      help: 'Completion tokens (from upstream usage, or counted content chunks when streaming without usage)',
      registers: [registry],
    }),
  };
}

export type ServiceMetrics = ReturnType<typeof createMetrics>;
