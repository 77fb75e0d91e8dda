import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real local HTTP server for vendor tests: every request is answered by `route` with recorded bytes
 * (fixture files read as-is, so GBK bodies stay GBK). Requests are kept for assertions.
 */
export interface ReplayRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
export interface ReplayAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** A fixture path (read as bytes) or a literal body. */
  file?: string;
  body?: string | Buffer;
}

export interface FixtureServer {
  baseUrl: string;
  requests: ReplayRequest[];
  close(): Promise<void>;
}

export async function startFixtureServer(
  route: (req: ReplayRequest) => ReplayAnswer,
): Promise<FixtureServer> {
  const requests: ReplayRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReplayRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      try {
        const a = route(r);
        const body = a.file ? readFileSync(a.file) : (a.body ?? '');
        res.writeHead(a.status ?? 200, a.headers ?? {});
        res.end(body);
      } catch (err) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`fixture server: ${(err as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
