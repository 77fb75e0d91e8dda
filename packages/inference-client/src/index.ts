import {
  type TArimaRequest,
  type TArimaResponse,
  type TChatCompletionRequest,
  type TChatCompletionResponse,
  type TForecastRequest,
  type TForecastResponse,
  type TGarchRequest,
  type TGarchResponse,
  type TIndicatorsRequest,
  type TIndicatorsResponse,
  type TInferenceServiceName,
  type TSentimentRequest,
  type TSentimentResponse,
  type TServiceHealth,
  ZArimaResponse,
  ZChatCompletionResponse,
  ZForecastResponse,
  ZGarchResponse,
  ZIndicatorsResponse,
  ZInferenceError,
  ZSentimentResponse,
  ZServiceHealth,
} from '@investiq/contracts/inference';
import type { z } from 'zod';
import { createChatStreamReader } from './chat-stream';

export { type ChatStreamHandlers, type ChatStreamProblem, createChatStreamReader } from './chat-stream';

/** An error answer of an inference service (or a transport failure: status 0). */
export class InferenceClientError extends Error {
  override readonly name = 'InferenceClientError';
  constructor(
    readonly service: TInferenceServiceName,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(`${service}: ${message}`, options);
  }
}

export interface InferenceClientOptions {
  urls: Partial<Record<TInferenceServiceName, string>>;
  /** Per-request timeout (default 30 s; chat completions use `llmTimeoutMs`, default 120 s). */
  timeoutMs?: number;
  llmTimeoutMs?: number;
  /** The services' shared bearer secret (INFERENCE_TOKEN); sent on every call but /health. */
  token?: string;
  /** Who we are for the services' fair queuing (`x-inference-caller`); default: our address as they see it. */
  caller?: string;
  fetch?: typeof fetch;
}

/** Headers of one call: JSON body, bearer token, caller name. */
export function inferenceHeaders(
  options: { token?: string; caller?: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...extra,
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.caller ? { 'x-inference-caller': options.caller } : {}),
  };
}

/**
 * A URL without the credentials it may carry (`user:pass@`): they are never shown (fetch refuses them anyway)
 * and never shown. Endpoint validation rejects such URLs; this is the belt to that pair of braces.
 */
export function redactUrl(url: string): string {
  return redactText(url);
}

