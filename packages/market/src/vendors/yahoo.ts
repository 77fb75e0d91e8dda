/**
 * Yahoo Finance chart API adapter (no key; CN, HK, US): daily and intraday bars, and quotes read from the
 * chart's `meta`. Plain fetch through `vendorFetchJson`, not the `yahoo-finance2` client: its current
 * release (4.x) requires Node >= 22 (we run 20), builds every URL as `https://${YF_QUERY_HOST}/…` (so it
 * cannot be pointed at a local replay server or an http mirror), and adds a cookie/crumb handshake the
 * chart endpoint does not need.
 *
 * Format: `/v8/finance/chart/{symbol}` as recorded in github.com/gadicc/yahoo-finance2
 * `tests/fixtures/http/chart-*.json`; errors as `{"chart":{"result":null,"error":{"code":"Not Found",…}}}`.
 * Yahoo publishes no API and no quota; see registry-us.ts for the budget we chose.
 */
import type { TBar, TMarket, TSymbolInfo } from '@investiq/contracts';
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  type DataProvider,
  type DateRange,
  ProviderError,
  type ProviderErrorKind,
  type ProviderQuote,
  type SymbolRef,
} from '../provider';
import { kindForStatus, mapWithConcurrency, type VendorErrorResponse, vendorFetchJson } from './http';
import type { VendorOptions } from './types';

export const YAHOO_ID = 'yahoo';
export const YAHOO_DEFAULT_BASE_URL = 'https://query1.finance.yahoo.com';
/** One chart request per symbol; at most this many in flight (Yahoo throttles bursts). */
const QUOTE_CONCURRENCY = 4;
const INTRADAY_INTERVALS = new Set([1, 5, 15, 30, 60]);
/** Yahoo answers requests with library default user agents with 429 more readily than browser-like ones. */
const USER_AGENT = 'Mozilla/5.0 (compatible; InvestIQ/0.1; +self-hosted)';

const num = z.number();
const series = z.array(num.nullable()).optional();
const ZChartError = z.object({ code: z.string(), description: z.string().nullable().optional() }).loose();
const ZResult = z
  .object({
    meta: z
      .object({
        symbol: z.string(),
        currency: z.string().nullable().optional(),
        exchangeTimezoneName: z.string(),
        regularMarketPrice: num.nullable().optional(),
        regularMarketTime: num.nullable().optional(),
        chartPreviousClose: num.nullable().optional(),
        previousClose: num.nullable().optional(),
        regularMarketDayHigh: num.nullable().optional(),
        regularMarketDayLow: num.nullable().optional(),
        regularMarketVolume: num.nullable().optional(),
      })
      .loose(),
    timestamp: z.array(num).optional(),
    indicators: z.object({
      quote: z.array(
        z.object({ open: series, high: series, low: series, close: series, volume: series }).loose(),
      ),
    }),
  })
  .loose();
const ZChart = z.object({
  chart: z.object({
    result: z.array(ZResult).nullable().optional(),
    error: ZChartError.nullable().optional(),
  }),
});
type ChartResult = z.infer<typeof ZResult>;

/**
 * Our symbol → Yahoo's: `600519.SH` → `600519.SS`, `000001.SZ` as is, `00700.HK`/`0700.HK` → `0700.HK`
 * (Yahoo uses at least 4 digits), `BRK.B` → `BRK-B`. Beijing listings (`.BJ`) are not on Yahoo.
 */
export function toYahooSymbol(ref: SymbolRef): string {
  const s = ref.symbol.toUpperCase();
  if (ref.market === 'CN') {
    const m = /^(\d{6})\.(SH|SZ|BJ)$/.exec(s);
    if (!m || m[2] === 'BJ') {
      throw new ProviderError(YAHOO_ID, 'unsupported', `symbol ${ref.symbol} is not available on Yahoo`);
    }
    return `${m[1]}.${m[2] === 'SH' ? 'SS' : 'SZ'}`;
  }
  if (ref.market === 'HK') {
    const m = /^(\d{4,5})\.HK$/.exec(s);
    if (!m?.[1])
      throw new ProviderError(YAHOO_ID, 'invalid_request', `symbol ${ref.symbol} is not an HK symbol`);
    return `${String(Number(m[1])).padStart(4, '0')}.HK`;
  }
  return s.replace('.', '-');
}

