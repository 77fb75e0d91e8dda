import path from 'node:path';
import { chainListProblem, chainsFromList, parseTrustProxy, providerDescriptors } from '@investiq/api';
import { MARKETS, type TMarket } from '@investiq/contracts';
import { INFERENCE_ENDPOINT_DEFAULTS, ZInferenceEndpointUrl } from '@investiq/contracts/inference';
import { telemetryEnvShape } from '@investiq/telemetry/env';
import { z } from 'zod';

/** `PROVIDERS_US=finnhub,yahoo`: known providers of that market, no duplicates; first is primary. */
const providerList = (market: TMarket) =>
  z
    .string()
    .default('demo')
    .transform((v, ctx) => {
      const ids = v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const problem =
        ids.length === 0 ? 'list at least one provider (e.g. demo)' : chainListProblem(market, null, ids);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return ids;
    });

/** A per-call inference timeout in ms (INFERENCE_*_TIMEOUT_MS). */
const inferenceTimeout = (fallback: number) =>
  z.coerce.number().int().min(100).max(600_000).default(fallback);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting of the web server, validated once. Nothing else reads process.env. */
export const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** PostgreSQL: give up opening a connection after this many ms (0 = wait forever). */
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /** PostgreSQL: statement_timeout of the pool's sessions in ms (0 = none); migrations are exempt. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  DATA_DIR: z.string().default('./data'),
  PROVIDER: z.enum(['demo']).default('demo'),
  DEMO_SEED: z.coerce.number().int().default(20240101),
  DEMO_ALWAYS_OPEN: bool.default(true),
  /** Provider chain per market, first is primary (docs/providers.md); `demo` keeps a fresh start offline. */
  PROVIDERS_US: providerList('US'),
  PROVIDERS_CN: providerList('CN'),
  PROVIDERS_HK: providerList('HK'),
  /** Vendor keys (the encrypted admin setting providers.apiKeys wins when set). */
  FINNHUB_API_KEY: z.string().max(256).optional(),
  TUSHARE_TOKEN: z.string().max(256).optional(),
  /** Per vendor call, ms. */
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(8_000),
  /** `exchange`: poll a market only while its exchange is in session (plus one poll after the close). */
  COLLECTOR_SESSIONS: z.enum(['exchange', 'always']).default('exchange'),
  COLLECTOR_MODE: z.enum(['auto', 'embedded', 'off']).default('auto'),
  COLLECTOR_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).default(2000),
  /** A standby collector retries the cluster lock this often (only one collector polls per database). */
  COLLECTOR_LEADER_RETRY_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** `npm run collector` serves Prometheus metrics on this port (unset: off). */
  COLLECTOR_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  COLLECTOR_METRICS_HOST: z.string().default('127.0.0.1'),
  QUOTE_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(604_800).default(30),
  QUOTE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  QUOTE_HISTORY_YEARS: z.coerce.number().int().min(1).max(10).default(3),
  QUOTE_INGEST_MAX_ROWS: z.coerce.number().int().min(1).max(100_000).default(10_000),
  /** 32 random bytes, base64 (`openssl rand -base64 32`): encrypts secret settings. */
  SECRETS_KEY: z.string().optional(),
  /** The previous SECRETS_KEY while rotating; stored secrets are re-encrypted at start-up. */
  SECRETS_KEY_PREVIOUS: z.string().optional(),
  /** Let notification channels reach loopback/private/link-local addresses (ntfy on the LAN); default off. */
  OUTBOUND_ALLOW_PRIVATE: bool.default(false),
  /** Run the notification delivery worker in this process (default true; e.g. false on extra web replicas). */
  NOTIFICATIONS_WORKER: bool.default(true),
  /** Reverse proxies to believe: false | hop count (true = 1) | their addresses/CIDRs, comma-separated. */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      try {
        return parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Bearer credential for /api/metrics and detailed /api/health (Prometheus); admins need none. */
  METRICS_TOKEN: z
    .string()
    .min(32, 'METRICS_TOKEN must be at least 32 characters; try: openssl rand -base64 32')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Live-update streams (SSE) one user or API token may hold open at once; more → 429. */
  SSE_MAX_STREAMS_PER_PRINCIPAL: z.coerce.number().int().min(1).max(1000).default(8),
  /** A live-update stream is closed after this long; the browser reconnects (re-checking access). */
  SSE_MAX_DURATION_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  /** The address users reach us at (first-run setup link, links in scheduled report summaries), e.g. https://invest.example.lan */
  PUBLIC_URL: z.url().optional(),
  /** A running report is claimed for this long without a heartbeat; then another process may fail it. */
  REPORT_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Inference services the reports call (see docs/reports.md); per-attempt timeouts in ms.
  INFERENCE_LLM_URL: ZInferenceEndpointUrl.default(INFERENCE_ENDPOINT_DEFAULTS.urls.llm),
  INFERENCE_SENTIMENT_URL: ZInferenceEndpointUrl.default(INFERENCE_ENDPOINT_DEFAULTS.urls.sentiment),
  INFERENCE_TIMESERIES_URL: ZInferenceEndpointUrl.default(INFERENCE_ENDPOINT_DEFAULTS.urls.timeseries),
  INFERENCE_CPU_URL: ZInferenceEndpointUrl.default(INFERENCE_ENDPOINT_DEFAULTS.urls['cpu-timeseries']),
  INFERENCE_LLM_TIMEOUT_MS: inferenceTimeout(INFERENCE_ENDPOINT_DEFAULTS.timeoutMs.llm),
  INFERENCE_SENTIMENT_TIMEOUT_MS: inferenceTimeout(INFERENCE_ENDPOINT_DEFAULTS.timeoutMs.sentiment),
  INFERENCE_TIMESERIES_TIMEOUT_MS: inferenceTimeout(INFERENCE_ENDPOINT_DEFAULTS.timeoutMs.timeseries),
  INFERENCE_CPU_TIMEOUT_MS: inferenceTimeout(INFERENCE_ENDPOINT_DEFAULTS.timeoutMs['cpu-timeseries']),
  INFERENCE_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  INFERENCE_BREAKER_HALF_OPEN_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** The inference services' shared bearer secret (the same INFERENCE_TOKEN they run with). */
  INFERENCE_TOKEN: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim())),
  // Tracing (OpenTelemetry, OTLP over HTTP): off unless an endpoint is set; see README → Tracing.
  ...telemetryEnvShape,
});

