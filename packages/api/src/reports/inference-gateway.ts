import {
  INFERENCE_ENDPOINT_DEFAULTS,
  INFERENCE_SERVICES,
  type TArimaRequest,
  type TForecastRequest,
  type TGarchRequest,
  type TIndicatorsRequest,
  type TInferenceServiceName,
  type TSentimentRequest,
  type TServiceHealth,
} from '@investiq/contracts/inference';
import {
  createInferenceClient,
  type InferenceClient,
  InferenceClientError,
  redactText,
  redactUrl,
} from '@investiq/inference-client';
import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import { createPolicy, type NamedPolicy } from '../resilience';

export interface InferenceConfig {
  urls: Record<TInferenceServiceName, string>;
  /** Per-attempt timeouts (ms). */
  timeoutMs: Record<TInferenceServiceName, number>;
  /** Consecutive failed calls that open a service's breaker, and how long it stays open. */
  breakerThreshold?: number;
  halfOpenAfterMs?: number;
  /** The services' shared bearer secret (INFERENCE_TOKEN), sent on every call. */
  token?: string | undefined;
  /** Our name in the services' fair queues (`x-inference-caller`); default `web:<pid>`. */
  caller?: string;
}

export const INFERENCE_DEFAULTS: InferenceConfig = {
  urls: { ...INFERENCE_ENDPOINT_DEFAULTS.urls },
  timeoutMs: { ...INFERENCE_ENDPOINT_DEFAULTS.timeoutMs },
};

export const SERVICES: readonly TInferenceServiceName[] = INFERENCE_SERVICES;

