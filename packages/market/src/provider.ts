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
  /** Intraday bars (ISO `time`), newest last; `intervalMinutes` is 1, 5, 15, 30 or 60. */
  getIntradayBars?(ref: SymbolRef, opts: { intervalMinutes: number; from: Date; to: Date }): Promise<TBar[]>;
  /** The whole listed universe of `market` (thousands of names for a real vendor). */
  listUniverse?(market: TMarket): Promise<TSymbolInfo[]>;
  /** The exchange calendar of `market` between two dates (inclusive): one entry per calendar day. */
  getTradeCalendar?(market: TMarket, range: DateRange): Promise<TradeCalendarDay[]>;
  /**
   * Seconds by which this source's quotes lag the exchange, per market, when the vendor declares a delay
   * (e.g. 15-minute HK feeds). Absent or 0: realtime.
   */
  readonly quoteDelaySeconds?: Partial<Record<TMarket, number>>;
}

export interface TradeCalendarDay {
  /** `YYYY-MM-DD` in the exchange's zone. */
  date: string;
  open: boolean;
}

/** The kinds of data a provider chain routes separately (one chain per market and kind). */
export const DATA_KINDS = ['quotes', 'bars', 'fundamentals', 'news', 'universe'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/**
 * Why a provider call failed. The chain fails over on every kind except `not_found` and
 * `invalid_request` (the next source would say the same); `forbidden` is a plan limit (Finnhub 403
 * "You don't have access to this resource"), `quota_exhausted` a spent daily/points budget (Tushare),
 * `rate_limited` a per-minute limit (HTTP 429), `bad_response` a malformed, truncated or non-JSON body
 * (an HTML maintenance page is a failure, not data), `unsupported` a kind of data or market the
 * provider does not serve.
 */
export type ProviderErrorKind =
  | 'rate_limited'
  | 'quota_exhausted'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_request'
  | 'unavailable'
  | 'timeout'
  | 'bad_response'
  | 'unsupported';

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
