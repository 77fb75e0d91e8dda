import { MARKETS, type TMarket } from '@investiq/contracts';
import { DATA_KINDS, type DataKind } from '@investiq/market';
import { z } from 'zod';
import { registerSetting } from '../settings/registry';
import { chainListProblem, providerDescriptor } from './registry';

const providerId = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'provider ids are lower-case words');
const kindChains = z.strictObject(
  Object.fromEntries(DATA_KINDS.map((k) => [k, z.array(providerId).max(8)])) as Record<
    DataKind,
    z.ZodArray<typeof providerId>
  >,
);

export type TProviderChains = Record<TMarket, Record<DataKind, string[]>>;

const allDemo = (): Record<DataKind, string[]> =>
  Object.fromEntries(DATA_KINDS.map((k) => [k, ['demo']])) as Record<DataKind, string[]>;

/**
 * Ordered providers per market and kind (first = primary). Defaults per process from PROVIDERS_US/CN/HK;
 * `demo` everywhere otherwise, so a fresh start stays offline.
 */
export const SProviderChains = registerSetting<TProviderChains>({
  key: 'providers.chains',
  section: 'providers',
  description:
    'Provider chain per market and kind of data (first is primary; the next ones take over on failure). Demo data only where "demo" is listed.',
  schema: z.strictObject({ CN: kindChains, HK: kindChains, US: kindChains }).superRefine((v, ctx) => {
    for (const m of MARKETS)
      for (const k of DATA_KINDS) {
        const problem = chainListProblem(m, k, v[m][k]);
        if (problem) ctx.addIssue({ code: 'custom', path: [m, k], message: problem });
      }
  }),
  default: { CN: allDemo(), HK: allDemo(), US: allDemo() },
});

const urlOrEmpty = z
  .string()
  .max(512)
  .refine((s) => {
    if (s === '') return true;
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL or empty (the default)');

/** API root per provider; empty = the environment's `<ID>_BASE_URL`, else the vendor's documented default. */
export const SProviderBaseUrls = registerSetting<Record<string, string>>({
  key: 'providers.baseUrls',
  section: 'providers',
  description:
    'API base URL per provider (empty: <NAME>_BASE_URL from the environment, else the vendor default).',
  schema: z.record(providerId, urlOrEmpty).superRefine((v, ctx) => {
    for (const id of Object.keys(v))
      if (!providerDescriptor(id))
        ctx.addIssue({ code: 'custom', path: [id], message: `unknown provider '${id}'` });
  }),
  default: {},
});

const budget = z.strictObject({
  perMinute: z.number().int().min(0).max(1_000_000),
  perDay: z.number().int().min(0).max(100_000_000),
});

/** Request budgets per provider (0 = no limit); a provider not listed keeps its vendor's free-tier default. */
export const SProviderBudgets = registerSetting<Record<string, { perMinute: number; perDay: number }>>({
  key: 'providers.budgets',
  section: 'providers',
  description:
    'Requests per minute and per day each provider may receive, shared by all processes (0 = no limit; unlisted: the free-tier default).',
  schema: z.record(providerId, budget).superRefine((v, ctx) => {
    for (const id of Object.keys(v))
      if (!providerDescriptor(id))
        ctx.addIssue({ code: 'custom', path: [id], message: `unknown provider '${id}'` });
  }),
  default: {},
});

/** When a market has two sources of daily bars, closes further apart than this are flagged. */
export const SProviderCrossCheck = registerSetting({
  key: 'providers.crossCheck',
  section: 'providers',
  description: 'Flag a daily close when two sources disagree by more than this many percent.',
  schema: z.strictObject({ thresholdPercent: z.number().min(0.01).max(100) }),
  default: { thresholdPercent: 1 },
});
