import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTelemetry, type Telemetry } from '@investiq/telemetry';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '@investiq/telemetry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../test-support/api-server';
import type { ReportView } from './types';

// One report, traced end to end: this process is the web side (the api runtime behind the real HTTP
// handler, traced as investiq-web), the four inference services run as their own processes (`node --import
// tsx src/main.ts --service X`, as e2e and deployments run them), everything exports OTLP/HTTP JSON to a
// local receiver. Real processes, real HTTP, real database (PGlite, or PostgreSQL with TEST_DATABASE_URL).

const INFERENCE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../apps/inference',
);
const NAMES = ['llm', 'sentiment', 'timeseries', 'cpu-timeseries'] as const;
type Name = (typeof NAMES)[number];
const PORT_VAR: Record<Name, string> = {
  llm: 'LLM_PORT',
  sentiment: 'SENTIMENT_PORT',
  timeseries: 'TIMESERIES_PORT',
  'cpu-timeseries': 'CPU_TIMESERIES_PORT',
};

interface Child {
  proc: ChildProcess;
  lines: string[];
  url: Promise<string>;
  exited: Promise<void>;
}

let receiver: OtlpReceiver;
let telemetry: Telemetry;
let api: ApiServer;
const children = new Map<Name, Child>();

/** The services' bearer secret (they refuse to start without one); the api side sends it. */
const TOKEN = 'tracing-test-inference-token';

