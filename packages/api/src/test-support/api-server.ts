import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createTestDatabase } from '@investiq/db/testing';
import pino from 'pino';
import { createApiHandler, createPageGuard, webServerOptions } from '../http/index';
import { createRuntime, type Runtime, type RuntimeConfig } from '../runtime';
import { testConfig } from './runtime';

/** Everything the runtime logged, as text, so tests can scan it for secrets. */
export class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString('utf8');
    cb();
  }
}

export interface ApiServer {
  rt: Runtime & { dbUrl?: string };
  base: string;
  logs: LogCapture;
  /** fetch against the server, remembering nothing: pass cookies / tokens explicitly */
  close(): Promise<void>;
}

/** A real runtime (debug-level logs captured) behind the real API handler on 127.0.0.1:0. */
export async function startApiServer(
  opts: {
    now?: () => Date;
    config?: Partial<RuntimeConfig>;
    /** Compose like apps/web/server.ts: API → page guard → a stand-in page answering 200 `page <path>`. */
    pages?: boolean;
    /** The server's request timeout (headers + body), as apps/web/server.ts sets it. */
    requestTimeoutMs?: number;
  } = {},
): Promise<ApiServer> {
  const db = await createTestDatabase();
  const logs = new LogCapture();
  const rt = await createRuntime(testConfig(opts.config), {
    db,
    now: opts.now,
    log: pino({ level: 'debug' }, logs),
    onProgress: () => {},
  });
  const handler = createApiHandler(rt);
  const guard = opts.pages ? createPageGuard(rt) : null;
  const server: Server = createServer(
    webServerOptions({ requestTimeoutMs: opts.requestTimeoutMs }),
    (req, res) => {
      handler(req, res)
        .then(async (handled) => {
          if (handled) return;
          if (guard && !(await guard(req, res))) {
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.end(`page ${req.url}`);
            return;
          }
          if (!guard) {
            res.statusCode = 404;
            res.end();
          }
        })
        .catch(() => res.end());
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    rt: { ...rt, dbUrl: db.url },
    base,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rt.close();
      await db.close();
    },
  };
}

/** The `name=value` part of a Set-Cookie header, for sending back. */
export function cookieFrom(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  return set.split(';')[0] ?? '';
}
