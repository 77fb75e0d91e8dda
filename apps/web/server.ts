/**
 * The web process: one Node server that owns the runtime (database, collector, live-quote hub), serves the
 * API (tRPC incl. SSE subscriptions, REST market data, health, metrics) and hands every other path to Next.js.
 * A custom server because the embedded database (PGlite) lives in-process and must be shared by the API,
 * the collector and the LISTEN fan-out; Next's route bundles would each get their own module instances.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTelemetry, telemetryConfig } from '@investiq/telemetry';
import { loadEnv, runtimeConfigFromEnv } from './src/env';

const dir = path.dirname(fileURLToPath(import.meta.url));

async function main() {
  const env = loadEnv();
  // Tracing starts before the instrumented modules (http, pg, next) load, hence the dynamic imports.
  // No instrumentation-http server span per request here (TRACE_HTTP_SERVER_SPANS=true restores it): API calls
  // are traced from their tRPC procedure or REST route, which continue a caller's traceparent.
  const telemetry = await startTelemetry(telemetryConfig(env, 'investiq-web', { httpServerSpans: false }));
  const { createLogger, createRuntime } = await import('@investiq/api');
  const {
    applySecurityHeaders,
    createApiHandler,
    createPageGuard,
    firstRunSetupLink,
    publishPageData,
    webServerOptions,
  } = await import('@investiq/api/http');
  const { default: next } = await import('next');
  const log = createLogger({ level: env.LOG_LEVEL, name: 'web' });
  const config = runtimeConfigFromEnv(env);
  const rt = await createRuntime(config, { log, onProgress: (msg) => log.info(`startup: ${msg}`) });
  const api = createApiHandler(rt);
  const guard = createPageGuard(rt);
  // server-rendered pages (the dashboard) read their first data through this, not a round trip per query
  publishPageData(rt);
  const dev = env.NODE_ENV === 'development';
  const app = next({ dev: env.NODE_ENV === 'development', dir, hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const pages = app.getRequestHandler();

  const server = createServer(webServerOptions(), (req, res) => {
    applySecurityHeaders(req, res, { dev });
    api(req, res)
      .then(async (handled) => {
        if (!handled && !(await guard(req, res))) return pages(req, res);
      })
      .catch((err) => {
        log.error({ err }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"INTERNAL_SERVER_ERROR","message":"internal error"}}');
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, resolve);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : env.PORT;
  const shownHost = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  log.info(
    { database: rt.db.describe(), collector: rt.collector.status().state, port },
    `InvestIQ is ready at http://${shownHost}:${port}`,
  );
  console.log(`\n  InvestIQ dashboard: http://${shownHost}:${port}\n`);
  // first run: no default password — whoever opens this one-time link creates the first admin
  const setupLink = await firstRunSetupLink(rt, env.PUBLIC_URL ?? `http://${shownHost}:${port}`);
  if (setupLink) {
    console.log(
      `  No users yet. Create the first admin (one-time link, valid until the first admin exists):\n  ${setupLink}\n`,
    );
    console.log('  (or stop the server and run: npm run admin:create)\n');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections();
    await rt.close().catch((err) => log.error({ err }, 'close failed'));
    await app.close?.().catch(() => {});
    await telemetry.shutdown().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(`InvestIQ web failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
