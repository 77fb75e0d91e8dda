import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Responder = (
  req: ReceivedRequest,
  n: number,
) => { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

/**
 * A local HTTP server standing in for a vendor API at the network boundary: records every request and
 * answers with what `respond` says (a recorded vendor answer), or never answers ('hang').
 */
export async function startReceiver(respond: Responder): Promise<{
  base: string;
  requests: ReceivedRequest[];
  setResponder(r: Responder): void;
  close(): Promise<void>;
}> {
  const requests: ReceivedRequest[] = [];
  let responder = respond;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      const answer = responder(r, requests.length);
      if (answer === 'hang') return;
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setResponder(r) {
      responder = r;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
