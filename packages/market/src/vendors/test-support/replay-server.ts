/**
 * A real HTTP server on 127.0.0.1 (random port) that replays recorded vendor responses, for adapter tests.
 * The adapter under test is pointed at `server.url` as its baseUrl; nothing of our own code is mocked.
 *
 *   const server = await startReplayServer(
 *     [
 *       { path: '/api/v1/quote', query: { symbol: 'AAPL' }, file: 'finnhub/quote-aapl.json' },
 *       { path: '/api/v1/quote', status: 429, body: { error: 'API limit reached' }, headers: { 'retry-after': '30' } },
 *       { path: /^\/v8\/finance\/chart\//, hang: true },
 *     ],
 *     { fixturesDir: FIXTURES },
 *   );
 *   try { ... server.requests[0].headers['x-finnhub-token'] ... } finally { await server.close(); }
 *
 * Routes are tried in order; the first whose method, path and query subset match answers. A request that
 * matches nothing gets a 404 with body `replay-server: no route for …` and is listed in `server.unmatched`
 * (assert it is empty to catch a wrong URL rather than reading a misleading `not_found`).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join } from 'node:path';

export interface ReplayRoute {
  /** Default GET. */
  method?: string;
  /** Exact pathname (`/api/v1/quote`) or a RegExp tested against the pathname. */
  path: string | RegExp;
  /** Every listed param must be present with this value (other params are ignored). */
  query?: Record<string, string>;
  /** Default 200. */
  status?: number;
  /** Default `content-type: application/json; charset=utf-8` unless given. */
  headers?: Record<string, string>;
  /** Fixture file sent byte for byte (relative to `fixturesDir`, or absolute). */
  file?: string;
  /** Raw body: a string or bytes as is, anything else JSON-encoded. Ignored when `file` is set. */
  body?: string | Uint8Array | object;
  /** Answer after this many milliseconds. */
  delayMs?: number;
  /** Accept the request and never answer (timeouts). */
  hang?: boolean;
  /** Send the headers (with the full content-length) and this many body bytes, then stall (body timeouts). */
  stallAfterBytes?: number;
  /** Send the headers and this many body bytes, then reset the connection (a dropped transfer). */
  resetAfterBytes?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as received (`/api/v1/quote?symbol=AAPL`). */
  url: string;
  pathname: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ReplayServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Requests no route matched. */
  unmatched: RecordedRequest[];
  /** Stops listening and drops open (hanging) connections. */
  close(): Promise<void>;
}

export async function startReplayServer(
  routes: readonly ReplayRoute[],
  opts: { fixturesDir?: string } = {},
): Promise<ReplayServer> {
  const requests: RecordedRequest[] = [];
  const unmatched: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      pathname: u.pathname,
      query: Object.fromEntries(u.searchParams),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(rec);
    const route = routes.find((r) => matches(r, rec));
    if (!route) {
      unmatched.push(rec);
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`replay-server: no route for ${rec.method} ${rec.url}`);
      return;
    }
    if (route.hang) return;
    const send = () => {
      const body = bodyOf(route, opts.fixturesDir);
      res.writeHead(route.status ?? 200, {
        'content-type': 'application/json; charset=utf-8',
        ...route.headers,
        'content-length': String(body.byteLength),
      });
      const cut = route.stallAfterBytes ?? route.resetAfterBytes;
      if (cut === undefined) {
        res.end(body);
        return;
      }
      res.write(body.subarray(0, cut), () => {
        if (route.resetAfterBytes !== undefined) res.socket?.resetAndDestroy();
      });
    };
    if (route.delayMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        send();
      }, route.delayMs);
      timers.add(t);
    } else {
      send();
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unmatched,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function matches(r: ReplayRoute, req: RecordedRequest): boolean {
  if ((r.method ?? 'GET').toUpperCase() !== req.method.toUpperCase()) return false;
  if (typeof r.path === 'string' ? r.path !== req.pathname : !r.path.test(req.pathname)) return false;
  for (const [k, v] of Object.entries(r.query ?? {})) if (req.query[k] !== v) return false;
  return true;
}

function bodyOf(r: ReplayRoute, fixturesDir: string | undefined): Uint8Array {
  if (r.file) {
    const p = isAbsolute(r.file) || !fixturesDir ? r.file : join(fixturesDir, r.file);
    return readFileSync(p);
  }
  if (r.body === undefined) return new Uint8Array();
  if (typeof r.body === 'string') return Buffer.from(r.body, 'utf8');
  if (r.body instanceof Uint8Array) return r.body;
  return Buffer.from(JSON.stringify(r.body), 'utf8');
}
