import { z } from 'zod';
import { typeError } from './messages';

/**
 * Wire contracts of the inference services (apps/inference). The services validate requests with these
 * schemas and the typed client (`@investiq/inference-client`) validates responses with them.
 */

/**
 * Where an inference service is reached (environment INFERENCE_*_URL, admin setting `inference.endpoints`):
 * http(s) only and no `user:pass@` — credentials in a URL would be shown in lineage and health, and the
 * services authenticate with the INFERENCE_TOKEN bearer secret instead.
 */
export const ZInferenceEndpointUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine((u) => {
    const parsed = new URL(u);
    return parsed.username === '' && parsed.password === '';
  }, 'must not contain credentials (user:password@); the services authenticate with INFERENCE_TOKEN');

export const INFERENCE_SERVICES = ['llm', 'sentiment', 'timeseries', 'cpu-timeseries'] as const;
export const ZInferenceServiceName = z.enum(INFERENCE_SERVICES);
export type TInferenceServiceName = z.infer<typeof ZInferenceServiceName>;

/** Where each service listens by default (apps/inference's *_PORT), and the web's default per-call timeouts. */
export const INFERENCE_DEFAULT_PORTS: Readonly<Record<TInferenceServiceName, number>> = {
  llm: 8001,
  sentiment: 8002,
  timeseries: 8003,
  'cpu-timeseries': 8004,
};
/** The one default of the endpoints setting, the web's INFERENCE_*_URL/_TIMEOUT_MS and the reports gateway. */
export const INFERENCE_ENDPOINT_DEFAULTS: {
  readonly urls: Readonly<Record<TInferenceServiceName, string>>;
  readonly timeoutMs: Readonly<Record<TInferenceServiceName, number>>;
} = {
  urls: Object.fromEntries(
    INFERENCE_SERVICES.map((s) => [s, `http://127.0.0.1:${INFERENCE_DEFAULT_PORTS[s]}`]),
  ) as Record<TInferenceServiceName, string>,
  timeoutMs: { llm: 60_000, sentiment: 5_000, timeseries: 5_000, 'cpu-timeseries': 15_000 },
};

export const ZFiniteNumber = z.number(typeError('must be a finite number'));

// ---------------------------------------------------------------------------------------------------------
// Errors and health

export const ZInferenceError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type TInferenceError = z.infer<typeof ZInferenceError>;

export const ZServiceStatus = z.enum(['ok', 'degraded', 'unconfigured', 'loading']);
export type TServiceStatus = z.infer<typeof ZServiceStatus>;

export const ZModelHealth = z.object({
  name: z.string(),
  version: z.string(),
  /** SHA-256 of the model file; null where there is no local file (llm upstream, cpu statistics). */
  sha256: z.string().nullable(),
  /** The execution provider the session actually uses (`upstream` for the llm proxy). */
  executionProvider: z.string(),
  requestedProvider: z.string(),
  fallbackReason: z.string().optional(),
  /** A caveat from the model's config.json, e.g. "random weights — for throughput measurement only". */
  note: z.string().optional(),
});
export type TModelHealth = z.infer<typeof ZModelHealth>;

export const ZServiceHealth = z.object({
  status: ZServiceStatus,
  service: ZInferenceServiceName,
  /** null while a model is loading or when it failed to load (then `error` says why). */
  model: ZModelHealth.nullable(),
  warmedUp: z.boolean(),
  queue: z.object({
    /** Requests waiting for a slot. */
    depth: z.number().int().nonnegative(),
    max: z.number().int().nonnegative(),
    /** Requests running now (services with a fair queue in front of a worker pool). */
    running: z.number().int().nonnegative().optional(),
  }),
  error: z.string().optional(),
});
export type TServiceHealth = z.infer<typeof ZServiceHealth>;

export const ZModelRef = z.object({ name: z.string(), version: z.string() });
export type TModelRef = z.infer<typeof ZModelRef>;

// ---------------------------------------------------------------------------------------------------------
// sentiment

export const SENTIMENT_MAX_TEXTS = 256;
export const SENTIMENT_MAX_CHARS = 2000;
export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;

export const ZSentimentRequest = z.object(
  {
    texts: z
      .array(
        z
          .string(typeError('must be a string'))
          .min(1, 'must not be empty')
          .max(SENTIMENT_MAX_CHARS, `must be at most ${SENTIMENT_MAX_CHARS} characters`)
          .refine((s) => s.trim().length > 0, 'must not be blank'),
        typeError('must be an array of strings'),
      )
      .min(1, 'must contain at least one text')
      .max(SENTIMENT_MAX_TEXTS, `too many texts: at most ${SENTIMENT_MAX_TEXTS} per request`),
    lang: z.enum(['zh', 'en', 'auto'], typeError("must be one of 'zh', 'en', 'auto'")).default('auto'),
  },
  { error: 'body must be a JSON object' },
);
export type TSentimentRequest = z.input<typeof ZSentimentRequest>;

