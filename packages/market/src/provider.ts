import type { TBar, TMarket, TSymbolInfo } from '@investiq/contracts';

/** A quote as a provider delivers it, before it is stored. */
export interface ProviderQuote {
  market: TMarket;
  symbol: string;
  ts: Date;
  source: string;
  price: number;
  open: number | null;
  high: number | null;
  low: number | null;
  prevClose: number | null;
  volume: number | null;
}

export interface SymbolRef {
  market: TMarket;
  symbol: string;
}

export interface DateRange {
  /** inclusive, `YYYY-MM-DD` */
  from: string;
  /** inclusive, `YYYY-MM-DD` */
  to: string;
}

/**
 * What InvestIQ needs from a market-data vendor. Fundamentals and news join in later issues.
 * Every method may throw a `ProviderError`.
 */
export interface DataProvider {
  readonly id: string;
  readonly markets: readonly TMarket[];
  /** The symbols this provider streams by default (the demo universe; a user's watchlist for vendors). */
  listSymbols(): Promise<TSymbolInfo[]>;
  searchSymbols(query: string, opts?: { market?: TMarket; limit?: number }): Promise<TSymbolInfo[]>;
  getQuotes(symbols: readonly SymbolRef[]): Promise<ProviderQuote[]>;
  getDailyBars(ref: SymbolRef, range: DateRange): Promise<TBar[]>;
  /** Simulators only: past quotes at a fixed step, to warm up an empty intraday chart. */
  backfillQuotes?(refs: readonly SymbolRef[], from: Date, to: Date, stepMs: number): ProviderQuote[];
}

export type ProviderErrorKind =
  | 'rate_limited'
  | 'unauthorized'
  | 'not_found'
  | 'unavailable'
  | 'bad_response';

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(`${provider}: ${message}`, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  readonly retryAfterSeconds: number | undefined;
}