/** A service call that failed in a way that makes its section unavailable (down, slow, garbage, open breaker). */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  constructor(
    readonly service: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type ServiceHealthView =
  | (TServiceHealth & { url: string; breaker: string; reachable: true })
  | {
      service: TInferenceServiceName;
      url: string;
      breaker: string;
      reachable: false;
      status: 'down';
      error: string;
    };

/** Why a call failed, in words a report reader understands (never with credentials a URL carried). */
export function describeFailure(service: string, err: unknown): string {
  return redactText(describeFailureRaw(service, err));
}

function describeFailureRaw(service: string, err: unknown): string {
  if (err instanceof BrokenCircuitError)
    return `${service} service circuit breaker is open after repeated failures; not called`;
  if (err instanceof BulkheadRejectedError) return `${service} service is saturated (too many calls queued)`;
  if (err instanceof TaskCancelledError) return `${service} service did not answer in time`;
  if (err instanceof InferenceClientError) {
    if (err.code === 'unreachable') return `${service} service unreachable (${err.message})`;
    if (err.code === 'timeout') return `${service} service did not answer in time`;
    if (err.code === 'invalid_response') return `${service} service answered garbage: ${err.message}`;
    return `${service} service error ${err.status} ${err.code}: ${err.message}`;
  }
  return `${service}: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * The report pipeline's view of the inference services: the typed client over real HTTP, each call wrapped
 * in that service's cockatiel policy (bulkhead → breaker → retry → timeout). All four services are
 * idempotent except the llm (a completion is not retried).
 */
export function createInferenceGateway(given: InferenceConfig) {
  // our own copy: endpoints change at run time (configure) without touching the caller's object
  const config: InferenceConfig = { ...given, urls: { ...given.urls }, timeoutMs: { ...given.timeoutMs } };
  const identity = { token: config.token, caller: config.caller ?? `web:${process.pid}` };
  const client: InferenceClient = createInferenceClient({
    urls: config.urls,
    timeoutMs: 120_000,
    llmTimeoutMs: config.timeoutMs.llm,
    ...identity,
  });
  const makePolicy = (s: TInferenceServiceName) =>
    createPolicy(`inference:${s}`, {
      timeoutMs: config.timeoutMs[s],
      retries: s === 'llm' ? 0 : 2,
      breakerThreshold: config.breakerThreshold ?? 5,
      halfOpenAfterMs: config.halfOpenAfterMs ?? 10_000,
      maxConcurrent: s === 'llm' ? 2 : 8,
      maxQueue: s === 'llm' ? 8 : 64,
    });
  const policies = Object.fromEntries(SERVICES.map((s) => [s, makePolicy(s)])) as Record<
    TInferenceServiceName,
    NamedPolicy
  >;
  const initial = { urls: { ...config.urls }, timeoutMs: { ...config.timeoutMs } };

  /**
   * Applies endpoints changed at run time (admin setting `inference.endpoints`); `null` = back to the
   * configured (environment) ones. A service whose timeout changes gets a fresh policy (its breaker resets).
   */
  function configure(
    next: {
      urls: Record<TInferenceServiceName, string>;
      timeoutMs: Record<TInferenceServiceName, number>;
    } | null,
  ): void {
    const target = next ?? initial;
    for (const s of SERVICES) {
      config.urls[s] = target.urls[s];
      if (config.timeoutMs[s] !== target.timeoutMs[s]) {
        config.timeoutMs[s] = target.timeoutMs[s];
        policies[s] = makePolicy(s);
      }
    }
  }

  /**
   * Runs `fn` under the service's policy; failures come back as ServiceUnavailableError (the reason). A 4xx
   * answer (the service refused our input, e.g. a series too short for the model) is neither retried nor
   * counted by the breaker: the service is fine, the request was not.
   */
  async function call<T>(
    service: TInferenceServiceName,
    fn: (signal: AbortSignal) => Promise<T>,
    outer?: AbortSignal,
  ): Promise<T> {
    let result: { ok: T } | { refused: InferenceClientError };
    try {
      result = await policies[service].policy.execute(async ({ signal }) => {
        try {
          return { ok: await fn(outer ? AbortSignal.any([signal, outer]) : signal) };
        } catch (err) {
          if (err instanceof InferenceClientError && err.status >= 400 && err.status < 500)
            return { refused: err };
          throw err;
        }
      }, outer);
    } catch (err) {
      if (err instanceof ServiceUnavailableError) throw err;
      throw new ServiceUnavailableError(service, describeFailure(service, err), { cause: err });
    }
    if ('refused' in result)
      throw new ServiceUnavailableError(service, `${service} rejected the input: ${result.refused.message}`, {
        cause: result.refused,
      });
    return result.ok;
  }

  async function health(service: TInferenceServiceName, timeoutMs = 1_500): Promise<ServiceHealthView> {
    const url = redactUrl(config.urls[service]);
    const breaker = policies[service].breakerState();
    try {
      const h = await client.health(service, { signal: AbortSignal.timeout(timeoutMs) });
      return { ...h, url, breaker, reachable: true };
    } catch (err) {
      return {
        service,
        url,
        breaker,
        reachable: false,
        status: 'down',
        error: describeFailure(service, err),
      };
    }
  }

  /**
   * Streaming chat completion through the llm service (the client's SSE reader); `onDelta` gets each piece
   * of text. Under the llm policy (no retries: a completion is not idempotent).
   */
  function streamChat(
    body: {
      messages: { role: 'system' | 'user'; content: string }[];
      max_tokens: number;
      temperature: number;
    },
    onDelta: (text: string) => void,
    outer?: AbortSignal,
  ): Promise<{ text: string; model: string | undefined }> {
    return call(
      'llm',
      (signal) => client.chatStream(body, onDelta, { signal, timeoutMs: config.timeoutMs.llm }),
      outer,
    );
  }

  /** Each service call under its policy, so a module names the operation once (the service follows). */
  const typed = {
    sentiment: (req: TSentimentRequest, outer?: AbortSignal) =>
      call('sentiment', (signal) => client.sentiment(req, { signal }), outer),
    forecast: (req: TForecastRequest, outer?: AbortSignal) =>
      call('timeseries', (signal) => client.forecast(req, { signal }), outer),
    indicators: (req: TIndicatorsRequest, outer?: AbortSignal) =>
      call('cpu-timeseries', (signal) => client.indicators(req, { signal }), outer),
    arima: (req: TArimaRequest, outer?: AbortSignal) =>
      call('cpu-timeseries', (signal) => client.arima(req, { signal }), outer),
    garch: (req: TGarchRequest, outer?: AbortSignal) =>
      call('cpu-timeseries', (signal) => client.garch(req, { signal }), outer),
  };

  return {
    ...typed,
    config,
    client,
    policies,
    configure,
    call,
    health,
    streamChat,
    breakerStates: () =>
      Object.fromEntries(SERVICES.map((s) => [`inference:${s}`, policies[s].breakerState()])),
  };
}

export type InferenceGateway = ReturnType<typeof createInferenceGateway>;
