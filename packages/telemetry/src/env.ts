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
 * The OpenTelemetry variables each app validates in its own env.ts (spread into its schema). The SDK reads
 * the other standard OTEL_* variables itself (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER,
 * OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*, …).
 */
export const telemetryEnvShape = {
  /** Base URL of an OTLP/HTTP receiver (e.g. http://127.0.0.1:4318); unset = tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** Full URL for traces only (…/v1/traces); overrides the base endpoint. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
  OTEL_SERVICE_NAME: z.string().optional().transform(blankToUndefined),
  OTEL_SDK_DISABLED: z
    .enum(['true', 'false', ''])
    .optional()
    .transform((v) => v === 'true'),
};

export const ZTelemetryEnv = z.object(telemetryEnvShape);
export type TelemetryEnv = z.infer<typeof ZTelemetryEnv>;

export interface TelemetryConfig {
  /** False when no endpoint is set (or OTEL_SDK_DISABLED=true): the SDK is not even loaded. */
  enabled: boolean;
  serviceName: string;
  protocol: 'http/json' | 'http/protobuf';
}

/** What `startTelemetry` needs, from the validated variables and the process's default service name. */
export function telemetryConfig(env: TelemetryEnv, defaultServiceName: string): TelemetryConfig {
  return {
    enabled:
      !env.OTEL_SDK_DISABLED &&
      (env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined),
    serviceName: env.OTEL_SERVICE_NAME ?? defaultServiceName,
    // OTLP/HTTP's default encoding is protobuf (OpenTelemetry exporter specification)
    protocol: env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
  };
}
