/** `npm run collector`: the quote collector as its own process, against PostgreSQL (DATABASE_URL). */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startTelemetry, telemetryConfig } from '@investiq/telemetry';
import { loadEnv, runtimeConfigFromEnv } from '../env';

async function main() {
  const env = loadEnv();
  if (!env.DATABASE_URL) {
    console.error(
      'The standalone collector needs DATABASE_URL (PostgreSQL). On the embedded default (PGlite) the collector runs inside the web server: use `npm start`.',
    );
    process.exit(2);
  }
  // Tracing starts before the instrumented modules (pg) load, hence the dynamic import.
  const telemetry = await startTelemetry(telemetryConfig(env, 'investiq-collector'));
  const { createLogger, createRuntime } = await import('@investiq/api');
  const log = createLogger({ level: env.LOG_LEVEL, name: 'collector' });
  const rt = await createRuntime(runtimeConfigFromEnv(env, { collector: true }), {
    log,
    onProgress: (msg) => log.info(`startup: ${msg}`),
  });
  log.info(
    { database: rt.db.describe(), intervalMs: env.COLLECTOR_INTERVAL_MS, role: rt.collector.status().role },
    'collector running',
  );
  // Status file for container health checks (docker-compose.jetson.yml): rewritten every interval.
  const statusFile = path.join(os.tmpdir(), 'investiq-collector.json');
  const heartbeat = setInterval(() => {
    writeFile(statusFile, JSON.stringify(rt.collector.status())).catch(() => {});
  }, env.COLLECTOR_INTERVAL_MS);
  // Prometheus metrics of this process (collector ticks, ingest lag, breaker), for deploy/prometheus.
  const metricsServer = env.COLLECTOR_METRICS_PORT
    ? createServer((req, res) => {
        if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics')
          return void res.writeHead(404).end();
        rt.metrics.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': rt.metrics.registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      }).listen(env.COLLECTOR_METRICS_PORT, env.COLLECTOR_METRICS_HOST)
    : null;
  const stop = async () => {
    clearInterval(heartbeat);
    metricsServer?.close();
    await rt.close();
    await telemetry.shutdown().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(`collector failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
