import type { TMarket } from '@investiq/contracts';
import type { DataKind, DataProvider } from '../provider';

/**
 * What every vendor adapter is built from. Adapters do plain HTTP with `fetch` (injectable for tests),
 * classify every failure as a typed `ProviderError`, and never invent data.
 */
export interface VendorOptions {
  /** The vendor's API root; every adapter has a documented default and honours an override. */
  baseUrl?: string | undefined;
  /** API key / token for vendors that need one. */
  apiKey?: string | undefined;
  /** Per-request timeout (default 8 s). A timeout is a `ProviderError` of kind `timeout`. */
  timeoutMs?: number | undefined;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch | undefined;
  /** Clock (tests). */
  now?: (() => Date) | undefined;
}

/** Free-tier request budgets of a vendor (defaults; the admin may edit them). 0 = no limit. */
export interface VendorBudget {
  perMinute: number;
  perDay: number;
}

/** One entry of the vendor registry: everything the chain, the admin page and the docs need. */
export interface VendorDescriptor {
  /** Stable id, also the `source` label of every stored row (`finnhub`, `yahoo`, `tushare`, …). */
  id: string;
  /** Human name for the admin page. */
  label: string;
  markets: readonly TMarket[];
  kinds: readonly DataKind[];
  /** Needs an API key/token; the chain skips it (with a clear status) when none is configured. */
  needsKey: boolean;
  /** Its field in the encrypted `providers.apiKeys` setting (admin wins) and the env fallback. */
  keyField?: string;
  keyEnv?: string;
  defaultBaseUrl: string;
  /** `<NAME>_BASE_URL`. */
  baseUrlEnv: string;
  budget: VendorBudget;
  /** Where the request/response format was taken from (docs URL or public project file). */
  formatSource: string;
  create(opts: VendorOptions): DataProvider;
}
