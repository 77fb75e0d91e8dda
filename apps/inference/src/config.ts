import path from 'node:path';
import type { TInferenceServiceName } from '@investiq/contracts/inference';
import { APP_DIR, type InferenceEnv, parseEnv } from './env';
import type { SessionTuning } from './models/session';

export type ServiceName = TInferenceServiceName;
export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt';

export interface BatchConfig {
  maxBatch: number;
  maxWaitMs: number;
  maxQueue: number;
  /** Longest a request may wait for admission to the batcher before 503. */
  deadlineMs: number;
}

export interface InferenceConfig {
  host: string;
  /** Bearer secret required on every route but /health; undefined (only when embedded, e.g. tests) = open. */
  token: string | undefined;
  /** Host header names accepted besides IP literals (lower case, no port). */
  allowedHosts: string[];
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  arima: { maxPoints: number; maxGrid: number };
  ports: Record<ServiceName, number>;
  logLevel: InferenceEnv['LOG_LEVEL'];
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  sentimentModelDir: string;
  timeseriesModelDir: string;
  provider: ExecutionProvider;
  dlaCore?: number;
  /** ONNX Runtime session options of the model services (sentiment, timeseries). */
  session: SessionTuning;
  batch: BatchConfig;
  /** resultCache: ARIMA/GARCH answers kept by request content (0 = off) */
  cpu: { workers: number; maxQueue: number; taskTimeoutMs: number; resultCache: number };
  llm: {
    upstreamUrl?: string;
    apiKey?: string;
    model?: string;
    maxConcurrency: number;
    maxQueue: number;
    timeoutMs: number;
  };
}

/** Overrides accepted by startService/startAll; anything left out takes the documented default. */
export interface StartOptions {
  host?: string;
  token?: string;
  allowedHosts?: string[];
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  arima?: Partial<InferenceConfig['arima']>;
  /** Port of the single service started by startService (0 = pick a free one). */
  port?: number;
  ports?: Partial<Record<ServiceName, number>>;
  logLevel?: InferenceConfig['logLevel'];
  bodyLimitBytes?: number;
  shutdownTimeoutMs?: number;
  sentimentModelDir?: string;
  timeseriesModelDir?: string;
  provider?: ExecutionProvider;
  dlaCore?: number;
  session?: Partial<SessionTuning>;
  batch?: Partial<BatchConfig>;
  cpu?: Partial<InferenceConfig['cpu']>;
  llm?: Partial<InferenceConfig['llm']>;
  /** Resolve startService only once the model is loaded and warmed up (default true). */
  waitForModel?: boolean;
}

export function configFromEnv(env: InferenceEnv): InferenceConfig {
  const modelsDir = env.MODELS_DIR ?? path.join(APP_DIR, 'models');
  return {
    host: env.INFERENCE_HOST,
    token: env.INFERENCE_TOKEN,
    allowedHosts: env.INFERENCE_ALLOWED_HOSTS,
    headersTimeoutMs: env.INFERENCE_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.INFERENCE_REQUEST_TIMEOUT_MS,
    arima: { maxPoints: env.ARIMA_MAX_POINTS, maxGrid: env.ARIMA_MAX_GRID },
    ports: {
      llm: env.LLM_PORT,
      sentiment: env.SENTIMENT_PORT,
      timeseries: env.TIMESERIES_PORT,
      'cpu-timeseries': env.CPU_TIMESERIES_PORT,
    },
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    sentimentModelDir: env.SENTIMENT_MODEL_DIR ?? path.join(modelsDir, 'sentiment'),
    timeseriesModelDir: env.TIMESERIES_MODEL_DIR ?? path.join(modelsDir, 'timeseries'),
    provider: env.ORT_EXECUTION_PROVIDER,
    dlaCore: env.ORT_TRT_DLA_CORE,
    session: {
      intraOpThreads: env.INFERENCE_INTRA_OP_THREADS,
      interOpThreads: env.INFERENCE_INTER_OP_THREADS,
      graphOptimizationLevel: env.INFERENCE_GRAPH_OPT_LEVEL,
      executionMode: env.INFERENCE_EXECUTION_MODE,
      enableCpuMemArena: env.INFERENCE_CPU_MEM_ARENA,
      allowSpinning: env.INFERENCE_ALLOW_SPINNING,
    },
    batch: {
      maxBatch: env.BATCH_MAX_SIZE,
      maxWaitMs: env.BATCH_MAX_WAIT_MS,
      maxQueue: env.BATCH_MAX_QUEUE,
      deadlineMs: env.BATCH_DEADLINE_MS,
    },
    cpu: {
      workers: env.CPU_WORKERS,
      maxQueue: env.CPU_MAX_QUEUE,
      taskTimeoutMs: env.CPU_TASK_TIMEOUT_MS,
      resultCache: env.CPU_RESULT_CACHE,
    },
    llm: {
      upstreamUrl: env.LLM_UPSTREAM_URL,
      apiKey: env.LLM_UPSTREAM_API_KEY,
      model: env.LLM_MODEL,
      maxConcurrency: env.LLM_MAX_CONCURRENCY,
      maxQueue: env.LLM_MAX_QUEUE,
      timeoutMs: env.LLM_TIMEOUT_MS,
    },
  };
}

/** Documented defaults, independent of process.env (tests and embedding callers start from these). */
export function defaultConfig(): InferenceConfig {
  return configFromEnv(parseEnv({}));
}

export function resolveConfig(
  options: StartOptions = {},
  base: InferenceConfig = defaultConfig(),
): InferenceConfig {
  return {
    ...base,
    host: options.host ?? base.host,
    token: options.token ?? base.token,
    allowedHosts: options.allowedHosts ?? base.allowedHosts,
    headersTimeoutMs: options.headersTimeoutMs ?? base.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? base.requestTimeoutMs,
    arima: { ...base.arima, ...options.arima },
    ports: { ...base.ports, ...options.ports },
    logLevel: options.logLevel ?? base.logLevel,
    bodyLimitBytes: options.bodyLimitBytes ?? base.bodyLimitBytes,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? base.shutdownTimeoutMs,
    sentimentModelDir: options.sentimentModelDir ?? base.sentimentModelDir,
    timeseriesModelDir: options.timeseriesModelDir ?? base.timeseriesModelDir,
    provider: options.provider ?? base.provider,
    dlaCore: options.dlaCore ?? base.dlaCore,
    session: { ...base.session, ...options.session },
    batch: { ...base.batch, ...options.batch },
    cpu: { ...base.cpu, ...options.cpu },
    llm: { ...base.llm, ...options.llm },
  };
}
