import { INFERENCE_ENDPOINT_DEFAULTS, ZInferenceEndpointUrl } from '@investiq/contracts/inference';
import { z } from 'zod';
import { registerSetting } from './registry';

const url = ZInferenceEndpointUrl;
const timeoutMs = z.number().int().min(100, 'at least 100 ms').max(600_000, 'at most 600000 ms');

/** Data-provider API keys. Secret: encrypted at rest, masked on read. Empty string = not configured. */
export const SProviderKeys = registerSetting({
  key: 'providers.apiKeys',
  section: 'providers',
  secret: true,
  description: 'API keys of the market-data vendors (encrypted at rest, shown masked).',
  schema: z.strictObject({
    finnhub: z.string().max(256),
    tushare: z.string().max(256),
    yahoo: z.string().max(256),
  }),
  default: { finnhub: '', tushare: '', yahoo: '' },
});

const services = <T extends z.ZodType>(t: T) =>
  z.strictObject({ llm: t, sentiment: t, timeseries: t, 'cpu-timeseries': t });

/** Same shape as the reports' InferenceConfig; defaults per process from INFERENCE_*_URL / _TIMEOUT_MS. */
export const SInferenceEndpoints = registerSetting({
  key: 'inference.endpoints',
  section: 'inference',
  description: 'Where the inference services listen, and how long one call may take (ms).',
  schema: z.strictObject({ urls: services(url), timeoutMs: services(timeoutMs) }),
  default: {
    urls: { ...INFERENCE_ENDPOINT_DEFAULTS.urls },
    timeoutMs: { ...INFERENCE_ENDPOINT_DEFAULTS.timeoutMs },
  },
});

/** Defaults here are replaced per process by the environment (QUOTE_MAX_AGE_SECONDS, QUOTE_RETENTION_DAYS). */
export const SQuoteFreshness = registerSetting({
  key: 'quotes.freshness',
  section: 'quotes',
  description: 'Default max age of a "fresh" quote, and how many days of quotes are kept.',
  schema: z.strictObject({
    defaultMaxAgeSeconds: z.number().int().min(1).max(604_800),
    retentionDays: z.number().int().min(1).max(3650),
  }),
  default: { defaultMaxAgeSeconds: 30, retentionDays: 30 },
});

const perMinute = z.number().int().min(1).max(1_000_000);

export const SRateLimits = registerSetting({
  key: 'security.rateLimits',
  section: 'security',
  description:
    'Requests per minute per IP (anonymous), per signed-in user and per API token; sign-in attempts and failures; invalid API tokens per IP.',
  schema: z.strictObject({
    anonymousPerIpPerMinute: perMinute,
    userPerMinute: perMinute,
    tokenPerMinute: perMinute,
    /** sign-in attempts from one IP */
    loginPerIpPer15Minutes: z.number().int().min(1).max(10_000),
    /** failed sign-ins for one username from one IP; then that pair waits (the owner elsewhere is not locked out) */
    loginPerUsernamePer15Minutes: z.number().int().min(1).max(10_000),
    /** failed sign-ins for one username from all IPs; past it only IPs that signed in as that user before get through */
    loginFailuresPerUsernamePerHour: z.number().int().min(1).max(100_000).default(100),
    /** invalid API tokens presented from one IP */
    authFailuresPerIpPer15Minutes: z.number().int().min(1).max(100_000).default(30),
  }),
  default: {
    anonymousPerIpPerMinute: 120,
    userPerMinute: 1200,
    tokenPerMinute: 6000,
    loginPerIpPer15Minutes: 30,
    loginPerUsernamePer15Minutes: 10,
    loginFailuresPerUsernamePerHour: 100,
    authFailuresPerIpPer15Minutes: 30,
  },
});

export const SSessions = registerSetting({
  key: 'security.sessions',
  section: 'security',
  description: 'How long a browser session lasts after sign-in.',
  schema: z.strictObject({
    maxAgeHours: z
      .number()
      .min(0.01)
      .max(24 * 90),
  }),
  default: { maxAgeHours: 24 * 7 },
});

export const SUiDefaults = registerSetting({
  key: 'ui.defaults',
  section: 'ui',
  description: 'Language and price-colour convention for users who have not chosen their own.',
  schema: z.strictObject({
    language: z.enum(['en', 'zh-CN']),
    colorConvention: z.enum(['market', 'red-up', 'green-up']),
  }),
  default: { language: 'en', colorConvention: 'market' },
});

export const SApiTokens = registerSetting({
  key: 'security.apiTokens',
  section: 'security',
  description:
    'Longest lifetime of a new API token in days (a token without an expiry gets this one); 0 = no limit.',
  schema: z.strictObject({ maxLifetimeDays: z.number().int().min(0).max(3650) }),
  default: { maxLifetimeDays: 365 },
});
