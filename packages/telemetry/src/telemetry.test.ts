import { context, TraceFlags, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE_RATIO, telemetryConfig, ZTelemetryEnv } from './env';
import {
  currentTraceId,
  outsideDroppedTrace,
  startTelemetry,
  traceLogFields,
  tracingActive,
  withIncomingContext,
  withServerSpan,
  withSpan,
} from './index';
import { startOtlpReceiver } from './testing';

describe('telemetry env', () => {
  it('is off without an endpoint, and names the service by default', () => {
    const c = telemetryConfig(ZTelemetryEnv.parse({}), 'investiq-web');
    expect(c).toEqual({
      enabled: false,
      serviceName: 'investiq-web',
      protocol: 'http/protobuf',
      sampler: { ratio: DEFAULT_SAMPLE_RATIO },
      httpServerSpans: true,
    });
    // the process's default for instrumentation-http's server spans, and the variable that overrides it
    expect(telemetryConfig(ZTelemetryEnv.parse({}), 'w', { httpServerSpans: false }).httpServerSpans).toBe(
      false,
    );
    const on = ZTelemetryEnv.parse({ TRACE_HTTP_SERVER_SPANS: 'true' });
    expect(telemetryConfig(on, 'w', { httpServerSpans: false }).httpServerSpans).toBe(true);
    const off = ZTelemetryEnv.parse({ TRACE_HTTP_SERVER_SPANS: 'false' });
    expect(telemetryConfig(off, 'w').httpServerSpans).toBe(false);
    expect(ZTelemetryEnv.safeParse({ TRACE_HTTP_SERVER_SPANS: 'yes' }).error?.issues[0]?.message).toMatch(
      /TRACE_HTTP_SERVER_SPANS must be 'true' or 'false'/,
    );
  });

  it('honours the standard variables', () => {
    const env = ZTelemetryEnv.parse({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'mine',
    });
    expect(telemetryConfig(env, 'investiq-web')).toEqual({
      enabled: true,
      serviceName: 'mine',
      protocol: 'http/json',
      sampler: { ratio: DEFAULT_SAMPLE_RATIO },
      httpServerSpans: true,
    });
    // a standard sampler named: the SDK builds it (with its _ARG); the _ARG alone sets the default's ratio
    const named = { OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTEL_TRACES_SAMPLER_ARG: '0.5' };
    expect(telemetryConfig(ZTelemetryEnv.parse(named), 'x').sampler).toBe('env');
    expect(telemetryConfig(ZTelemetryEnv.parse({ OTEL_TRACES_SAMPLER_ARG: '0.01' }), 'x').sampler).toEqual({
      ratio: 0.01,
    });
    const disabled = ZTelemetryEnv.parse({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_SDK_DISABLED: 'true',
    });
    expect(telemetryConfig(disabled, 'x').enabled).toBe(false);
  });

  it('rejects gRPC and non-URLs with the variable named', () => {
    const bad = ZTelemetryEnv.safeParse({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(paths).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(paths).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL: .*gRPC is not supported/);
    const sampling = ZTelemetryEnv.safeParse({ OTEL_TRACES_SAMPLER: 'xray', OTEL_TRACES_SAMPLER_ARG: '10%' });
    const named = sampling.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(named).toMatch(/OTEL_TRACES_SAMPLER: .*parentbased_traceidratio/);
    expect(named).toMatch(/OTEL_TRACES_SAMPLER_ARG: .*from 0 to 1/);
    expect(ZTelemetryEnv.safeParse({ OTEL_TRACES_SAMPLER_ARG: '1.5' }).success).toBe(false);
  });
});

describe('startTelemetry', () => {
  it('does nothing when off: no trace ids, spans are plain calls', async () => {
    const t = await startTelemetry({
      enabled: false,
      serviceName: 'x',
      protocol: 'http/json',
      sampler: 'env',
      httpServerSpans: true,
    });
    expect(t.enabled).toBe(false);
    expect(tracingActive()).toBe(false);
    expect(await withSpan('s', {}, async () => currentTraceId())).toBeNull();
    expect(traceLogFields()).toEqual({});
  });

  it('exports spans as OTLP/HTTP JSON to the endpoint, nested, with the service name', async () => {
    const receiver = await startOtlpReceiver();
    // the exporter reads its URL from the standard variable, as in every process
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    const t = await startTelemetry({
      enabled: true,
      serviceName: 'investiq-test',
      protocol: 'http/json',
      sampler: { ratio: 1 },
      httpServerSpans: true,
    });
    try {
      let inner: string | null = null;
      let fields = {};
      const outer = await withSpan('outer', { 'x.kind': 'test' }, async () => {
        await withSpan('inner', {}, async () => {
          inner = currentTraceId();
          fields = traceLogFields();
        });
        return currentTraceId();
      });
      expect(outer).toMatch(/^[0-9a-f]{32}$/);
      expect(inner).toBe(outer);
      expect(fields).toMatchObject({ traceId: outer, spanId: expect.stringMatching(/^[0-9a-f]{16}$/) });
      await expect(withSpan('failing', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
        'boom',
      );
      // inside a trace the sampler dropped (sampled flag 0, as a caller's traceparent may say): no spans,
      // logs keep the caller's trace id, and a report's lineage gets none (that trace is not recorded)
      const dropped = { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: TraceFlags.NONE };
      const seen = await context.with(trace.setSpan(context.active(), trace.wrapSpanContext(dropped)), () =>
        withSpan('unsampled', {}, async () => ({ id: currentTraceId(), fields: traceLogFields() })),
      );
      expect(seen).toEqual({ id: null, fields: { traceId: dropped.traceId, spanId: dropped.spanId } });
      // SQL-like calls in a dropped trace run with no parent span (pg's requireParentSpan then skips them);
      // their callback still runs in the caller's context; in a recorded trace nothing changes
      const inDropped = trace.setSpan(context.active(), trace.wrapSpanContext(dropped));
      const calls = await context.with(inDropped, () =>
        outsideDroppedTrace(
          (x: number, cb: () => string | undefined) =>
            new Promise<[number, string | undefined, string | undefined]>((resolve) =>
              setImmediate(() => resolve([x, trace.getActiveSpan()?.spanContext().spanId, cb()])),
            ),
          [7, () => trace.getActiveSpan()?.spanContext().spanId],
        ),
      );
      expect(calls).toEqual([7, undefined, dropped.spanId]);
      const recorded = await withSpan('recorded', {}, async () =>
        outsideDroppedTrace(() => trace.getActiveSpan()?.isRecording(), []),
      );
      expect(recorded).toBe(true);
      // a caller's traceparent: a sampled one is continued by a SERVER span (its child), an unsampled one is not
      const caller = { trace: '4bf92f3577b34da6a3ce929d0e0e4736', span: '00f067aa0ba902b7' };
      const continued = await withIncomingContext(
        { traceparent: `00-${caller.trace}-${caller.span}-01` },
        () =>
          withServerSpan('GET continued', {}, async () =>
            withServerSpan('nested', {}, async () => currentTraceId()),
          ),
      );
      expect(continued).toBe(caller.trace);
      const notSampled = await withIncomingContext(
        { traceparent: `00-${'ef'.repeat(16)}-${caller.span}-00` },
        () => withServerSpan('GET not sampled', {}, async () => currentTraceId()),
      );
      expect(notSampled).toBeNull();
      expect(
        await withIncomingContext({}, () => withServerSpan('GET root', {}, async () => currentTraceId())),
      ).toMatch(/^[0-9a-f]{32}$/);
      await t.shutdown();
      const fromCaller = receiver.spans.filter((s) => s.traceId === caller.trace);
      const server = fromCaller.find((s) => s.name === 'GET continued')!;
      expect(server).toMatchObject({ kind: 2, parentSpanId: caller.span });
      // a span under a local parent is an ordinary child, not another server span
      expect(fromCaller.find((s) => s.name === 'nested')).toMatchObject({
        kind: 1,
        parentSpanId: server.spanId,
      });
      expect(receiver.spans.find((s) => s.name === 'GET root')).toMatchObject({ kind: 2 });
      expect(receiver.spans.some((s) => s.name === 'GET not sampled')).toBe(false);
      const mine = receiver.spans.filter((s) => s.traceId === outer);
      expect(mine.map((s) => s.name).sort()).toEqual(['inner', 'outer']);
      const o = mine.find((s) => s.name === 'outer')!;
      expect(mine.find((s) => s.name === 'inner')!.parentSpanId).toBe(o.spanId);
      expect(o.service).toBe('investiq-test');
      expect(o.attributes['x.kind']).toBe('test');
      expect(receiver.spans.some((s) => s.name === 'failing')).toBe(true);
      expect(receiver.spans.some((s) => s.name === 'unsampled')).toBe(false);
    } finally {
      await t.shutdown();
      await receiver.close();
    }
  });
});
