import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZInferenceError, ZServiceHealth } from '@investiq/contracts/inference';

/**
 * A small OpenAI-compatible server standing in for llama-server at the network boundary (third-party
 * API). Behaviour is chosen per request from the last user message:
 *   "fail"  → 500 with a body;  "slow" → never answers until the client aborts;
 *   "slow-stream" → one chunk, then hangs; anything else → echoes it back.
 */
export interface FakeOpenAi {
  url: string;
  requests: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[];
  /** Connections whose request was aborted by our proxy (the client closed). */
  aborted: number;
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const state = { requests: [] as FakeOpenAi['requests'], aborted: 0 };
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      state.requests.push({ headers: req.headers, body });
      res.on('close', () => {
        if (!res.writableFinished) state.aborted += 1;
      });
      const messages = (body.messages ?? []) as { role: string; content: string }[];
      const prompt = messages.at(-1)?.content ?? '';
      if (req.url !== '/v1/chat/completions') {
        res.writeHead(404).end('not found');
        return;
      }
      if (prompt === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"model crashed"}');
        return;
      }
      if (prompt === 'slow') return; // never answers
      const words = `echo: ${prompt}`.split(' ');
      if (body.stream === true) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (delta: Record<string, unknown>, finish: string | null, usage?: unknown) =>
          `data: ${JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion.chunk',
            choices: [{ index: 0, delta, finish_reason: finish }],
            ...(usage ? { usage } : {}),
          })}\n\n`;
        res.write(chunk({ role: 'assistant' }, null));
        if (prompt === 'slow-stream') {
          res.write(chunk({ content: 'first' }, null));
          return; // hangs mid-stream
        }
        for (const w of words) res.write(chunk({ content: `${w} ` }, null));
        const withUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
        res.write(
          chunk({}, 'stop', withUsage ? { prompt_tokens: 11, completion_tokens: words.length } : undefined),
        );
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          model: body.model ?? 'fake',
          choices: [
            { index: 0, message: { role: 'assistant', content: words.join(' ') }, finish_reason: 'stop' },
          ],
          usage: { prompt_tokens: 7, completion_tokens: words.length, total_tokens: 7 + words.length },
        }),
      );
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: state.requests,
    get aborted() {
      return state.aborted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Polls `cond` until it holds or the deadline passes. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Reads a Prometheus counter/gauge value (sum over label sets) from /metrics text. */
export function metricValue(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

/** The `{error: {code, message, details}}` body of an error response, validated. */
export async function errorOf(res: Response) {
  return ZInferenceError.parse(await res.json()).error;
}

/** The body of a /health response, validated. */
export async function healthOf(url: string) {
  return ZServiceHealth.parse(await (await fetch(`${url}/health`)).json());
}
