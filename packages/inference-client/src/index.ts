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
  fetch?: typeof fetch;
}

/** A typed client for the four inference services; responses are validated against the contracts. */
export function createInferenceClient(options: InferenceClientOptions) {
  const doFetch = options.fetch ?? fetch;

  async function call<S extends z.ZodType>(
    service: TInferenceServiceName,
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
    opts: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<z.output<S>> {
    const base = options.urls[service];
    if (!base)
      throw new InferenceClientError(service, 0, 'not_configured', 'no URL configured for this service');
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? options.timeoutMs ?? 30_000);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await doFetch(`${base.replace(/\/+$/, '')}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      const code = timeout.aborted ? 'timeout' : 'unreachable';
      throw new InferenceClientError(
        service,
        0,
        code,
        `${method} ${path} failed: ${(err as Error).message}`,
        undefined,
        {
          cause: err,
        },
      );
    }
    const json: unknown = await res.json().catch(() => undefined);
    if (!res.ok && !(path === '/health' && res.status === 503)) {
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

  type Opts = { signal?: AbortSignal };
  return {
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
