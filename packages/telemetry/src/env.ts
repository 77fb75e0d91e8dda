import { z } from 'zod';

const blankToUndefined = (s: string | undefined) =>
  s === undefined || s.trim() === '' ? undefined : s.trim();
const optionalUrl = z.string().optional().transform(blankToUndefined).pipe(z.url().optional());
// gRPC is not shipped: the exporters here speak OTLP over HTTP only.
const protocol = z
  .string()
  .optional()
  .transform(blankToUndefined)
  .pipe(
    z
      .enum(['http/json', 'http/protobuf'], {
        message: "OTLP protocol must be 'http/json' or 'http/protobuf' (gRPC is not supported)",
      })
      .optional(),
  );

/**
 * The default sampler's ratio of root traces (sampler.ts; OTEL_TRACES_SAMPLER_ARG overrides it): one in ten.
 * Chosen from bench/tracing.ts (BENCHMARKS.md, Tracing).
 */
export const DEFAULT_SAMPLE_RATIO = 0.1;

/** The OTEL_TRACES_SAMPLER values the Node SDK builds (the specification's list less jaeger_remote and xray). */
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

const RATIO_MESSAGE = 'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1';

/**
 * The OpenTelemetry variables each app validates in its own env.ts (spread into its schema). The SDK reads
 * the other standard OTEL_* variables itself (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*,
 * …), and builds a set OTEL_TRACES_SAMPLER with its _ARG (both validated here).
 */
export const telemetryEnvShape = {
  /** Base URL of an OTLP/HTTP receiver (e.g. http://127.0.0.1:4318); unset = tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** Full URL for traces only (…/v1/traces); overrides the base endpoint. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
  OTEL_SERVICE_NAME: z.string().optional().transform(blankToUndefined),
  /** A standard sampler name; unset = the default sampler (sampler.ts: parent-based, report runs kept, a ratio). */
  OTEL_TRACES_SAMPLER: z
    .string()
    .optional()
    .transform(blankToUndefined)
    .pipe(
      z
        .enum(SAMPLERS, {
          message: `OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}`,
        })
        .optional(),
    ),
  /** The ratio (0–1) of the ratio samplers — OTEL_TRACES_SAMPLER's, or the default sampler's when that is unset. */
  OTEL_TRACES_SAMPLER_ARG: z
    .string()
    .optional()
    .transform((s) => {
      const v = blankToUndefined(s);
      return v === undefined ? undefined : Number(v);
    })
    .pipe(z.number({ message: RATIO_MESSAGE }).min(0, RATIO_MESSAGE).max(1, RATIO_MESSAGE).optional()),
  OTEL_SDK_DISABLED: z
    .enum(['true', 'false', ''])
    .optional()
    .transform((v) => v === 'true'),
  /**
   * InvestIQ's own switch (not an OTEL_ variable): `true` adds instrumentation-http's server span to every
   * incoming request of this process; `false` leaves it out. Unset: the process's default — on for the inference
   * services, off for the web process, whose API calls get a server span from their tRPC procedure or REST
   * route instead (BENCHMARKS.md, Tracing: instrumentation-http's per-request work was most of tracing's cost).
   */
  TRACE_HTTP_SERVER_SPANS: z
    .enum(['true', 'false', ''], { message: "TRACE_HTTP_SERVER_SPANS must be 'true' or 'false'" })
    .optional()
    .transform((v) => (v === 'true' ? true : v === 'false' ? false : undefined)),
};

export const ZTelemetryEnv = z.object(telemetryEnvShape);
export type TelemetryEnv = z.infer<typeof ZTelemetryEnv>;

export interface TelemetryConfig {
  /** False when no endpoint is set (or OTEL_SDK_DISABLED=true): the SDK is not even loaded. */
  enabled: boolean;
  serviceName: string;
  protocol: 'http/json' | 'http/protobuf';
  /**
   * Head sampling. `{ ratio }`: the default sampler (sampler.ts) — follow the caller's decision, keep every
   * report run, sample other root traces at `ratio` (OTEL_TRACES_SAMPLER_ARG, else DEFAULT_SAMPLE_RATIO).
   * `'env'`: OTEL_TRACES_SAMPLER is set, and the SDK builds that standard sampler itself.
   */
  sampler: { ratio: number } | 'env';
  /**
   * instrumentation-http's server span (and W3C extraction) for every incoming request. Off in the web process:
   * its API requests are traced from the procedure or route (`withServerSpan`, `withIncomingContext`).
   */
  httpServerSpans: boolean;
}

/** What `startTelemetry` needs, from the validated variables and the process's default service name. */
export function telemetryConfig(
  env: TelemetryEnv,
  defaultServiceName: string,
  defaults: { httpServerSpans?: boolean } = {},
): TelemetryConfig {
  return {
    enabled:
      !env.OTEL_SDK_DISABLED &&
      (env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined),
    serviceName: env.OTEL_SERVICE_NAME ?? defaultServiceName,
    // OTLP/HTTP's default encoding is protobuf (OpenTelemetry exporter specification)
    protocol: env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    sampler:
      env.OTEL_TRACES_SAMPLER !== undefined
        ? 'env'
        : { ratio: env.OTEL_TRACES_SAMPLER_ARG ?? DEFAULT_SAMPLE_RATIO },
    httpServerSpans: env.TRACE_HTTP_SERVER_SPANS ?? defaults.httpServerSpans ?? true,
  };
}
