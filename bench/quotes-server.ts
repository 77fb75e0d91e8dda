// Child process for bench/quotes.ts and bench/tracing.ts: the API (tRPC + REST) on PostgreSQL, as the web
// server runs it — tracing included when OTEL_EXPORTER_OTLP_ENDPOINT is set (started before the api loads).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startTelemetry, telemetryConfig, ZTelemetryEnv } from '@investiq/telemetry';

// BENCH_EXPERIMENT=als: no tracing, only an AsyncLocalStorage in use (Node 20 then runs promise hooks on
// every promise) — the share of tracing's cost that context propagation alone would explain
const alsOnly = process.env.BENCH_EXPERIMENT === 'als';
if (alsOnly) new (await import('node:async_hooks')).AsyncLocalStorage().enterWith({ experiment: true });
const telemetry = await startTelemetry(
  // as apps/web/server.ts: no instrumentation-http server spans unless TRACE_HTTP_SERVER_SPANS=true
  telemetryConfig(ZTelemetryEnv.parse(alsOnly ? {} : process.env), 'investiq-web', {
    httpServerSpans: false,
  }),
);
const { createLogger, createRuntime } = await import('@investiq/api');
const { createApiHandler } = await import('@investiq/api/http');

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL missing');
const rt = await createRuntime(
  {
    databaseUrl: url,
    dataDir: 'unused',
    provider: 'demo',
    demo: { seed: 1, alwaysOpen: true },
    collector: { enabled: false, intervalMs: 1000 },
    quotes: { defaultMaxAgeSeconds: 3600, retentionDays: 30, historyYears: 1, maxIngestRows: 10_000 },
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'silent',
  },
  { log: createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }), onProgress: () => {} },
);
const api = createApiHandler(rt);
// BENCH_WITH_NEXT=1: also load the production Next.js app (apps/web/.next, `npx next build` first) and serve
// pages as apps/web/server.ts does, with one page rendered before the measurement — the web process then has
// Next's AsyncLocalStorage in use, as every web process has after its first page, tracing or not.
let pages: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null = null;
if (process.env.BENCH_WITH_NEXT === '1') {
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: fileURLToPath(new URL('../apps/web', import.meta.url)) });
  await app.prepare();
  pages = app.getRequestHandler();
}
const server = createServer((req, res) => {
  api(req, res).then(
    (handled) => {
      if (!handled) {
        if (pages) void pages(req, res);
        else res.writeHead(404).end();
      }
    },
    (err) => {
      console.error(err);
      res.writeHead(500).end();
    },
  );
});
let cpuAtListen = process.cpuUsage();
server.listen(0, '127.0.0.1', async () => {
  const port = (server.address() as AddressInfo).port;
  if (pages) {
    const res = await fetch(`http://127.0.0.1:${port}/login`);
    if (!res.ok) throw new Error(`the login page answered ${res.status}`);
    await res.text();
  }
  cpuAtListen = process.cpuUsage();
  process.stdout.write(`PORT ${port}\n`);
});
process.on('SIGTERM', () => {
  // CPU this process spent serving (start-up excluded): bench/quotes.ts divides it by the requests
  const cpu = process.cpuUsage(cpuAtListen);
  process.stdout.write(`CPU_US ${cpu.user + cpu.system}\n`);
  server.close();
  void rt
    .close()
    .then(() => telemetry.shutdown())
    .catch(() => {})
    .then(() => process.exit(0));
});
