/**
 * Finnhub REST API v1 adapter (US market). Plain fetch through `vendorFetchJson`: the official
 * `finnhub` npm client is an OpenAPI-generated superagent wrapper that neither classifies errors nor
 * enforces timeouts, so it would add a dependency without removing any of our work.
 *
 * Formats: https://finnhub.io/docs/api (quote, stock-candles, company-profile2, company-basic-financials,
 * financials-reported, company-news, stock-symbols, symbol-search); field lists cross-checked with the
 * generated models of github.com/Finnhub-Stock-API/finnhub-js `docs/*.md`.
 * The key goes in the `X-Finnhub-Token` header (documented alternative to `token=`), so it never appears
 * in a URL, a log line or an error message.
 */
import { SYMBOL_PATTERNS, type TBar, type TMarket, type TSymbolInfo } from '@investiq/contracts';
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  type DataProvider,
  type DateRange,
  type Fundamentals,
  type NewsItem,
  ProviderError,
  type ProviderQuote,
  type SymbolRef,
} from '../provider';
import { mapWithConcurrency, type VendorHttpOptions, vendorFetchJson } from './http';
import type { VendorOptions } from './types';

export const FINNHUB_ID = 'finnhub';
export const FINNHUB_DEFAULT_BASE_URL = 'https://finnhub.io/api/v1';
/** Finnhub has no batch quote endpoint: one request per symbol, this many in flight. */
const QUOTE_CONCURRENCY = 4;
/** The US symbol list is ~10 MiB: fetched once per process and day. */
const UNIVERSE_TTL_MS = 24 * 3600 * 1000;
const NEWS_WINDOW_DAYS = 14;

/** Security types kept from `/stock/symbol` (equities); ETPs, warrants, units, preferreds are skipped. */
const EQUITY_TYPES = new Set(['Common Stock', 'ADR', 'REIT']);
/** Listing venues (MIC) we count as "US = NYSE/Nasdaq"; OTC (OOTC) and others are skipped. */
const US_MICS: Record<string, string> = {
  XNYS: 'NYSE',
  XNAS: 'NASDAQ',
  XASE: 'NYSE American',
  ARCX: 'NYSE Arca',
  BATS: 'Cboe BZX',
};

const num = z.number();
const ZQuote = z.object({
  c: num,
  d: num.nullable().optional(),
  dp: num.nullable().optional(),
  h: num.nullable().optional(),
  l: num.nullable().optional(),
  o: num.nullable().optional(),
  pc: num.nullable().optional(),
  t: num.nullable().optional(),
});
const ZCandles = z.union([
  z.object({ s: z.literal('no_data') }).loose(),
  z.object({
    s: z.literal('ok'),
    t: z.array(num),
    o: z.array(num),
    h: z.array(num),
    l: z.array(num),
    c: z.array(num),
    v: z.array(num),
  }),
]);
const ZProfile2 = z
  .object({
    currency: z.string().optional(),
    name: z.string().optional(),
    ticker: z.string().optional(),
    exchange: z.string().optional(),
    shareOutstanding: num.optional(),
  })
  .loose();
const ZMetric = z.object({ metric: z.record(z.string(), z.unknown()).optional() }).loose();
const ZReportLine = z.object({ concept: z.string(), value: z.unknown() }).loose();
const ZReported = z.object({
  data: z.array(
    z
      .object({
        form: z.string().optional(),
        year: num.optional(),
        endDate: z.string(),
        filedDate: z.string().optional(),
        acceptedDate: z.string().optional(),
        report: z.object({
          bs: z.array(ZReportLine).optional().default([]),
          ic: z.array(ZReportLine).optional().default([]),
          cf: z.array(ZReportLine).optional().default([]),
        }),
      })
      .loose(),
  ),
});
const ZNews = z.array(
  z
    .object({
      id: num,
      datetime: num,
      headline: z.string(),
      source: z.string().optional().default(''),
      url: z.string().optional(),
    })
    .loose(),
);
const ZSymbols = z.array(
  z
    .object({
      symbol: z.string(),
      description: z.string().optional().default(''),
      currency: z.string().nullable().optional(),
      mic: z.string().nullable().optional(),
      type: z.string().nullable().optional(),
    })
    .loose(),
);
const ZSearch = z.object({
  count: num.optional(),
  result: z.array(
    z
      .object({
        symbol: z.string(),
        description: z.string().optional().default(''),
        type: z.string().optional().default(''),
      })
      .loose(),
  ),
});

