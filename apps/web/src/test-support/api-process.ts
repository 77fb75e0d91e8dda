/**
 * A web process without the Next.js page handler, for tests of several instances: the same env.ts, runtime,
 * security headers and API handler (tRPC + SSE, REST, auth routes) as `server.ts`, on PORT (0 = any).
 * Prints `listening <port>` and, while no user exists, `setup-link <url>` like the real server.
 */
import { createServer } from 'node:http';
import { createLogger, createRuntime } from '@investiq/api';
import { applySecurityHeaders, createApiHandler, firstRunSetupLink } from '@investiq/api/http';
import { loadEnv, runtimeConfigFromEnv } from '../env';

async function main() {
  const env = loadEnv();
  const log = createLogger({ level: env.LOG_LEVEL, name: 'web' });
  const rt = await createRuntime(runtimeConfigFromEnv(env), { log, onProgress: () => {} });
  const api = createApiHandler(rt);
  const server = createServer((req, res) => {
    applySecurityHeaders(req, res, { dev: false });
    api(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404).end();
      })
      .catch((err) => {
        log.error({ err }, 'request failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(env.PORT, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : env.PORT;
  console.log(`listening ${port}`);
  const link = await firstRunSetupLink(rt, env.PUBLIC_URL ?? `http://127.0.0.1:${port}`);
  if (link) console.log(`setup-link ${link}`);
  console.log('ready');
  const stop = async () => {
    server.closeAllConnections();
    server.close();
    await rt.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err) => {
  console.error(`api process failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
