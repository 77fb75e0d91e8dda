/** `npm run collector`: the quote collector as its own process, against PostgreSQL (DATABASE_URL). */
import { writeFile } from 'node:fs/promises';
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
  log.info({ database: rt.db.describe(), intervalMs: env.COLLECTOR_INTERVAL_MS }, 'collector running');
  // Status file for container health checks (docker-compose.jetson.yml): rewritten every interval.
  const statusFile = path.join(os.tmpdir(), 'investiq-collector.json');
  const heartbeat = setInterval(() => {
    writeFile(statusFile, JSON.stringify(rt.collector.status())).catch(() => {});
  }, env.COLLECTOR_INTERVAL_MS);
  const stop = async () => {
    clearInterval(heartbeat);
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
