// Loaded only when tracing is on (dynamic import from startTelemetry).
import { createRequire } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { TelemetryConfig } from './env';
import { defaultSampler } from './sampler';

// Scrapes, probes and Next.js static assets would drown the traces that matter (and each costs a span).
const QUIET_PATHS = /^\/((api\/)?(metrics|health)(\?|$)|_next\/(static\/|image(\?|$))|favicon\.ico)/;

export async function startSdk(config: TelemetryConfig): Promise<() => Promise<void>> {
  // Both exporters read OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT / _HEADERS / _TIMEOUT themselves.
  const { OTLPTraceExporter } =
    config.protocol === 'http/json'
      ? await import('@opentelemetry/exporter-trace-otlp-http')
      : await import('@opentelemetry/exporter-trace-otlp-proto');
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    traceExporter: new OTLPTraceExporter(),
    // undefined: the SDK builds OTEL_TRACES_SAMPLER (with OTEL_TRACES_SAMPLER_ARG) as the specification says
    sampler: config.sampler === 'env' ? undefined : defaultSampler(config.sampler.ratio),
    // Traces only: metrics stay with prom-client (/metrics) and logs with pino. Without these the SDK would
    // also start OTLP metric and log exporters by default — measurable cost for nothing.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // off in the web process (see TelemetryConfig.httpServerSpans): outgoing calls are still instrumented
        disableIncomingRequestInstrumentation: !config.httpServerSpans,
        ignoreIncomingRequestHook: (req) => QUIET_PATHS.test(req.url ?? ''),
      }),
      new UndiciInstrumentation(),
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        ignorePaths: (opts) => QUIET_PATHS.test(opts.url),
      }),
      // SQL only inside a traced operation, not every background poll; a span per query, not per checkout
      // (no bind values on spans: enhancedDatabaseReporting stays off — cost, and values may be personal)
      new PgInstrumentation({
        requireParentSpan: true,
        ignoreConnectSpans: true,
        enhancedDatabaseReporting: false,
      }),
    ],
  });
  sdk.start();
  // Built-ins imported from ESM are not seen by the require hook: load them once through require so the
  // shared module objects (http.Server.prototype, http.request) get patched.
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  return () => sdk.shutdown();
}
