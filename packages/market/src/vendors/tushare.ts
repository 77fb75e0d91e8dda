import { CURRENCY, symbolFormatError, type TBar, type TMarket, type TSymbolInfo } from '@investiq/contracts';
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  type DataProvider,
  type DateRange,
  type Fundamentals,
  ProviderError,
  type ProviderQuote,
  type SymbolRef,
  type TradeCalendarDay,
} from '../provider';
import { parseJsonBody, validateShape, vendorFetchText } from './http';
import type { VendorOptions } from './types';

/**
 * Tushare Pro (https://tushare.pro) — CN A-share daily bars, fundamentals, universe and trade calendar.
 *
 * One endpoint: POST `{"api_name","token","params","fields"}` to the base URL; the answer is
 * `{"code":0,"msg":"","data":{"fields":[…],"items":[[…]]}}` (format: waditu/tushare `tushare/pro/client.py`).
 * Errors come back as HTTP 200 with a non-zero `code` and a Chinese `msg`; see `classifyTushareError`.
 * Tushare has no free realtime quote, so `getQuotes` is `unsupported` (the chain uses another source).
 */
export const TUSHARE_ID = 'tushare';
export const TUSHARE_DEFAULT_BASE_URL = 'http://api.tushare.pro';
const ZONE = 'Asia/Shanghai';
/** Bound on paged calls of one query (6000 rows a page: 120 000 daily rows). */
const MAX_PAGES = 20;

const ZEnvelope = z.object({
  code: z.number(),
  msg: z.string().nullish(),
  data: z
    .object({
      fields: z.array(z.string()),
      items: z.array(z.array(z.unknown())),
      has_more: z.boolean().optional(),
    })
    .nullish(),
});

type Row = Record<string, unknown>;

/**
 * Maps a Tushare error answer onto a `ProviderError` kind. Codes and messages seen in public projects:
 * 40101 `您的token不对，请确认。` (bad token); 40203 with `抱歉，您没有访问该接口的权限…` (too few points),
 * `抱歉，您每分钟最多访问该接口N次…` / `每小时最多访问` (rate), `抱歉，您每天最多访问该接口N次…` (daily quota).
 * The message is checked before the code: 40203 is shared by all three limit kinds.
 */
export function classifyTushareError(code: number, msg: string): ProviderError {
  const text = `code ${code}: ${msg}`;
  if (code === 40101 || msg.includes('token不对') || msg.includes('token无效')) {
    return new ProviderError(TUSHARE_ID, 'unauthorized', text);
  }
  if (msg.includes('每分钟最多访问'))
    return new ProviderError(TUSHARE_ID, 'rate_limited', text, { retryAfterSeconds: 60 });
  if (msg.includes('每小时最多访问'))
    return new ProviderError(TUSHARE_ID, 'rate_limited', text, { retryAfterSeconds: 3600 });
  if (msg.includes('每天最多访问')) return new ProviderError(TUSHARE_ID, 'quota_exhausted', text);
  if (msg.includes('没有访问该接口的权限') || msg.includes('积分') || code === 40203) {
    return new ProviderError(TUSHARE_ID, 'forbidden', text);
  }
  return new ProviderError(TUSHARE_ID, 'unavailable', text);
}

