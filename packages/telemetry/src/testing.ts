import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, TraceFlags, trace } from '@opentelemetry/api';

/** One span as received over OTLP/HTTP JSON, with the service that sent it. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** Base URL to put in OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  /** Export requests received, by content type (protobuf bodies are counted, not decoded). */
  requests: Map<string, number>;
  close(): Promise<void>;
}

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface JsonExport {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: { key: string; value: AnyValue }[];
      }[];
    }[];
  }[];
}

const plain = (v: AnyValue) => v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue ?? null;
const attrs = (list: { key: string; value: AnyValue }[] = []) =>
  Object.fromEntries(list.map((a) => [a.key, plain(a.value)]));

/** A local OTLP/HTTP trace receiver (POST /v1/traces) for tests and benchmarks, on 127.0.0.1:0. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const type = (req.headers['content-type'] ?? '').split(';')[0]!;
      requests.set(type, (requests.get(type) ?? 0) + 1);
      if (type === 'application/json') {
        let body: JsonExport;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonExport;
        } catch {
          res.writeHead(400).end();
          return;
        }
        for (const rs of body.resourceSpans ?? []) {
          const service = String(attrs(rs.resource?.attributes)['service.name'] ?? '');
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({
                service,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId || null,
                name: s.name,
                kind: s.kind,
                attributes: attrs(s.attributes),
              });
        }
      }
      res
        .writeHead(200, { 'content-type': type || 'application/json' })
        .end(type === 'application/json' ? '{}' : '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Runs `fn` inside a trace the sampler dropped (as under a caller's `traceparent` with the sampled flag 0). */
export function inDroppedTrace<T>(fn: () => T, traceId = 'ab'.repeat(16)): T {
  const dropped = trace.wrapSpanContext({ traceId, spanId: 'cd'.repeat(8), traceFlags: TraceFlags.NONE });
  return context.with(trace.setSpan(context.active(), dropped), fn);
}
