import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INFERENCE_DEFAULT_PORTS, INFERENCE_SERVICES } from '@investiq/contracts/inference';
import { telemetryEnvShape } from '@investiq/telemetry/env';
import { z } from 'zod';

/** apps/inference — the default home of built models (`models/`, gitignored). */
export const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SERVICE_MODES = ['all', ...INFERENCE_SERVICES] as const;

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));

/** Every environment variable the inference services read (documented in .env.example). */
export const ZInferenceEnv = z.object({
  SERVICE: z.enum(SERVICE_MODES).default('all'),
  // Their own bind address, separate from the web's HOST: the services are internal (the web calls them).
  INFERENCE_HOST: z.string().min(1).default('127.0.0.1'),
  /** Shared bearer secret; every route except /health wants `authorization: Bearer <token>`. */
  INFERENCE_TOKEN: optionalString.pipe(
    z.string().min(16, 'must be at least 16 characters (openssl rand -hex 32)').optional(),
  ),
  /** Host names (no port) a request's Host header may carry besides IP literals; DNS-rebinding guard. */
  INFERENCE_ALLOWED_HOSTS: z
    .string()
    .default('localhost')
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h !== ''),
    ),
  /** Time to receive a request's headers, and the whole request (headers + body); then the socket is dropped. */
  INFERENCE_HEADERS_TIMEOUT_MS: positiveInt(10_000),
  INFERENCE_REQUEST_TIMEOUT_MS: positiveInt(30_000),
  /** ARIMA work budget: longest series (reports send ≤ 3000), largest (maxP+1)·(maxQ+1)·(maxD+1) order grid. */
  ARIMA_MAX_POINTS: positiveInt(3_000),
  ARIMA_MAX_GRID: positiveInt(48),
  LLM_PORT: port(INFERENCE_DEFAULT_PORTS.llm),
  SENTIMENT_PORT: port(INFERENCE_DEFAULT_PORTS.sentiment),
  TIMESERIES_PORT: port(INFERENCE_DEFAULT_PORTS.timeseries),
  CPU_TIMESERIES_PORT: port(INFERENCE_DEFAULT_PORTS['cpu-timeseries']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: positiveInt(1_048_576),
  SHUTDOWN_TIMEOUT_MS: positiveInt(15_000),

  MODELS_DIR: optionalString,
  SENTIMENT_MODEL_DIR: optionalString,
  TIMESERIES_MODEL_DIR: optionalString,
  ORT_EXECUTION_PROVIDER: z.enum(['cpu', 'cuda', 'tensorrt']).default('cpu'),
  ORT_TRT_DLA_CORE: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? undefined : Number(s)))
    .pipe(z.number().int().min(0).max(1).optional()),
  /**
   * ONNX Runtime session options (sentiment, timeseries). Defaults suit the small default models on a small
   * machine; a transformer encoder wants INFERENCE_INTRA_OP_THREADS=0 (= one per core). docs/models.md.
   */
  INFERENCE_INTRA_OP_THREADS: z.coerce.number().int().min(0).max(256).default(1),
  INFERENCE_INTER_OP_THREADS: z.coerce.number().int().min(0).max(256).default(1),
  INFERENCE_GRAPH_OPT_LEVEL: z.enum(['disabled', 'basic', 'extended', 'all']).default('all'),
  INFERENCE_EXECUTION_MODE: z.enum(['sequential', 'parallel']).default('sequential'),
  INFERENCE_CPU_MEM_ARENA: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true, false, 1 or 0' })
    .default('true')
    .transform((s) => s === 'true' || s === '1'),
  INFERENCE_ALLOW_SPINNING: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true, false, 1 or 0' })
    .default('true')
    .transform((s) => s === 'true' || s === '1'),

  BATCH_MAX_SIZE: positiveInt(32),
  BATCH_MAX_WAIT_MS: z.coerce.number().min(0).default(4),
  BATCH_MAX_QUEUE: positiveInt(1024),
  BATCH_DEADLINE_MS: positiveInt(10_000),

  CPU_WORKERS: z.coerce.number().int().min(0).default(0),
  CPU_MAX_QUEUE: positiveInt(256),
  CPU_TASK_TIMEOUT_MS: positiveInt(30_000),
  CPU_RESULT_CACHE: z.coerce.number().int().min(0).default(256),

  LLM_UPSTREAM_URL: optionalString.pipe(z.url().optional()),
  LLM_UPSTREAM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LLM_MAX_CONCURRENCY: positiveInt(2),
  LLM_MAX_QUEUE: z.coerce.number().int().min(0).default(16),
  LLM_TIMEOUT_MS: positiveInt(120_000),
  // Tracing (OpenTelemetry, OTLP over HTTP): off unless an endpoint is set; see README → Tracing.
  ...telemetryEnvShape,
});
export type InferenceEnv = z.infer<typeof ZInferenceEnv>;

/** Parses an environment object; throws one error listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): InferenceEnv {
  const result = ZInferenceEnv.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid inference environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The one place that reads process.env. A running service always has a token (tests embed them open). */
export function loadEnv(): InferenceEnv {
  const env = parseEnv(process.env);
  if (!env.INFERENCE_TOKEN) {
    throw new Error(
      'invalid inference environment:\n  INFERENCE_TOKEN: required (the bearer secret the web sends; ' +
        "`openssl rand -hex 32`, the same value in the web's environment). `npm start` generates one.",
    );
  }
  return env;
}
