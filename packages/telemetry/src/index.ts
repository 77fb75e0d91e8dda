import {
  type Attributes,
  context,
  isSpanContextValid,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import type { TelemetryConfig } from './env';

export {
  type TelemetryConfig,
  type TelemetryEnv,
  telemetryConfig,
  telemetryEnvShape,
  ZTelemetryEnv,
} from './env';

export interface Telemetry {
  enabled: boolean;
  serviceName: string;
  /** Flushes pending spans and stops exporting (idempotent). */
  shutdown(): Promise<void>;
}

// Set once the SDK runs in this process: with tracing off every helper below is one boolean test.
let active = false;
const tracer = () => trace.getTracer('investiq');

/**
 * Starts tracing for this process — call it before importing anything to be instrumented (http, pg,
 * fastify, undici), then load the app with `await import(...)`. With tracing off the SDK is not loaded.
 */
export async function startTelemetry(config: TelemetryConfig): Promise<Telemetry> {
  if (!config.enabled || active) {
    return { enabled: active, serviceName: config.serviceName, shutdown: async () => {} };
  }
  const { startSdk } = await import('./sdk');
  const stop = await startSdk(config);
  active = true;
  let stopping: Promise<void> | undefined;
  return {
    enabled: true,
    serviceName: config.serviceName,
    shutdown: () => {
      stopping ??= stop().finally(() => {
        active = false;
      });
      return stopping;
    },
  };
}

export function tracingActive(): boolean {
  return active;
}

/**
 * A span of a trace nobody records: a local span the sampler dropped, or a caller's span (`traceparent`) whose
 * sampled flag is off. A caller's sampled span is not recorded here either, but its trace is.
 */
function inDroppedTrace(span: Span): boolean {
  if (span.isRecording()) return false;
  const ctx = span.spanContext();
  return !ctx.isRemote || (ctx.traceFlags & TraceFlags.SAMPLED) === 0;
}

/** Runs `fn` inside a child span of the current one (errors recorded, rethrown); just `fn()` when off. */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: () => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!active) return fn();
  // Inside a trace the sampler dropped, a child would be dropped too (every standard sampler decides by the
  // parent or the trace id): skip making it. The trace id, and what is propagated, stay the parent's.
  const parent = trace.getActiveSpan();
  if (parent && inDroppedTrace(parent)) return fn();
  return tracer().startActiveSpan(name, { attributes, kind }, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message ?? String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * The span of one API call handled by this process: SERVER kind when it starts the process's part of the trace
 * (no local parent: a root, or a child of the caller's `traceparent` put in place by `withIncomingContext`),
 * else an ordinary child (a tRPC procedure called from server code). Used where instrumentation-http's server
 * span is off (the web process; TelemetryConfig.httpServerSpans).
 */
export function withServerSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  if (!active) return fn();
  const parent = trace.getActiveSpan();
  const kind = !parent || parent.spanContext().isRemote ? SpanKind.SERVER : SpanKind.INTERNAL;
  return withSpan(name, attributes, fn, kind);
}

/**
 * Runs `fn` in the context the caller sent (W3C `traceparent`/`tracestate`, or whatever propagator is set),
 * so the spans `fn` starts continue the caller's trace. Just `fn()` when tracing is off or nothing was sent.
 */
export function withIncomingContext<T>(
  headers: Record<string, string | string[] | undefined>,
  fn: () => T,
): T {
  if (!active || headers.traceparent === undefined) return fn();
  return context.with(propagation.extract(context.active(), headers), fn);
}

/** Like `withSpan`, but only inside a traced operation (as the pg instrumentation's requireParentSpan). */
export function withChildSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  if (!active || !trace.getActiveSpan()) return fn();
  return withSpan(name, attributes, fn);
}

/**
 * Runs `fn(...args)` with no span in its context when the current trace was dropped by the sampler, else
 * just `fn(...args)`. Instrumentations that want a parent (pg's `requireParentSpan`) then skip their work for
 * calls in a trace that records nothing anyway. Only for calls that propagate nothing (SQL); a trailing
 * callback keeps the caller's context.
 */
export function outsideDroppedTrace<A extends unknown[], T>(fn: (...args: A) => T, args: A): T {
  if (!active) return fn(...args);
  const span = trace.getActiveSpan();
  if (!span || !inDroppedTrace(span)) return fn(...args);
  const caller = context.active();
  const last = args.length - 1;
  if (typeof args[last] === 'function') args[last] = context.bind(caller, args[last] as () => void);
  return context.with(trace.deleteSpan(caller), () => fn(...args));
}

/** `cb` bound to the current context when tracing is on (a callback queued by a pool runs in its caller's trace). */
export function inCurrentContext<F extends (...args: never[]) => unknown>(cb: F): F {
  return active ? context.bind(context.active(), cb) : cb;
}

/**
 * The trace id of the current span (32 hex) when its trace is recorded (sampled), else null: tracing off,
 * nothing traced, or a trace the sampler dropped — a report's lineage names only a trace that exists.
 */
export function currentTraceId(): string | null {
  if (!active) return null;
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) && (ctx.traceFlags & TraceFlags.SAMPLED) !== 0 ? ctx.traceId : null;
}

/** pino `mixin`: puts traceId/spanId on every log line written inside a span (sampled or not: correlation). */
export function traceLogFields(): { traceId?: string; spanId?: string } {
  if (!active) return {};
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? { traceId: ctx.traceId, spanId: ctx.spanId } : {};
}
