import { startTelemetry, telemetryConfig } from '@investiq/telemetry';
import { configFromEnv } from './config';
import { loadEnv } from './env';
import type { RunningService } from './server';

/** `tsx src/main.ts [--service all|llm|sentiment|timeseries|cpu-timeseries]` (or SERVICE=...). */
async function main(): Promise<void> {
  const env = loadEnv();
  const argIndex = process.argv.indexOf('--service');
  const requested = argIndex >= 0 ? process.argv[argIndex + 1] : env.SERVICE;
  const mode = requested ?? 'all';
  // One process per service is traced as investiq-<service>; all four in one process share one name.
  // Tracing starts before the instrumented modules (http, fastify) load, hence the dynamic import.
  const telemetry = await startTelemetry(
    telemetryConfig(env, mode === 'all' ? 'investiq-inference' : `investiq-${mode}`),
  );
  const { SERVICE_NAMES, startWithConfig } = await import('./server');
  if (mode !== 'all' && !SERVICE_NAMES.includes(mode as (typeof SERVICE_NAMES)[number])) {
    throw new Error(`unknown service '${mode}': use all, ${SERVICE_NAMES.join(', ')}`);
  }
  const names = mode === 'all' ? SERVICE_NAMES : SERVICE_NAMES.filter((n) => n === mode);
  const config = configFromEnv(env);

  const running: RunningService[] = [];
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    for (const s of running) s.app.log.info(`${signal}: draining and shutting down`);
    const timer = setTimeout(() => {
      console.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    await Promise.allSettled(running.map((s) => s.close()));
    await telemetry.shutdown().catch(() => {});
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  for (const name of names) {
    const service = await startWithConfig(name, config, config.ports[name], false);
    running.push(service);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
