import { symbolFormatError, type TBar, type TMarket, type TSymbolInfo } from '@investiq/contracts';
import { DateTime } from 'luxon';
import { type DataProvider, ProviderError, type ProviderQuote, type SymbolRef } from '../provider';
import { vendorFetchText } from './http';
import type { VendorOptions } from './types';

/**
 * Tencent's keyless quote feed (`qt.gtimg.cn`), the one Chinese quote apps poll, for CN A-shares and HK.
 *
 * Request: `GET {base}/q=sh600519,sz000001,hk00700` (at most 60 codes per request, as easyquotation
 * does). Answer: GBK text, one `v_<code>="f0~f1~…";` per code, fields split by `~` (layout from
 * shidenggui/easyquotation `easyquotation/tencent.py` and its `tests/test_easyquotation.py` HK sample):
 * 1 name, 2 code, 3 price, 4 previous close, 5 open, 6 volume (CN: 手 = 100 shares; HK: shares),
 * 30 time (CN `yyyyMMddHHmmss`, HK `yyyy/MM/dd HH:mm:ss`, exchange local time), 33 high, 34 low.
 * Unknown codes come back as `v_pv_none_match="1";` or an empty string and are skipped.
 * HK quotes under the plain `hk` prefix are the free delayed feed (HKEX licenses realtime data), so
 * the provider declares a 15-minute HK delay; CN quotes are realtime.
 */
export const TENCENT_ID = 'tencent';
export const TENCENT_DEFAULT_BASE_URL = 'http://qt.gtimg.cn';
export const TENCENT_HK_DELAY_SECONDS = 15 * 60;
const MAX_CODES_PER_REQUEST = 60;

const ZONES: Record<'CN' | 'HK', string> = { CN: 'Asia/Shanghai', HK: 'Asia/Hong_Kong' };

/** 600519.SH → sh600519, 0700.HK → hk00700; null for what Tencent cannot serve here. */
export function tencentCode(ref: SymbolRef): string | null {
  if (ref.market === 'CN' && !symbolFormatError('CN', ref.symbol)) {
    const [code, exch] = ref.symbol.split('.') as [string, string];
    return `${exch.toLowerCase()}${code}`;
  }
  if (ref.market === 'HK' && !symbolFormatError('HK', ref.symbol)) {
    return `hk${ref.symbol.slice(0, -3).padStart(5, '0')}`;
  }
  return null;
}

function field(fields: string[], i: number, code: string): string {
  const v = fields[i];
  if (v === undefined)
    throw new ProviderError(TENCENT_ID, 'bad_response', `${code}: field ${i} is missing (truncated line?)`);
  return v;
}
function positive(fields: string[], i: number, code: string, what: string): number {
  const s = field(fields, i, code);
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n < 0) {
    throw new ProviderError(
      TENCENT_ID,
      'bad_response',
      `${code}: ${what} (field ${i}) is not a number: '${s}'`,
    );
  }
  return n;
}
const orNull = (n: number) => (n > 0 ? n : null);

export class TencentProvider implements DataProvider {
  readonly id = TENCENT_ID;
  readonly markets = ['CN', 'HK'] as const satisfies readonly TMarket[];
  readonly quoteDelaySeconds = { HK: TENCENT_HK_DELAY_SECONDS };
  private readonly baseUrl: string;

  constructor(private readonly opts: VendorOptions) {
    this.baseUrl = (opts.baseUrl ?? TENCENT_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  async listSymbols(): Promise<TSymbolInfo[]> {
    return [];
  }
  async searchSymbols(): Promise<TSymbolInfo[]> {
    return [];
  }
  async getDailyBars(): Promise<TBar[]> {
    throw new ProviderError(TENCENT_ID, 'unsupported', 'this adapter serves realtime quotes only');
  }

  async getQuotes(symbols: readonly SymbolRef[]): Promise<ProviderQuote[]> {
    const byCode = new Map<string, SymbolRef>();
    for (const ref of symbols) {
      const code = tencentCode(ref);
      if (!code) {
        if (ref.market === 'US') continue; // not served; the chain routes US elsewhere
        throw new ProviderError(
          TENCENT_ID,
          'invalid_request',
          `cannot map ${ref.market} symbol '${ref.symbol}'`,
        );
      }
      byCode.set(code, ref);
    }
    const codes = [...byCode.keys()];
    const out: ProviderQuote[] = [];
    for (let i = 0; i < codes.length; i += MAX_CODES_PER_REQUEST) {
      const batch = codes.slice(i, i + MAX_CODES_PER_REQUEST);
      const text = await vendorFetchText(TENCENT_ID, `${this.baseUrl}/q=${batch.join(',')}`, {
        headers: { referer: 'https://gu.qq.com/' },
        // GBK; an invalid byte sequence becomes U+FFFD and the ~-separated fields stay aligned
        charset: 'gbk',
        fetch: this.opts.fetch,
        timeoutMs: this.opts.timeoutMs,
      });
      out.push(...this.parse(text, byCode));
    }
    return out;
  }

  /** Parses a whole answer; exported through the class for tests of odd bodies. */
  parse(text: string, byCode: ReadonlyMap<string, SymbolRef>): ProviderQuote[] {
    if (text.trimStart().startsWith('<'))
      throw new ProviderError(TENCENT_ID, 'bad_response', 'HTML page instead of quote lines');
    const quotes: ProviderQuote[] = [];
    let lines = 0;
    for (const m of text.matchAll(/v_([A-Za-z0-9_]+)="([^"]*)"/g)) {
      lines++;
      const [, code = '', payload = ''] = m;
      const ref = byCode.get(code);
      if (!ref || payload === '') continue; // pv_none_match, or an unknown code answered with ""
      const q = this.parseLine(code, ref, payload.split('~'));
      if (q) quotes.push(q);
    }
    if (lines === 0 && text.trim() !== '') {
      throw new ProviderError(
        TENCENT_ID,
        'bad_response',
        `no quote lines in the answer: ${text.slice(0, 80)}`,
      );
    }
    return quotes;
  }

  private parseLine(code: string, ref: SymbolRef, f: string[]): ProviderQuote | null {
    const market = ref.market as 'CN' | 'HK';
    const price = positive(f, 3, code, 'price');
    if (price === 0) return null; // suspended / no trade yet: no price to report
    const rawTime = field(f, 30, code);
    const ts =
      market === 'CN'
        ? DateTime.fromFormat(rawTime, 'yyyyMMddHHmmss', { zone: ZONES.CN })
        : DateTime.fromFormat(rawTime, 'yyyy/MM/dd HH:mm:ss', { zone: ZONES.HK });
    if (!ts.isValid)
      throw new ProviderError(TENCENT_ID, 'bad_response', `${code}: time '${rawTime}' is not valid`);
    const rawVolume = positive(f, 6, code, 'volume');
    return {
      market: ref.market,
      symbol: ref.symbol,
      ts: ts.toJSDate(),
      source: TENCENT_ID,
      price,
      open: orNull(positive(f, 5, code, 'open')),
      high: orNull(positive(f, 33, code, 'high')),
      low: orNull(positive(f, 34, code, 'low')),
      prevClose: orNull(positive(f, 4, code, 'previous close')),
      // CN volume is in 手 (100 shares); HK volume is already in shares.
      volume: market === 'CN' ? Math.round(rawVolume * 100) : Math.round(rawVolume),
    };
  }
}

export function createTencentProvider(opts: VendorOptions): TencentProvider {
  return new TencentProvider(opts);
}