function startService(name: Name, otlp: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--service', name], {
    cwd: INFERENCE_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      [PORT_VAR[name]]: '0',
      INFERENCE_HOST: '127.0.0.1',
      INFERENCE_TOKEN: TOKEN,
      LOG_LEVEL: 'info',
      LLM_UPSTREAM_URL: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: '',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      // services record only what their caller sampled (parent-based), never a root of their own here
      OTEL_TRACES_SAMPLER: '',
      OTEL_TRACES_SAMPLER_ARG: '0',
    },
  });
  const lines: string[] = [];
  let buffered = '';
  const url = new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const m = /"msg":"Server listening at (http:\/\/[^"]+)"/.exec(line);
        if (m) resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening`)));
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return { proc, lines, url, exited };
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  for (const name of NAMES) children.set(name, startService(name, receiver.url));
  // The web side: tracing starts before the runtime (and pg) is loaded, as in server.ts.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  // the default sampler at ratio 0: nothing is sampled but report runs, which must still be whole traces
  telemetry = await startTelemetry({
    enabled: true,
    serviceName: 'investiq-web',
    protocol: 'http/json',
    sampler: { ratio: 0 },
    httpServerSpans: false, // as apps/web/server.ts
  });
  // everything that loads pg comes after startTelemetry (the pg instrumentation hooks its loading)
  const { waitFor } = await import('../test-support/runtime');
  const urls = Object.fromEntries(
    await Promise.all(NAMES.map(async (n) => [n, await children.get(n)!.url] as const)),
  ) as Record<Name, string>;
  for (const n of NAMES)
    await waitFor(async () => (await fetch(`${urls[n]}/health`)).ok, 180_000, `${n} model loaded`);
  const { startApiServer } = await import('../test-support/api-server');
  api = await startApiServer({
    config: {
      inference: {
        urls,
        token: TOKEN,
        timeoutMs: { llm: 10_000, sentiment: 10_000, timeseries: 10_000, 'cpu-timeseries': 20_000 },
      },
    },
  });
}, 240_000);

afterAll(async () => {
  for (const c of children.values()) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  await api?.close();
  await telemetry?.shutdown();
  await receiver?.close();
});

/** GET over a plain socket (no client instrumentation touches its headers); resolves to the status line. */
function rawGet(base: string, path: string, headers: Record<string, string>): Promise<string> {
  const { hostname, port } = new URL(base);
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.write(`GET ${path} HTTP/1.1\r\nhost: ${hostname}\r\n${head}connection: close\r\n\r\n`),
    );
    let got = '';
    socket.on('data', (c) => {
      got += c;
    });
    socket.on('end', () => resolve(got.split('\r\n', 1)[0]!));
    socket.on('error', reject);
  });
}

/** The span and its ancestors, nearest first. */
function ancestry(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  for (let s: ReceivedSpan | undefined = span; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined)
    chain.push(s);
  return chain;
}

describe('tracing one report across processes', () => {
  it('is one trace: tRPC call → report modules → inference requests in each service, and SQL', async () => {
    const { createApiToken } = await import('../auth/api-tokens');
    const { getReport } = await import('./get-report');
    const { token } = await createApiToken(api.rt.db, { name: 'tracing', role: 'analyst' });
    const res = await fetch(`${api.base}/api/trpc/reports.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ market: 'CN', symbol: '600519.SH', language: 'en' }),
    });
    expect(res.status).toBe(200);
    const { id } = ((await res.json()) as { result: { data: { id: string } } }).result.data;
    await api.rt.reports.wait(id);
    const report: ReportView = await getReport(api.rt.db, id);
    expect(report.status).toBe('complete');
    expect(report.sections.filter((s) => s.status !== 'ok')).toEqual([]);

    // the report's lineage names its trace
    const traceId = report.lineage?.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    // a caller's sampled traceparent is continued by the procedure's and the REST route's server spans (the web
    // process has no instrumentation-http server span); an unsampled one records nothing
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const auth = { authorization: `Bearer ${token}` };
    const input = encodeURIComponent(JSON.stringify({ market: 'US', symbol: 'AAPL' }));
    for (const [path, flags] of [
      [`/api/trpc/quotes.latest?input=${input}`, '01'],
      ['/api/v1/market-data/quotes/AAPL?market=US', '01'],
      [`/api/trpc/quotes.latest?input=${input}`, '00'],
    ] as const) {
      const traceparent = `00-${flags === '01' ? callerTrace : 'ef'.repeat(16)}-${callerSpan}-${flags}`;
      // a raw request: this test process's own fetch/http client instrumentation would replace the header
      const status = await rawGet(api.base, path, { ...auth, traceparent });
      expect(status, path).toBe('HTTP/1.1 200 OK');
    }

    // flush: the web side here, each service on SIGTERM (graceful shutdown exports pending spans)
    await telemetry.shutdown();
    for (const c of children.values()) c.proc.kill('SIGTERM');
    await Promise.all([...children.values()].map((c) => c.exited));

    const spans = receiver.spans.filter((s) => s.traceId === traceId);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const services = new Set(spans.map((s) => s.service));
    for (const svc of [
      'investiq-web',
      'investiq-sentiment',
      'investiq-timeseries',
      'investiq-cpu-timeseries',
    ])
      expect(services, `spans from ${svc}`).toContain(svc);

    // web: tRPC call → report.run → one span per module
    const webSpan = (name: string) => {
      const s = spans.find((x) => x.service === 'investiq-web' && x.name === name);
      expect(s, `web span ${name}`).toBeDefined();
      return s!;
    };
    const call = webSpan('trpc reports.create');
    const reportRun = webSpan('report.run');
    expect(reportRun.attributes['report.id']).toBe(id);
    expect(ancestry(reportRun, byId)).toContain(call);
    const moduleSpans = new Map(report.modules.map((m) => [m, webSpan(`report.module ${m}`)] as const));
    for (const s of moduleSpans.values()) expect(s.parentSpanId).toBe(reportRun.spanId);

    // each service's server span hangs off the module that called it (through the web's HTTP client span)
    const calledBy: Record<string, string> = {
      'investiq-sentiment': 'sentiment',
      'investiq-timeseries': 'forecast',
      'investiq-cpu-timeseries': 'indicators',
    };
    for (const [svc, module] of Object.entries(calledBy)) {
      const served = spans.filter((s) => s.service === svc && s.kind === 2 && s.parentSpanId);
      expect(served.length, `server spans of ${svc}`).toBeGreaterThan(0);
      const fromModule = served.filter((s) => ancestry(s, byId).includes(moduleSpans.get(module as never)!));
      expect(fromModule.length, `${svc} spans under report.module ${module}`).toBeGreaterThan(0);
      const client = byId.get(fromModule[0]!.parentSpanId!)!;
      expect(client.service).toBe('investiq-web');
      expect(client.kind).toBe(3);
    }

    // SQL spans (pg instrumentation on PostgreSQL, the db package's spans on PGlite) under the web spans
    const sql = spans.filter(
      (s) => s.service === 'investiq-web' && s.attributes['db.system.name'] === 'postgresql',
    );
    expect(sql.length).toBeGreaterThan(3);
    expect(sql.some((s) => ancestry(s, byId).includes(reportRun))).toBe(true);
    expect(sql.some((s) => ancestry(s, byId).includes(call) && !ancestry(s, byId).includes(reportRun))).toBe(
      true,
    );

    const continued = receiver.spans.filter((s) => s.traceId === callerTrace);
    expect(continued.find((s) => s.name === 'trpc quotes.latest')).toMatchObject({
      service: 'investiq-web',
      kind: 2,
      parentSpanId: callerSpan,
    });
    expect(continued.find((s) => s.name === 'GET latest')).toMatchObject({
      kind: 2,
      parentSpanId: callerSpan,
    });
    expect(receiver.spans.some((s) => s.traceId === 'ef'.repeat(16))).toBe(false);

    // the services' JSON logs carry the trace id of the request they served
    for (const name of ['sentiment', 'timeseries', 'cpu-timeseries'] as const)
      expect(
        children.get(name)!.lines.some((l) => l.includes(`"traceId":"${traceId}"`)),
        `${name} logs with the trace id`,
      ).toBe(true);
  }, 180_000);
});