export const ZSentimentScores = z.object({ negative: z.number(), neutral: z.number(), positive: z.number() });
export const ZSentimentResult = z.object({ label: z.enum(SENTIMENT_LABELS), scores: ZSentimentScores });
export type TSentimentResult = z.infer<typeof ZSentimentResult>;

export const ZSentimentResponse = z.object({ results: z.array(ZSentimentResult), model: ZModelRef });
export type TSentimentResponse = z.infer<typeof ZSentimentResponse>;

// ---------------------------------------------------------------------------------------------------------
// timeseries (neural forecast)

export const FORECAST_MAX_SERIES = 64;
/** Longest series accepted on the wire; only the model's last `contextLength` points are used. */
export const FORECAST_MAX_POINTS = 10_000;

export const ZForecastRequest = z.object(
  {
    series: z
      .array(
        z
          .array(ZFiniteNumber, typeError('must be an array of numbers'))
          .min(1, 'must not be empty')
          .max(FORECAST_MAX_POINTS, `must have at most ${FORECAST_MAX_POINTS} points`),
        typeError('must be an array of number arrays'),
      )
      .min(1, 'must contain at least one series')
      .max(FORECAST_MAX_SERIES, `too many series: at most ${FORECAST_MAX_SERIES} per request`),
    horizon: z
      .number(typeError('must be an integer'))
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .optional(),
  },
  { error: 'body must be a JSON object' },
);
export type TForecastRequest = z.input<typeof ZForecastRequest>;

export const ZForecast = z.object({
  point: z.array(z.number()),
  p10: z.array(z.number()),
  p50: z.array(z.number()),
  p90: z.array(z.number()),
});
export const ZForecastResponse = z.object({
  forecasts: z.array(ZForecast),
  contextLength: z.number().int(),
  horizon: z.number().int(),
  model: ZModelRef,
});
export type TForecastResponse = z.infer<typeof ZForecastResponse>;

// ---------------------------------------------------------------------------------------------------------
// cpu-timeseries (classical statistics)

export const STATS_MAX_POINTS = 20_000;

export const ZOhlcvBar = z.object({
  open: ZFiniteNumber,
  high: ZFiniteNumber,
  low: ZFiniteNumber,
  close: ZFiniteNumber,
  volume: ZFiniteNumber,
});

const ZPeriod = z
  .number(typeError('must be an integer'))
  .int('must be an integer')
  .min(1, 'must be at least 1')
  .max(1000, 'must be at most 1000');

/** One indicator to compute; kinds and parameters follow `@investiq/quant`'s `computeIndicators`. */
export const ZIndicatorSpec = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.enum(['sma', 'ema', 'rsi']), period: ZPeriod }),
    z.object({
      kind: z.literal('macd'),
      fast: ZPeriod.optional(),
      slow: ZPeriod.optional(),
      signal: ZPeriod.optional(),
    }),
    z.object({
      kind: z.literal('bollinger'),
      period: ZPeriod.optional(),
      stdDev: z.number(typeError('must be a number')).positive('must be positive').optional(),
    }),
    z.object({ kind: z.literal('atr'), period: ZPeriod.optional() }),
    z.object({ kind: z.literal('obv') }),
    z.object({
      kind: z.literal('kdj'),
      period: ZPeriod.optional(),
      kSmoothing: ZPeriod.optional(),
      dSmoothing: ZPeriod.optional(),
    }),
  ],
  typeError("kind must be one of 'sma', 'ema', 'rsi', 'macd', 'bollinger', 'atr', 'obv', 'kdj'"),
);
export type TIndicatorSpec = z.infer<typeof ZIndicatorSpec>;

export const ZIndicatorsRequest = z.object(
  {
    bars: z
      .array(ZOhlcvBar, typeError('must be an array of bars'))
      .min(1, 'must contain at least one bar')
      .max(STATS_MAX_POINTS, `must have at most ${STATS_MAX_POINTS} bars`),
    specs: z
      .array(ZIndicatorSpec, typeError('must be an array of indicator specs'))
      .min(1, 'must contain at least one indicator')
      .max(32, 'too many indicators: at most 32'),
  },
  { error: 'body must be a JSON object' },
);
export type TIndicatorsRequest = z.input<typeof ZIndicatorsRequest>;

const ZNullableSeries = z.array(z.number().nullable());
export const ZIndicatorsResponse = z.object({
  indicators: z.record(z.string(), z.union([ZNullableSeries, z.record(z.string(), ZNullableSeries)])),
});
export type TIndicatorsResponse = z.infer<typeof ZIndicatorsResponse>;

const ZHorizon = z
  .number(typeError('must be an integer'))
  .int('must be an integer')
  .min(1, 'must be at least 1')
  .max(365, 'must be at most 365');
/** Confidence levels as fractions, e.g. [0.8, 0.95]. */
const ZLevels = z
  .array(
    z
      .number(typeError('must be a number'))
      .gt(0, 'must be a fraction between 0 and 1, e.g. 0.95')
      .lt(1, 'must be a fraction between 0 and 1, e.g. 0.95'),
    typeError('must be an array of numbers'),
  )
  .max(8, 'at most 8 levels');