/** A typed client for the four inference services; responses are validated against the contracts. */
export function createInferenceClient(options: InferenceClientOptions) {
  const doFetch = options.fetch ?? fetch;

  type CallOpts = { signal?: AbortSignal; timeoutMs?: number; caller?: string };

  /** One HTTP exchange: the response when it is a success (or /health's 503); typed errors otherwise. */
  async function send(
    service: TInferenceServiceName,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    opts: CallOpts & { accept?: string },
  ): Promise<Response> {
    const base = options.urls[service];
    if (!base)
      throw new InferenceClientError(service, 0, 'not_configured', 'no URL configured for this service');
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? options.timeoutMs ?? 30_000);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await doFetch(`${base.replace(/\/+$/, '')}${path}`, {
        method,
        headers: inferenceHeaders(
          { token: options.token, caller: opts.caller ?? options.caller },
          {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(opts.accept ? { accept: opts.accept } : {}),
          },
        ),
        body: body === undefined ? undefined : JSON.stringify(body),
        // a service never redirects; a redirect is someone else answering (and would carry our token along)
        redirect: 'manual',
        signal,
      });
    } catch (err) {
      const code = timeout.aborted ? 'timeout' : 'unreachable';
      throw new InferenceClientError(
        service,
        0,
        code,
        `${method} ${path} failed: ${redactText((err as Error).message)}`,
        undefined,
        {
          cause: err,
        },
      );
    }
    if ((res.status >= 300 && res.status < 400) || res.type === 'opaqueredirect') {
      await res.body?.cancel().catch(() => {});
      throw new InferenceClientError(
        service,
        res.status,
        'redirect_refused',
        `${method} ${path} answered a redirect (${res.status}); inference services do not redirect, so it is not followed`,
      );
    }
    if (!res.ok && !(path === '/health' && res.status === 503)) {
      const json: unknown = await res.json().catch(() => undefined);
      const parsed = ZInferenceError.safeParse(json);
      if (parsed.success) {
        const e = parsed.data.error;
        throw new InferenceClientError(service, res.status, e.code, e.message, e.details);
      }
      throw new InferenceClientError(
        service,
        res.status,
        'http_error',
        `${method} ${path} answered ${res.status}`,
      );
    }
    return res;
  }

  async function call<S extends z.ZodType>(
    service: TInferenceServiceName,
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
    opts: CallOpts = {},
  ): Promise<z.output<S>> {
    const res = await send(service, method, path, body, opts);
    const json: unknown = await res.json().catch(() => undefined);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new InferenceClientError(
        service,
        res.status,
        'invalid_response',
        `${method} ${path} answered a body that does not match the contract: ${parsed.error.issues[0]?.message}`,
      );
    }
    return parsed.data;
  }

  /**
   * Streaming chat completion (SSE, OpenAI chunk format): `onDelta` gets each piece of text. A payload that
   * is not a chunk is an `invalid_response`; the stream ends at `[DONE]` or when the body ends.
   */
  async function chatStream(
    req: Omit<TChatCompletionRequest, 'stream'>,
    onDelta: (text: string) => void,
    o: CallOpts = {},
  ): Promise<{ text: string; model: string | undefined }> {
    const path = '/v1/chat/completions';
    const res = await send(
      'llm',
      'POST',
      path,
      { ...req, stream: true },
      { timeoutMs: options.llmTimeoutMs ?? 120_000, ...o, accept: 'text/event-stream' },
    );
    if (!res.body) throw new InferenceClientError('llm', res.status, 'invalid_response', 'empty stream');
    let text = '';
    let model: string | undefined;
    const reader = createChatStreamReader({
      onChunk(chunk, json) {
        if (typeof json.model === 'string') model = json.model;
        const piece = chunk.choices[0]?.delta?.content ?? '';
        if (piece) {
          text += piece;
          onDelta(piece);
        }
      },
      onInvalid(problem) {
        const what = problem === 'not_json' ? 'is not JSON' : 'does not match the contract';
        throw new InferenceClientError('llm', res.status, 'invalid_response', `stream chunk ${what}`);
      },
    });
    try {
      for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
        reader.feed(bytes);
        if (reader.done) break; // leaving the loop cancels the body
      }
      if (!reader.done) reader.end();
    } catch (err) {
      if (err instanceof InferenceClientError) throw err;
      throw new InferenceClientError(
        'llm',
        0,
        o.signal?.aborted ? 'timeout' : 'unreachable',
        `POST ${path} stream failed: ${redactText((err as Error).message)}`,
        undefined,
        { cause: err },
      );
    }
    return { text, model };
  }

  type Opts = { signal?: AbortSignal; caller?: string };
  return {
    chatStream,
    health: (service: TInferenceServiceName, o: Opts = {}): Promise<TServiceHealth> =>
      call(service, 'GET', '/health', ZServiceHealth, undefined, o),
    sentiment: (req: TSentimentRequest, o: Opts = {}): Promise<TSentimentResponse> =>
      call('sentiment', 'POST', '/v1/sentiment', ZSentimentResponse, req, o),
    forecast: (req: TForecastRequest, o: Opts = {}): Promise<TForecastResponse> =>
      call('timeseries', 'POST', '/v1/forecast', ZForecastResponse, req, o),
    indicators: (req: TIndicatorsRequest, o: Opts = {}): Promise<TIndicatorsResponse> =>
      call('cpu-timeseries', 'POST', '/v1/indicators', ZIndicatorsResponse, req, o),
    arima: (req: TArimaRequest, o: Opts = {}): Promise<TArimaResponse> =>
      call('cpu-timeseries', 'POST', '/v1/arima', ZArimaResponse, req, o),
    garch: (req: TGarchRequest, o: Opts = {}): Promise<TGarchResponse> =>
      call('cpu-timeseries', 'POST', '/v1/garch', ZGarchResponse, req, o),
    /** Non-streaming chat completion. */
    chat: (req: Omit<TChatCompletionRequest, 'stream'>, o: Opts = {}): Promise<TChatCompletionResponse> =>
      call(
        'llm',
        'POST',
        '/v1/chat/completions',
        ZChatCompletionResponse,
        { ...req, stream: false },
        {
          ...o,
          timeoutMs: options.llmTimeoutMs ?? 120_000,
        },
      ),
  };
}

export type InferenceClient = ReturnType<typeof createInferenceClient>;

/** Removes `user:pass@` from any URL inside a message (fetch errors quote the URL). */
export function redactText(text: string): string {
  // up to the last `@` before the path, as URL parsers read the userinfo
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1');
}