export class YahooProvider implements DataProvider {
  readonly id = YAHOO_ID;
  readonly markets: readonly TMarket[] = ['CN', 'HK', 'US'];
  /** HKEX allows redistribution of delayed data only after at least 15 minutes (HKEX vendor licence terms). */
  readonly quoteDelaySeconds: Partial<Record<TMarket, number>> = { HK: 900 };
  private readonly baseUrl: string;

  constructor(private readonly opts: VendorOptions) {
    this.baseUrl = (opts.baseUrl ?? YAHOO_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  /** Vendors stream the user's watchlist, which the collector supplies: nothing by default. */
  async listSymbols(): Promise<TSymbolInfo[]> {
    return [];
  }

  /** Not offered: Yahoo's search endpoint is not part of this adapter (the registry lists no `universe` kind). */
  async searchSymbols(): Promise<TSymbolInfo[]> {
    return [];
  }

  /** Quotes from each symbol's 1-day chart `meta`; a symbol Yahoo does not know is left out. */
  async getQuotes(symbols: readonly SymbolRef[]): Promise<ProviderQuote[]> {
    const quotes = await mapWithConcurrency(symbols, QUOTE_CONCURRENCY, async (ref) => {
      let r: ChartResult | undefined;
      try {
        r = await this.chart(ref, { interval: '1d', range: '1d' });
      } catch (e) {
        if (e instanceof ProviderError && e.kind === 'not_found') return null;
        throw e;
      }
      return r ? quoteFromMeta(ref, r) : null;
    });
    return quotes.filter((q): q is ProviderQuote => q !== null);
  }

  /** Daily bars dated in the exchange's own zone (`meta.exchangeTimezoneName`); bars with null prices are skipped. */
  async getDailyBars(ref: SymbolRef, range: DateRange): Promise<TBar[]> {
    // A day of margin each side: the exchange zone is only known from the answer.
    const period1 = Date.parse(`${range.from}T00:00:00Z`) / 1000 - 86400;
    const period2 = Date.parse(`${range.to}T00:00:00Z`) / 1000 + 2 * 86400;
    const r = await this.chart(ref, { interval: '1d', period1, period2 });
    if (!r) return [];
    const tz = r.meta.exchangeTimezoneName;
    return barsOf(r, (t) => DateTime.fromSeconds(t, { zone: tz }).toISODate() ?? '').filter(
      (b) => b.time >= range.from && b.time <= range.to,
    );
  }

  async getIntradayBars(
    ref: SymbolRef,
    opts: { intervalMinutes: number; from: Date; to: Date },
  ): Promise<TBar[]> {
    if (!INTRADAY_INTERVALS.has(opts.intervalMinutes)) {
      throw new ProviderError(
        YAHOO_ID,
        'invalid_request',
        `interval ${opts.intervalMinutes} min is not 1, 5, 15, 30 or 60`,
      );
    }
    const period1 = Math.floor(opts.from.getTime() / 1000);
    const period2 = Math.ceil(opts.to.getTime() / 1000);
    const r = await this.chart(ref, { interval: `${opts.intervalMinutes}m`, period1, period2 });
    if (!r) return [];
    return barsOf(r, (t) => new Date(t * 1000).toISOString()).filter((b) => {
      const t = Date.parse(b.time) / 1000;
      return t >= period1 && t <= period2;
    });
  }

  /** The single chart result, or undefined for an empty result; `chart.error` → a typed error. */
  private async chart(
    ref: SymbolRef,
    query: Record<string, string | number>,
  ): Promise<ChartResult | undefined> {
    const ySymbol = toYahooSymbol(ref);
    const body = await vendorFetchJson(
      YAHOO_ID,
      `${this.baseUrl}/v8/finance/chart/${encodeURIComponent(ySymbol)}`,
      {
        query,
        schema: ZChart,
        headers: { 'user-agent': USER_AGENT },
        timeoutMs: this.opts.timeoutMs,
        fetch: this.opts.fetch,
        now: this.opts.now,
        classifyError: classifyChartError,
      },
    );
    const err = body.chart.error;
    if (err) throw chartError(err.code, err.description ?? '', kindForCode(err.code), ySymbol);
    return body.chart.result?.[0];
  }
}

function quoteFromMeta(ref: SymbolRef, r: ChartResult): ProviderQuote | null {
  const m = r.meta;
  if (!m.regularMarketPrice || !m.regularMarketTime) return null;
  const tz = m.exchangeTimezoneName;
  const day = DateTime.fromSeconds(m.regularMarketTime, { zone: tz }).toISODate();
  // `meta` has no open: take it from today's daily bar when the chart has one.
  const todayBar = barsOf(r, (t) => DateTime.fromSeconds(t, { zone: tz }).toISODate() ?? '').find(
    (b) => b.time === day,
  );
  return {
    market: ref.market,
    symbol: ref.symbol,
    ts: new Date(m.regularMarketTime * 1000),
    source: YAHOO_ID,
    price: m.regularMarketPrice,
    open: todayBar?.open ?? null,
    high: positive(m.regularMarketDayHigh),
    low: positive(m.regularMarketDayLow),
    prevClose: positive(m.previousClose) ?? positive(m.chartPreviousClose),
    volume:
      typeof m.regularMarketVolume === 'number' && m.regularMarketVolume >= 0 ? m.regularMarketVolume : null,
  };
}

function barsOf(r: ChartResult, timeOf: (t: number) => string): TBar[] {
  const ts = r.timestamp ?? [];
  const q = r.indicators.quote[0];
  if (!q) return [];
  const bars: TBar[] = [];
  for (let i = 0; i < ts.length; i++) {
    const [t, open, high, low, close] = [ts[i], q.open?.[i], q.high?.[i], q.low?.[i], q.close?.[i]];
    // Yahoo fills halted/empty intervals with nulls: such a bar did not trade, it is not a zero price.
    if (t == null || open == null || high == null || low == null || close == null) continue;
    bars.push({ time: timeOf(t), open, high, low, close, volume: q.volume?.[i] ?? 0 });
  }
  return bars;
}

function kindForCode(code: string): ProviderErrorKind {
  const c = code.toLowerCase();
  if (c.startsWith('not found')) return 'not_found';
  if (c.startsWith('bad request')) return 'invalid_request';
  if (c.startsWith('unauthorized')) return 'unauthorized';
  if (c.startsWith('too many')) return 'rate_limited';
  return 'bad_response';
}

function chartError(
  code: string,
  description: string,
  kind: ProviderErrorKind,
  ySymbol: string,
): ProviderError {
  return new ProviderError(
    YAHOO_ID,
    kind,
    `chart ${ySymbol}: ${code}${description ? `: ${description}` : ''}`,
  );
}

/** Non-2xx answers that carry a `chart.error` envelope keep Yahoo's own words; the status decides the kind. */
function classifyChartError(res: VendorErrorResponse): ProviderError | undefined {
  try {
    const parsed = ZChart.safeParse(JSON.parse(res.text));
    const err = parsed.success ? parsed.data.chart.error : undefined;
    if (!err) return undefined;
    return new ProviderError(
      YAHOO_ID,
      kindForStatus(res.status),
      `${res.what}: HTTP ${res.status}: ${err.code}${err.description ? `: ${err.description}` : ''}`,
    );
  } catch {
    return undefined;
  }
}

function positive(v: number | null | undefined): number | null {
  return typeof v === 'number' && v > 0 ? v : null;
}

export function createYahooProvider(opts: VendorOptions): YahooProvider {
  return new YahooProvider(opts);
}