export class FinnhubProvider implements DataProvider {
  readonly id = FINNHUB_ID;
  readonly markets: readonly TMarket[] = ['US'];
  private readonly baseUrl: string;
  private readonly now: () => Date;
  private universe: { at: number; list: TSymbolInfo[] } | undefined;

  constructor(private readonly opts: VendorOptions) {
    if (!opts.apiKey)
      throw new ProviderError(FINNHUB_ID, 'unauthorized', 'no API key configured (FINNHUB_API_KEY)');
    this.baseUrl = (opts.baseUrl ?? FINNHUB_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.now = opts.now ?? (() => new Date());
  }

  /** Vendors stream the user's watchlist, which the collector supplies: nothing by default. */
  async listSymbols(): Promise<TSymbolInfo[]> {
    return [];
  }

  async searchSymbols(
    query: string,
    opts: { market?: TMarket; limit?: number } = {},
  ): Promise<TSymbolInfo[]> {
    if (opts.market && opts.market !== 'US') return [];
    const q = query.trim();
    const limit = opts.limit ?? 20;
    if (q === '') return [];
    const cached = this.cachedUniverse();
    if (cached) {
      const ql = q.toLowerCase();
      return cached
        .filter((s) => s.symbol.toLowerCase().includes(ql) || s.name.toLowerCase().includes(ql))
        .slice(0, limit);
    }
    const res = await this.get('/search', { q, exchange: 'US' }, ZSearch);
    return res.result
      .filter((r) => EQUITY_TYPES.has(r.type) && SYMBOL_PATTERNS.US.test(r.symbol))
      .slice(0, limit)
      .map((r) => info(r.symbol, r.description, 'USD', 'US'));
  }

  async getQuotes(symbols: readonly SymbolRef[]): Promise<ProviderQuote[]> {
    for (const r of symbols) this.assertUs(r);
    const quotes = await mapWithConcurrency(symbols, QUOTE_CONCURRENCY, async (ref) => {
      const q = await this.get('/quote', { symbol: ref.symbol }, ZQuote);
      // Finnhub answers an unknown or untraded symbol with zeros: no data, never a zero price.
      if (!q.t || !q.c) return null;
      const quote: ProviderQuote = {
        market: 'US',
        symbol: ref.symbol,
        ts: new Date(q.t * 1000),
        source: FINNHUB_ID,
        price: q.c,
        open: positive(q.o),
        high: positive(q.h),
        low: positive(q.l),
        prevClose: positive(q.pc),
        // /quote carries no volume.
        volume: null,
      };
      return quote;
    });
    return quotes.filter((q): q is ProviderQuote => q !== null);
  }

  /**
   * `/stock/candle` daily bars. Finnhub stamps daily candles at 00:00 UTC of the session date, so the bar
   * date is the UTC date. Free keys get 403 here since 2024 → `forbidden`, and the chain falls through.
   */
  async getDailyBars(ref: SymbolRef, range: DateRange): Promise<TBar[]> {
    this.assertUs(ref);
    const from = Date.parse(`${range.from}T00:00:00Z`) / 1000;
    const to = Date.parse(`${range.to}T23:59:59Z`) / 1000;
    const res = await this.get('/stock/candle', { symbol: ref.symbol, resolution: 'D', from, to }, ZCandles);
    if (res.s !== 'ok') return [];
    const bars: TBar[] = [];
    for (let i = 0; i < res.t.length; i++) {
      const [t, o, h, l, c, v] = [res.t[i], res.o[i], res.h[i], res.l[i], res.c[i], res.v[i]];
      if (t === undefined || o === undefined || h === undefined || l === undefined || c === undefined)
        continue;
      const time = new Date(t * 1000).toISOString().slice(0, 10);
      if (time < range.from || time > range.to) continue;
      bars.push({ time, open: o, high: h, low: l, close: c, volume: v ?? 0 });
    }
    return bars;
  }

  /**
   * Latest annual figures. `/stock/profile2` + `/stock/metric` alone cannot fill `Fundamentals` honestly
   * (no absolute balance-sheet amounts: only per-share and ratio figures), so the statements come from
   * `/stock/financials-reported?freq=annual` (the 10-K as filed, free tier), profile2 gives the filing
   * currency and metric gives the price-based P/E and P/B. Derived, not reported:
   * margins, ROE, debtToEquity (= total liabilities / equity, as the demo defines it) and the growth
   * rates (this 10-K vs the previous one). A filing without the needed concepts is `unsupported`.
   */
  async getFundamentals(ref: SymbolRef): Promise<Fundamentals> {
    this.assertUs(ref);
    const [profile, metric, reported] = await Promise.all([
      this.get('/stock/profile2', { symbol: ref.symbol }, ZProfile2),
      this.get('/stock/metric', { symbol: ref.symbol, metric: 'all' }, ZMetric),
      this.get('/stock/financials-reported', { symbol: ref.symbol, freq: 'annual' }, ZReported),
    ]);
    const filings = reported.data
      .filter((d) => !d.form || /^(10-K|20-F|40-F)/.test(d.form))
      .sort((a, b) => b.endDate.localeCompare(a.endDate));
    const latest = filings[0];
    if (!latest) {
      throw new ProviderError(FINNHUB_ID, 'unsupported', `no annual report for ${ref.symbol}`);
    }
    const cur = readStatements(latest.report);
    const prev = filings[1] ? readStatements(filings[1].report) : undefined;
    const missing = Object.entries(cur)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    if (missing.length > 0) {
      throw new ProviderError(
        FINNHUB_ID,
        'unsupported',
        `annual report of ${ref.symbol} (${latest.endDate.slice(0, 10)}) lacks ${missing.join(', ')}`,
      );
    }
    const c = cur as { [K in keyof typeof cur]-?: number };
    const revenueGrowth = growth(c.revenue, prev?.revenue);
    const earningsGrowth = growth(c.netIncome, prev?.netIncome);
    if (revenueGrowth === null || earningsGrowth === null || c.revenue === 0 || c.equity === 0) {
      throw new ProviderError(
        FINNHUB_ID,
        'unsupported',
        `annual reports of ${ref.symbol} do not give derivable growth/ratios (need two years with positive revenue, net income base and equity)`,
      );
    }
    const m = metric.metric ?? {};
    const pe = firstNumber(m, ['peAnnual', 'peExclExtraAnnual', 'peTTM']);
    const pb = firstNumber(m, ['pbAnnual', 'pb']);
    return {
      market: 'US',
      symbol: ref.symbol,
      currency: profile.currency || 'USD',
      fiscalPeriodEnd: latest.endDate.slice(0, 10),
      asOf: filedAt(latest, ref.symbol),
      income: {
        revenue: c.revenue,
        grossProfit: c.grossProfit,
        operatingIncome: c.operatingIncome,
        netIncome: c.netIncome,
        eps: c.eps,
      },
      balance: {
        totalAssets: c.totalAssets,
        totalLiabilities: c.totalLiabilities,
        equity: c.equity,
        cash: c.cash,
        sharesOutstanding: c.sharesOutstanding,
      },
      ratios: {
        pe: pe !== null && pe > 0 ? pe : null,
        pb: pb !== null && pb > 0 ? pb : null,
        roe: c.netIncome / c.equity,
        grossMargin: c.grossProfit / c.revenue,
        operatingMargin: c.operatingIncome / c.revenue,
        netMargin: c.netIncome / c.revenue,
        revenueGrowth,
        earningsGrowth,
        debtToEquity: c.totalLiabilities / c.equity,
      },
      isDemo: false,
    };
  }

  /** `/company-news` over the last two weeks before `until`; Finnhub news is English only. */
  async getNews(
    ref: SymbolRef,
    opts: { limit?: number; lang?: 'zh' | 'en'; until?: Date } = {},
  ): Promise<NewsItem[]> {
    this.assertUs(ref);
    if (opts.lang === 'zh') return [];
    const until = opts.until ?? this.now();
    const from = new Date(until.getTime() - NEWS_WINDOW_DAYS * 86400_000);
    const items = await this.get(
      '/company-news',
      { symbol: ref.symbol, from: ymd(from), to: ymd(until) },
      ZNews,
    );
    const untilSec = until.getTime() / 1000;
    return items
      .filter((n) => n.datetime <= untilSec && n.headline.trim() !== '')
      .sort((a, b) => b.datetime - a.datetime)
      .slice(0, opts.limit ?? 20)
      .map((n) => ({
        id: `${FINNHUB_ID}:${n.id}`,
        publishedAt: new Date(n.datetime * 1000).toISOString(),
        lang: 'en' as const,
        headline: n.headline.trim(),
        source: n.source,
        url: n.url || null,
        isDemo: false,
      }));
  }

  /** `/stock/symbol?exchange=US`: common stocks, ADRs and REITs on NYSE/Nasdaq venues in our symbol format. */
  async listUniverse(market: TMarket): Promise<TSymbolInfo[]> {
    if (market !== 'US') throw new ProviderError(FINNHUB_ID, 'unsupported', `market ${market} is not served`);
    const cached = this.cachedUniverse();
    if (cached) return cached;
    const rows = await this.get('/stock/symbol', { exchange: 'US' }, ZSymbols, { timeoutMs: 30_000 });
    const list: TSymbolInfo[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      const exchange = r.mic ? US_MICS[r.mic] : undefined;
      if (!exchange || !r.type || !EQUITY_TYPES.has(r.type)) continue;
      if (!SYMBOL_PATTERNS.US.test(r.symbol) || seen.has(r.symbol)) continue;
      seen.add(r.symbol);
      list.push(info(r.symbol, r.description, r.currency || 'USD', exchange));
    }
    list.sort((a, b) => a.symbol.localeCompare(b.symbol));
    this.universe = { at: this.now().getTime(), list };
    return list;
  }

  private cachedUniverse(): TSymbolInfo[] | undefined {
    if (this.universe && this.now().getTime() - this.universe.at < UNIVERSE_TTL_MS) return this.universe.list;
    return undefined;
  }

  private assertUs(ref: SymbolRef): void {
    if (ref.market !== 'US') {
      throw new ProviderError(
        FINNHUB_ID,
        'unsupported',
        `market ${ref.market} is not served (${ref.symbol})`,
      );
    }
  }

  private get<T>(
    path: string,
    query: Record<string, string | number>,
    schema: z.ZodType<T>,
    extra: Partial<VendorHttpOptions> = {},
  ): Promise<T> {
    return vendorFetchJson(FINNHUB_ID, `${this.baseUrl}${path}`, {
      query,
      schema,
      headers: { 'X-Finnhub-Token': this.opts.apiKey ?? '' },
      secrets: [this.opts.apiKey],
      timeoutMs: this.opts.timeoutMs,
      fetch: this.opts.fetch,
      now: this.opts.now,
      ...extra,
    });
  }
}

/** The US-GAAP concepts (as Finnhub prefixes them, `us-gaap_Assets`) read for each figure, in preference order. */
const CONCEPTS = {
  revenue: [
    'Revenues',
    'RevenueFromContractWithCustomerExcludingAssessedTax',
    'RevenueFromContractWithCustomerIncludingAssessedTax',
    'SalesRevenueNet',
  ],
  grossProfit: ['GrossProfit'],
  operatingIncome: ['OperatingIncomeLoss'],
  netIncome: ['NetIncomeLoss', 'NetIncomeLossAvailableToCommonStockholdersBasic', 'ProfitLoss'],
  eps: ['EarningsPerShareDiluted', 'EarningsPerShareBasicAndDiluted', 'EarningsPerShareBasic'],
  totalAssets: ['Assets'],
  totalLiabilities: ['Liabilities'],
  equity: ['StockholdersEquity', 'StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest'],
  cash: [
    'CashAndCashEquivalentsAtCarryingValue',
    'CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents',
    'Cash',
  ],
  sharesOutstanding: [
    'CommonStockSharesOutstanding',
    'WeightedAverageNumberOfDilutedSharesOutstanding',
    'WeightedAverageNumberOfSharesOutstandingBasic',
  ],
} as const;

type Statements = { -readonly [K in keyof typeof CONCEPTS]: number | undefined };

function readStatements(report: {
  bs: { concept: string; value: unknown }[];
  ic: { concept: string; value: unknown }[];
  cf: { concept: string; value: unknown }[];
}): Statements {
  const values = new Map<string, number>();
  for (const line of [...report.ic, ...report.bs, ...report.cf]) {
    const local = line.concept.replace(/^[a-z-]+_/i, '');
    const v = typeof line.value === 'number' ? line.value : Number.NaN;
    if (Number.isFinite(v) && !values.has(local)) values.set(local, v);
  }
  const pick = (names: readonly string[]) => {
    for (const n of names) if (values.has(n)) return values.get(n);
    return undefined;
  };
  const s = Object.fromEntries(Object.entries(CONCEPTS).map(([k, names]) => [k, pick(names)])) as Statements;
  // Derivable, not invented: gross profit = revenue − cost of revenue; liabilities = (L + E) − E.
  if (s.grossProfit === undefined && s.revenue !== undefined) {
    const cost = pick(['CostOfRevenue', 'CostOfGoodsAndServicesSold', 'CostOfGoodsSold']);
    if (cost !== undefined) s.grossProfit = s.revenue - cost;
  }
  if (s.totalLiabilities === undefined && s.equity !== undefined) {
    const le = pick(['LiabilitiesAndStockholdersEquity']);
    if (le !== undefined) s.totalLiabilities = le - s.equity;
  }
  return s;
}

/**
 * When the figures became public: EDGAR's acceptance time, which is US Eastern and which Finnhub passes on
 * as a zone-less `YYYY-MM-DD HH:mm:ss`; the filing date (midnight Eastern) when it is absent.
 */
function filedAt(
  d: { acceptedDate?: string | undefined; filedDate?: string | undefined },
  symbol: string,
): string {
  const raw = (d.acceptedDate ?? d.filedDate ?? '').slice(0, 19);
  const dt = DateTime.fromFormat(raw, 'yyyy-MM-dd HH:mm:ss', { zone: 'America/New_York' });
  if (!dt.isValid) {
    throw new ProviderError(
      FINNHUB_ID,
      'bad_response',
      `annual report of ${symbol} has no valid filing time ('${raw}')`,
    );
  }
  return dt.toJSDate().toISOString();
}

function growth(cur: number | undefined, prev: number | undefined): number | null {
  if (cur === undefined || prev === undefined || prev <= 0) return null;
  return cur / prev - 1;
}

function firstNumber(m: Record<string, unknown>, keys: readonly string[]): number | null {
  for (const k of keys) {
    const v = m[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

function positive(v: number | null | undefined): number | null {
  return typeof v === 'number' && v > 0 ? v : null;
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Finnhub has no Chinese names: `nameZh` repeats the English name so lists never show a blank. */
function info(symbol: string, name: string, currency: string, exchange: string): TSymbolInfo {
  const n = name.trim() || symbol;
  return { market: 'US', symbol, name: n, nameZh: n, currency, exchange, isDemo: false };
}

export function createFinnhubProvider(opts: VendorOptions): FinnhubProvider {
  return new FinnhubProvider(opts);
}