const ymd = (isoDate: string) => isoDate.replaceAll('-', '');
const isoDate = (compact: string) => `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;

function num(row: Row, field: string, api: string): number {
  const v = row[field];
  const n = typeof v === 'string' && v !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new ProviderError(
      TUSHARE_ID,
      'bad_response',
      `${api}: field '${field}' is not a number (${JSON.stringify(v)})`,
    );
  }
  return n;
}
function numOrNull(row: Row, field: string): number | null {
  const v = row[field];
  const n = typeof v === 'string' && v !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
function str(row: Row, field: string, api: string): string {
  const v = row[field];
  if (typeof v !== 'string' || v === '') {
    throw new ProviderError(TUSHARE_ID, 'bad_response', `${api}: field '${field}' is missing`);
  }
  return v;
}
function compactDate(row: Row, field: string, api: string): string {
  const v = str(row, field, api);
  if (!/^\d{8}$/.test(v))
    throw new ProviderError(TUSHARE_ID, 'bad_response', `${api}: '${field}' is not YYYYMMDD (${v})`);
  return v;
}

export class TushareProvider implements DataProvider {
  readonly id = TUSHARE_ID;
  readonly markets = ['CN'] as const satisfies readonly TMarket[];
  private readonly baseUrl: string;
  private readonly token: string;
  private universe: Promise<TSymbolInfo[]> | null = null;

  constructor(private readonly opts: VendorOptions) {
    this.baseUrl = opts.baseUrl ?? TUSHARE_DEFAULT_BASE_URL;
    this.token = opts.apiKey ?? '';
  }

  /**
   * One Tushare query: the rows as objects keyed by field name. Tushare caps each answer (6000 rows for
   * `daily`, 5000 for `stock_basic`) and sets `has_more`; further pages are fetched with `offset`, at most
   * `MAX_PAGES` calls per query.
   */
  async query(
    apiName: string,
    params: Record<string, string | number>,
    fields: readonly string[],
  ): Promise<Row[]> {
    const rows: Row[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const { items, hasMore } = await this.queryPage(
        apiName,
        page === 0 ? params : { ...params, offset: rows.length },
        fields,
      );
      rows.push(...items);
      if (!hasMore || items.length === 0) return rows;
    }
    throw new ProviderError(
      TUSHARE_ID,
      'bad_response',
      `${apiName}: still has_more after ${MAX_PAGES} pages (${rows.length} rows); narrow the request`,
    );
  }

  private async queryPage(
    apiName: string,
    params: Record<string, string | number>,
    fields: readonly string[],
  ): Promise<{ items: Row[]; hasMore: boolean }> {
    if (!this.token) throw new ProviderError(TUSHARE_ID, 'unauthorized', 'no Tushare token configured');
    const what = `POST ${this.baseUrl} ${apiName}`;
    const text = await vendorFetchText(TUSHARE_ID, this.baseUrl, {
      method: 'POST',
      body: { api_name: apiName, token: this.token, params, fields: fields.join(',') },
      fetch: this.opts.fetch,
      timeoutMs: this.opts.timeoutMs,
      now: this.opts.now,
      secrets: [this.token],
    });
    // An HTML maintenance page, an empty or truncated body → bad_response (shared rules of http.ts).
    const envelope = validateShape(
      TUSHARE_ID,
      ZEnvelope,
      parseJsonBody(TUSHARE_ID, text, what, '', [this.token]),
      what,
    );
    const { code, msg, data } = envelope;
    if (code !== 0) throw classifyTushareError(code, msg ?? '');
    if (!data) throw new ProviderError(TUSHARE_ID, 'bad_response', `${apiName}: code 0 without data`);
    const items = data.items.map((item, i) => {
      if (item.length !== data.fields.length) {
        throw new ProviderError(
          TUSHARE_ID,
          'bad_response',
          `${apiName}: item ${i} has ${item.length} values for ${data.fields.length} fields`,
        );
      }
      return Object.fromEntries(data.fields.map((f, j) => [f, item[j]]));
    });
    return { items, hasMore: data.has_more === true };
  }

  private assertCn(ref: SymbolRef): void {
    if (ref.market !== 'CN')
      throw new ProviderError(TUSHARE_ID, 'unsupported', `market ${ref.market} is not served`);
    const err = symbolFormatError('CN', ref.symbol);
    if (err) throw new ProviderError(TUSHARE_ID, 'invalid_request', err);
  }

  async listSymbols(): Promise<TSymbolInfo[]> {
    // A vendor streams the user's watchlist, which the chain knows; Tushare has no default list.
    return [];
  }

  async searchSymbols(query: string, opts?: { market?: TMarket; limit?: number }): Promise<TSymbolInfo[]> {
    if (opts?.market && opts.market !== 'CN') return [];
    this.universe ??= this.listUniverse('CN').catch((err) => {
      this.universe = null;
      throw err;
    });
    const q = query.trim().toUpperCase();
    const all = await this.universe;
    return all
      .filter(
        (s) => s.symbol.startsWith(q) || s.name.toUpperCase().includes(q) || s.nameZh.includes(query.trim()),
      )
      .slice(0, opts?.limit ?? 20);
  }

  async getQuotes(_symbols: readonly SymbolRef[]): Promise<ProviderQuote[]> {
    throw new ProviderError(TUSHARE_ID, 'unsupported', 'Tushare has no free realtime quote API');
  }

  /**
   * `daily` (unadjusted). `vol` is in 手 (lots of 100 shares) and is converted to shares here.
   * Longer ranges than one answer holds (6000 rows) are paged (see `query`).
   */
  async getDailyBars(ref: SymbolRef, range: DateRange): Promise<TBar[]> {
    this.assertCn(ref);
    const rows = await this.query(
      'daily',
      { ts_code: ref.symbol, start_date: ymd(range.from), end_date: ymd(range.to) },
      ['ts_code', 'trade_date', 'open', 'high', 'low', 'close', 'vol'],
    );
    return rows
      .map((r) => ({
        time: isoDate(compactDate(r, 'trade_date', 'daily')),
        open: num(r, 'open', 'daily'),
        high: num(r, 'high', 'daily'),
        low: num(r, 'low', 'daily'),
        close: num(r, 'close', 'daily'),
        volume: Math.round(num(r, 'vol', 'daily') * 100),
      }))
      .sort((a, b) => a.time.localeCompare(b.time));
  }

  /**
   * Latest annual report. Four calls: `fina_indicator` (ratios, picks the newest period ending 12-31),
   * `income` and `balancesheet` for that period (absolute amounts in CNY), `daily_basic` (pe/pb/total
   * share of the newest trading day). Percent fields are divided by 100. `fina_indicator`, `income` and
   * `balancesheet` need 2000 Tushare points: with fewer, Tushare answers 40203 and this throws `forbidden`.
   */
  async getFundamentals(ref: SymbolRef): Promise<Fundamentals> {
    this.assertCn(ref);
    const indicators = await this.query('fina_indicator', { ts_code: ref.symbol }, [
      'ts_code',
      'ann_date',
      'end_date',
      'eps',
      'roe',
      'grossprofit_margin',
      'netprofit_margin',
      'op_of_gr',
      'or_yoy',
      'netprofit_yoy',
      'debt_to_eqt',
    ]);
    const annual = indicators
      .filter((r) => typeof r.end_date === 'string' && r.end_date.endsWith('1231'))
      .sort((a, b) => String(b.end_date).localeCompare(String(a.end_date)))[0];
    if (!annual) throw new ProviderError(TUSHARE_ID, 'not_found', `no annual report for ${ref.symbol}`);
    const period = compactDate(annual, 'end_date', 'fina_indicator');
    const [income, balance, basic] = await Promise.all([
      this.query('income', { ts_code: ref.symbol, period, report_type: '1' }, [
        'ts_code',
        'ann_date',
        'end_date',
        'total_revenue',
        'oper_cost',
        'operate_profit',
        'n_income_attr_p',
      ]),
      this.query('balancesheet', { ts_code: ref.symbol, period, report_type: '1' }, [
        'ts_code',
        'ann_date',
        'end_date',
        'total_assets',
        'total_liab',
        'total_hldr_eqy_exc_min_int',
        'money_cap',
      ]),
      this.query(
        'daily_basic',
        {
          ts_code: ref.symbol,
          start_date: ymd(
            DateTime.fromJSDate(this.now()).setZone(ZONE).minus({ days: 20 }).toISODate() ?? '',
          ),
          end_date: ymd(DateTime.fromJSDate(this.now()).setZone(ZONE).toISODate() ?? ''),
        },
        ['ts_code', 'trade_date', 'pe', 'pb', 'total_share'],
      ),
    ]);
    const inc = income[0];
    const bal = balance[0];
    const db = basic.sort((a, b) => String(b.trade_date).localeCompare(String(a.trade_date)))[0];
    if (!inc || !bal)
      throw new ProviderError(
        TUSHARE_ID,
        'not_found',
        `statements for ${period} of ${ref.symbol} are missing`,
      );
    if (!db)
      throw new ProviderError(
        TUSHARE_ID,
        'not_found',
        `no daily_basic rows for ${ref.symbol} in the last 20 days`,
      );
    const pct = (field: string) => num(annual, field, 'fina_indicator') / 100;
    const revenue = num(inc, 'total_revenue', 'income');
    const announced = compactDate(annual, 'ann_date', 'fina_indicator');
    return {
      market: 'CN',
      symbol: ref.symbol,
      currency: CURRENCY.CN,
      fiscalPeriodEnd: isoDate(period),
      asOf: DateTime.fromISO(isoDate(announced), { zone: ZONE }).toUTC().toISO() ?? '',
      income: {
        revenue,
        grossProfit: revenue - num(inc, 'oper_cost', 'income'),
        operatingIncome: num(inc, 'operate_profit', 'income'),
        netIncome: num(inc, 'n_income_attr_p', 'income'),
        eps: num(annual, 'eps', 'fina_indicator'),
      },
      balance: {
        totalAssets: num(bal, 'total_assets', 'balancesheet'),
        totalLiabilities: num(bal, 'total_liab', 'balancesheet'),
        equity: num(bal, 'total_hldr_eqy_exc_min_int', 'balancesheet'),
        cash: num(bal, 'money_cap', 'balancesheet'),
        // daily_basic.total_share is in 万股 (10,000 shares).
        sharesOutstanding: Math.round(num(db, 'total_share', 'daily_basic') * 10_000),
      },
      ratios: {
        // pe is empty for loss-making companies: null, not 0.
        pe: numOrNull(db, 'pe'),
        pb: numOrNull(db, 'pb'),
        roe: pct('roe'),
        grossMargin: pct('grossprofit_margin'),
        operatingMargin: pct('op_of_gr'),
        netMargin: pct('netprofit_margin'),
        revenueGrowth: pct('or_yoy'),
        earningsGrowth: pct('netprofit_yoy'),
        // 产权比率 = total liabilities / equity, already a ratio (not a percent).
        debtToEquity: num(annual, 'debt_to_eqt', 'fina_indicator'),
      },
      isDemo: false,
    };
  }

  /** `stock_basic` list_status=L. Tushare's ts_code is already our CN symbol format (600519.SH). */
  async listUniverse(market: TMarket): Promise<TSymbolInfo[]> {
    if (market !== 'CN') throw new ProviderError(TUSHARE_ID, 'unsupported', `market ${market} is not served`);
    const rows = await this.query('stock_basic', { list_status: 'L' }, [
      'ts_code',
      'name',
      'enname',
      'exchange',
    ]);
    const out: TSymbolInfo[] = [];
    for (const r of rows) {
      const symbol = str(r, 'ts_code', 'stock_basic');
      if (symbolFormatError('CN', symbol)) continue; // not an A-share code we model
      const nameZh = str(r, 'name', 'stock_basic');
      const enname = typeof r.enname === 'string' && r.enname.trim() ? r.enname.trim() : nameZh;
      out.push({
        market: 'CN',
        symbol,
        name: enname,
        nameZh,
        currency: CURRENCY.CN,
        exchange:
          typeof r.exchange === 'string' && r.exchange
            ? r.exchange
            : symbol.endsWith('.SH')
              ? 'SSE'
              : symbol.endsWith('.SZ')
                ? 'SZSE'
                : 'BSE',
        isDemo: false,
      });
    }
    return out;
  }

  /** `trade_cal` of the Shanghai exchange (SSE and SZSE share the calendar). */
  async getTradeCalendar(market: TMarket, range: DateRange): Promise<TradeCalendarDay[]> {
    if (market !== 'CN') throw new ProviderError(TUSHARE_ID, 'unsupported', `market ${market} is not served`);
    const rows = await this.query(
      'trade_cal',
      { exchange: 'SSE', start_date: ymd(range.from), end_date: ymd(range.to) },
      ['exchange', 'cal_date', 'is_open'],
    );
    return rows
      .map((r) => ({ date: isoDate(compactDate(r, 'cal_date', 'trade_cal')), open: Number(r.is_open) === 1 }))
      .sort((a, b) => a.date.localeCompare(b.date));
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }
}

export function createTushareProvider(opts: VendorOptions): TushareProvider {
  return new TushareProvider(opts);
}