export type Env = z.infer<typeof ZEnv> & {
  /** `<NAME>_BASE_URL` of every registered provider that has one set, by provider id. */
  providerBaseUrls: Record<string, string>;
  /** Each provider's key variable (FINNHUB_API_KEY, TUSHARE_TOKEN, …) when set, by provider id. */
  providerKeys: Record<string, string>;
};

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Base URLs and keys named by the provider registry: adding a vendor adds its variables, no code here. */
function providerVariables(source: Record<string, string | undefined>) {
  const providerBaseUrls: Record<string, string> = {};
  const providerKeys: Record<string, string> = {};
  const issues: string[] = [];
  for (const d of providerDescriptors()) {
    const url = source[d.baseUrlEnv]?.trim();
    if (url) {
      const ok = httpUrl.safeParse(url);
      if (ok.success) providerBaseUrls[d.id] = url.replace(/\/+$/, '');
      else issues.push(`  ${d.baseUrlEnv}: must be an http(s) URL`);
    }
    const key = d.keyEnv ? source[d.keyEnv]?.trim() : undefined;
    if (key) providerKeys[d.id] = key;
  }
  return { providerBaseUrls, providerKeys, issues };
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = ZEnv.safeParse(source);
  const vars = providerVariables(source);
  const lines = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)),
    ...vars.issues,
  ];
  if (!parsed.success || lines.length > 0)
    throw new Error(`invalid configuration:\n${lines.join('\n')}\nsee .env.example`);
  return { ...parsed.data, providerBaseUrls: vars.providerBaseUrls, providerKeys: vars.providerKeys };
}

export function runtimeConfigFromEnv(env: Env, opts: { collector?: boolean } = {}) {
  const embedded = !env.DATABASE_URL;
  const collectorEnabled =
    opts.collector ?? (env.COLLECTOR_MODE === 'embedded' || (env.COLLECTOR_MODE === 'auto' && embedded));
  return {
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.DATA_DIR, 'pglite'),
    database: {
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    },
    provider: env.PROVIDER,
    demo: { seed: env.DEMO_SEED, alwaysOpen: env.DEMO_ALWAYS_OPEN },
    providers: {
      chains: Object.fromEntries(
        MARKETS.map((m) => [
          m,
          chainsFromList(m, { US: env.PROVIDERS_US, CN: env.PROVIDERS_CN, HK: env.PROVIDERS_HK }[m]),
        ]),
      ) as Record<TMarket, ReturnType<typeof chainsFromList>>,
      apiKeys: env.providerKeys,
      baseUrls: env.providerBaseUrls,
      sessions: env.COLLECTOR_SESSIONS,
      timeoutMs: env.PROVIDER_TIMEOUT_MS,
    },
    collector: {
      enabled: collectorEnabled,
      intervalMs: env.COLLECTOR_INTERVAL_MS,
      leaderRetryMs: env.COLLECTOR_LEADER_RETRY_MS,
    },
    quotes: {
      defaultMaxAgeSeconds: env.QUOTE_MAX_AGE_SECONDS,
      retentionDays: env.QUOTE_RETENTION_DAYS,
      historyYears: env.QUOTE_HISTORY_YEARS,
      maxIngestRows: env.QUOTE_INGEST_MAX_ROWS,
    },
    logLevel: env.LOG_LEVEL,
    reportLeaseMs: env.REPORT_LEASE_MS,
    streams: {
      maxPerPrincipal: env.SSE_MAX_STREAMS_PER_PRINCIPAL,
      maxDurationMs: env.SSE_MAX_DURATION_SECONDS * 1000,
    },
    inference: {
      urls: {
        llm: env.INFERENCE_LLM_URL,
        sentiment: env.INFERENCE_SENTIMENT_URL,
        timeseries: env.INFERENCE_TIMESERIES_URL,
        'cpu-timeseries': env.INFERENCE_CPU_URL,
      },
      timeoutMs: {
        llm: env.INFERENCE_LLM_TIMEOUT_MS,
        sentiment: env.INFERENCE_SENTIMENT_TIMEOUT_MS,
        timeseries: env.INFERENCE_TIMESERIES_TIMEOUT_MS,
        'cpu-timeseries': env.INFERENCE_CPU_TIMEOUT_MS,
      },
      breakerThreshold: env.INFERENCE_BREAKER_THRESHOLD,
      halfOpenAfterMs: env.INFERENCE_BREAKER_HALF_OPEN_MS,
      token: env.INFERENCE_TOKEN,
    },
    security: {
      trustProxy: env.TRUST_PROXY,
      metricsToken: env.METRICS_TOKEN,
      secretsKey: env.SECRETS_KEY || undefined,
      secretsKeyPrevious: env.SECRETS_KEY_PREVIOUS || undefined,
    },
    notifications: { allowPrivate: env.OUTBOUND_ALLOW_PRIVATE, worker: env.NOTIFICATIONS_WORKER },
    // links in scheduled report summaries
    publicUrl:
      env.PUBLIC_URL ??
      `http://${env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST}:${env.PORT}`,
  };
}
