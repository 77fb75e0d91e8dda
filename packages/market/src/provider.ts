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

/** Latest annual figures of a company, in its reporting currency (absolute amounts, ratios as fractions). */
export interface Fundamentals {
  market: TMarket;
  symbol: string;
  currency: string;
  /** Fiscal year end of the statements, `YYYY-MM-DD`. */
  fiscalPeriodEnd: string;
  /** When the provider published these figures (ISO time): the as-of time of the section. */
  asOf: string;
  income: { revenue: number; grossProfit: number; operatingIncome: number; netIncome: number; eps: number };
  balance: {
    totalAssets: number;
    totalLiabilities: number;
    equity: number;
    cash: number;
    sharesOutstanding: number;
  };
  ratios: {
    pe: number | null;
    pb: number | null;
    roe: number;
    grossMargin: number;
    operatingMargin: number;
    netMargin: number;
    revenueGrowth: number;
    earningsGrowth: number;
    debtToEquity: number;
  };
  /** true for simulated figures (the demo market). */
  isDemo: boolean;
}

export interface NewsItem {
  id: string;
  /** ISO time of publication. */
  publishedAt: string;
  lang: 'zh' | 'en';
  headline: string;
  source: string;
  url: string | null;
  isDemo: boolean;
}

/**
 * What InvestIQ needs from a market-data vendor. Fundamentals and news are optional: a provider without
 * them leaves those report sections unavailable.
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
  getFundamentals?(ref: SymbolRef): Promise<Fundamentals>;
  /** Newest first, at most `limit` items published at or before `until` (default now). */
  getNews?(ref: SymbolRef, opts?: { limit?: number; lang?: 'zh' | 'en'; until?: Date }): Promise<NewsItem[]>;
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