const ZOrderBound = z
  .number(typeError('must be an integer'))
  .int('must be an integer')
  .min(0, 'must be >= 0')
  .max(5, 'must be <= 5');

export const ZArimaRequest = z.object(
  {
    series: z
      .array(ZFiniteNumber, typeError('must be an array of numbers'))
      .min(20, 'must have at least 20 points')
      .max(STATS_MAX_POINTS, `must have at most ${STATS_MAX_POINTS} points`),
    horizon: ZHorizon,
    maxP: ZOrderBound.optional(),
    maxD: z.number(typeError('must be an integer')).int('must be an integer').min(0).max(2).optional(),
    maxQ: ZOrderBound.optional(),
    /** Interval levels as fractions, e.g. [0.8, 0.95]. */
    levels: ZLevels.optional(),
  },
  { error: 'body must be a JSON object' },
);
export type TArimaRequest = z.input<typeof ZArimaRequest>;

export const ZArimaResponse = z.object({
  order: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  aicc: z.number(),
  aic: z.number(),
  params: z.record(z.string(), z.number()),
  forecast: z.array(z.number()),
  intervals: z.array(z.object({ level: z.number(), lower: z.array(z.number()), upper: z.array(z.number()) })),
});
export type TArimaResponse = z.infer<typeof ZArimaResponse>;

export const ZGarchRequest = z.object(
  {
    returns: z
      .array(ZFiniteNumber, typeError('must be an array of numbers'))
      .min(50, 'must have at least 50 returns')
      .max(STATS_MAX_POINTS, `must have at most ${STATS_MAX_POINTS} returns`),
    horizon: ZHorizon,
    /** VaR levels as fractions, e.g. [0.95, 0.99]. */
    varLevels: ZLevels.optional(),
  },
  { error: 'body must be a JSON object' },
);
export type TGarchRequest = z.input<typeof ZGarchRequest>;

export const ZGarchResponse = z.object({
  params: z.object({ omega: z.number(), alpha: z.number(), beta: z.number(), mu: z.number() }),
  logLikelihood: z.number(),
  conditionalVolatility: z.array(z.number()),
  forecastVolatility: z.array(z.number()),
  var: z.array(z.object({ level: z.number(), value: z.number() })),
});
export type TGarchResponse = z.infer<typeof ZGarchResponse>;

// ---------------------------------------------------------------------------------------------------------
// llm (OpenAI-compatible chat completions, proxied to an upstream server)

export const ZChatMessage = z
  .object({
    role: z.enum(
      ['system', 'user', 'assistant', 'tool', 'developer'],
      typeError("must be one of 'system', 'user', 'assistant', 'tool', 'developer'"),
    ),
    content: z.union([z.string(), z.array(z.unknown()), z.null()], typeError('must be a string or an array')),
  })
  .catchall(z.unknown());

/** Unknown OpenAI parameters are passed through to the upstream unchanged. */
export const ZChatCompletionRequest = z
  .object(
    {
      model: z.string().min(1, 'must not be empty').optional(),
      messages: z
        .array(ZChatMessage, typeError('must be an array of messages'))
        .min(1, 'must contain at least one message')
        .max(512, 'too many messages: at most 512'),
      stream: z.boolean(typeError('must be a boolean')).optional(),
      max_tokens: z.number().int('must be an integer').min(1, 'must be at least 1').optional(),
      temperature: z.number(typeError('must be a number')).min(0).max(2).optional(),
    },
    { error: 'body must be a JSON object' },
  )
  .catchall(z.unknown());
export type TChatCompletionRequest = z.input<typeof ZChatCompletionRequest>;

export const ZChatUsage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
});

export const ZChatCompletionResponse = z
  .object({
    id: z.string().optional(),
    object: z.string().optional(),
    model: z.string().optional(),
    choices: z.array(
      z
        .object({
          index: z.number().int().optional(),
          message: z.object({ role: z.string(), content: z.string().nullable() }).catchall(z.unknown()),
          finish_reason: z.string().nullable().optional(),
        })
        .catchall(z.unknown()),
    ),
    usage: ZChatUsage.optional(),
  })
  .catchall(z.unknown());
export type TChatCompletionResponse = z.infer<typeof ZChatCompletionResponse>;

export const ZChatCompletionChunk = z
  .object({
    id: z.string().optional(),
    choices: z.array(
      z
        .object({
          index: z.number().int().optional(),
          delta: z.object({ content: z.string().nullable().optional() }).catchall(z.unknown()).optional(),
          finish_reason: z.string().nullable().optional(),
        })
        .catchall(z.unknown()),
    ),
    usage: ZChatUsage.nullable().optional(),
  })
  .catchall(z.unknown());
export type TChatCompletionChunk = z.infer<typeof ZChatCompletionChunk>;
