import { describe, expect, it } from 'vitest';
import { telemetryConfig, ZTelemetryEnv } from './env';
import { currentTraceId, startTelemetry, traceLogFields, tracingActive, withSpan } from './index';
import { startOtlpReceiver } from './testing';

describe('telemetry env', () => {
  it('is off without an endpoint, and names the service by default', () => {
    const c = telemetryConfig(ZTelemetryEnv.parse({}), 'investiq-web');
    expect(c).toEqual({ enabled: false, serviceName: 'investiq-web', protocol: 'http/protobuf' });
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
  });
});

describe('startTelemetry', () => {
  it('does nothing when off: no trace ids, spans are plain calls', async () => {
    const t = await startTelemetry({ enabled: false, serviceName: 'x', protocol: 'http/json' });
    expect(t.enabled).toBe(false);
    expect(tracingActive()).toBe(false);
    expect(await withSpan('s', {}, async () => currentTraceId())).toBeNull();
    expect(traceLogFields()).toEqual({});
  });

  it('exports spans as OTLP/HTTP JSON to the endpoint, nested, with the service name', async () => {
    const receiver = await startOtlpReceiver();
    // the exporter reads its URL from the standard variable, as in every process
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    const t = await startTelemetry({ enabled: true, serviceName: 'investiq-test', protocol: 'http/json' });
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
      await t.shutdown();
      const mine = receiver.spans.filter((s) => s.traceId === outer);
      expect(mine.map((s) => s.name).sort()).toEqual(['inner', 'outer']);
      const o = mine.find((s) => s.name === 'outer')!;
      expect(mine.find((s) => s.name === 'inner')!.parentSpanId).toBe(o.spanId);
      expect(o.service).toBe('investiq-test');
      expect(o.attributes['x.kind']).toBe('test');
      expect(receiver.spans.some((s) => s.name === 'failing')).toBe(true);
    } finally {
      await t.shutdown();
      await receiver.close();
    }
  });
});
