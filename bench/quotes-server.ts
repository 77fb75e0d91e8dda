// Child process for bench/quotes.ts and bench/tracing.ts: the API (tRPC + REST) on PostgreSQL, as the web
// server runs it — tracing included when OTEL_EXPORTER_OTLP_ENDPOINT is set (started before the api loads).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
const server = createServer((req, res) => {
  api(req, res).then(
    (handled) => {
      if (!handled) res.writeHead(404).end();
    },
    (err) => {
      console.error(err);
      res.writeHead(500).end();
    },
  );
});
let cpuAtListen = process.cpuUsage();
server.listen(0, '127.0.0.1', () => {
  cpuAtListen = process.cpuUsage();
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
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
