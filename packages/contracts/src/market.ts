import { z } from 'zod';
import { typeError } from './messages';
import { type Same, sameType } from './type-checks';

/** Markets InvestIQ understands. `CN` = Shanghai/Shenzhen/Beijing A-shares, `HK` = HKEX, `US` = NYSE/Nasdaq. */
export const MARKETS = ['CN', 'HK', 'US'] as const;
export const ZMarket = z.enum(
  MARKETS,
  typeError(`market must be one of ${MARKETS.join(', ')}`, 'market is required'),
);
export type TMarket = z.infer<typeof ZMarket>;

/** Per-market symbol formats: 600519.SH / 000001.SZ / 430047.BJ, 0700.HK / 00700.HK, AAPL / BRK.B. */
export const SYMBOL_PATTERNS: Record<TMarket, RegExp> = {
  CN: /^\d{6}\.(SH|SZ|BJ)$/,
  HK: /^\d{4,5}\.HK$/,
  US: /^[A-Z][A-Z0-9]{0,5}(\.[A-Z])?$/,
};

export const SYMBOL_EXAMPLES: Record<TMarket, string> = { CN: '600519.SH', HK: '0700.HK', US: 'AAPL' };

export const ZSymbol = z
  .string(typeError('symbol must be a string', 'symbol is required'))
  .trim()
  .min(1, 'symbol is required')
  .max(16, 'symbol is too long (max 16 characters)')
  .transform((s) => s.toUpperCase());

/** Returns an error message when `symbol` is not a valid symbol of `market`, else null. */
export function symbolFormatError(market: TMarket, symbol: string): string | null {
  if (SYMBOL_PATTERNS[market].test(symbol)) return null;
  return `symbol '${symbol}' is not a valid ${market} symbol (expected e.g. ${SYMBOL_EXAMPLES[market]})`;
}

export const ZMarketSymbol = z.object({ market: ZMarket, symbol: ZSymbol }).superRefine((v, ctx) => {
  const err = symbolFormatError(v.market, v.symbol);
  if (err) ctx.addIssue({ code: 'custom', path: ['symbol'], message: err });
});
export type TMarketSymbol = z.infer<typeof ZMarketSymbol>;

/** Longest freshness window a reader may ask for: one week. Anything larger is not "realtime". */
export const MAX_AGE_SECONDS_LIMIT = 7 * 24 * 3600;
export const ZMaxAgeSeconds = z
  .number(typeError('maxAgeSeconds must be a number', 'maxAgeSeconds is required'))
  .int('maxAgeSeconds must be an integer')
  .min(1, 'maxAgeSeconds must be at least 1')
  .max(MAX_AGE_SECONDS_LIMIT, `maxAgeSeconds must be at most ${MAX_AGE_SECONDS_LIMIT} (one week)`);

export interface TQuote {
  market: TMarket;
  symbol: string;
  /** Exchange/event time of the quote (ISO 8601). */
  ts: string;
  source: string;
  price: number;
  open: number | null;
  high: number | null;
  low: number | null;
  prevClose: number | null;
  volume: number | null;
  change: number | null;
  changePercent: number | null;
  currency: string;
}

/**
 * The freshness contract: a price is only ever presented as current when it is fresh (or `delayed` by a
 * declared lag); `closed` shows the last session's close as such; stale and missing carry no price.
 */
export type TLatestQuote =
  | {
      status: 'fresh';
      market: TMarket;
      symbol: string;
      quote: TQuote;
      ageSeconds: number;
      maxAgeSeconds: number;
      checkedAt: string;
    }
  | {
      status: 'stale';
      market: TMarket;
      symbol: string;
      lastSeenAt: string;
      ageSeconds: number;
      maxAgeSeconds: number;
      checkedAt: string;
    }
  | {
      /** The source declares a delay for this market: judged against maxAge + delay, price shown as delayed. */
      status: 'delayed';
      market: TMarket;
      symbol: string;
      quote: TQuote;
      ageSeconds: number;
      maxAgeSeconds: number;
      delaySeconds: number;
      checkedAt: string;
    }
  | {
      /**
       * The market is closed at `checkedAt` and the quote is from the last session: its price is the last
       * close (the morning close during a lunch break), never a live price.
       */
      status: 'closed';
      market: TMarket;
      symbol: string;
      quote: TQuote;
      /** Why: a midday break, before the open / after the close of a trading day, or a weekend/holiday. */
      reason: TClosedReason;
      /** End of the last session (ISO). */
      closedSince: string;
      /** Start of the next session (ISO). */
      nextOpen: string;
      ageSeconds: number;
      maxAgeSeconds: number;
      /** Present when the source declares a delay for this market. */
      delaySeconds?: number;
      checkedAt: string;
    }
  | { status: 'missing'; market: TMarket; symbol: string; maxAgeSeconds: number; checkedAt: string };

export type TClosedReason = 'break' | 'pre_open' | 'after_close' | 'non_trading_day';

export interface TBar {
  /** Start of the bar: `YYYY-MM-DD` for daily bars, ISO time for intraday bars. */
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface TSymbolInfo {
  market: TMarket;
  symbol: string;
  name: string;
  nameZh: string;
  currency: string;
  exchange: string;
  isDemo: boolean;
}

export const CURRENCY: Record<TMarket, string> = { CN: 'CNY', HK: 'HKD', US: 'USD' };

// Output schemas: what the API answers (procedures declare them with `.output()`). Each is checked at
// compile time against the interface above, both ways, so the two cannot drift apart.

const num = z.number();
const isoTime = z.iso.datetime({ offset: true });

export const ZQuote = z.object({
  market: ZMarket,
  symbol: z.string(),
  ts: isoTime,
  source: z.string(),
  price: num,
  open: num.nullable(),
  high: num.nullable(),
  low: num.nullable(),
  prevClose: num.nullable(),
  volume: num.nullable(),
  change: num.nullable(),
  changePercent: num.nullable(),
  currency: z.string(),
});
sameType<Same<z.infer<typeof ZQuote>, TQuote>>();

const latestBase = { market: ZMarket, symbol: z.string(), maxAgeSeconds: num, checkedAt: isoTime };
export const ZLatestQuote = z.discriminatedUnion('status', [
  z.object({ status: z.literal('fresh'), ...latestBase, quote: ZQuote, ageSeconds: num }),
  z.object({ status: z.literal('stale'), ...latestBase, lastSeenAt: isoTime, ageSeconds: num }),
  z.object({
    status: z.literal('delayed'),
    ...latestBase,
    quote: ZQuote,
    ageSeconds: num,
    delaySeconds: num,
  }),
  z.object({
    status: z.literal('closed'),
    ...latestBase,
    quote: ZQuote,
    reason: z.enum(['break', 'pre_open', 'after_close', 'non_trading_day']),
    closedSince: isoTime,
    nextOpen: isoTime,
    ageSeconds: num,
    delaySeconds: num.optional(),
  }),
  z.object({ status: z.literal('missing'), ...latestBase }),
]);
sameType<Same<z.infer<typeof ZLatestQuote>, TLatestQuote>>();

export const ZBar = z.object({
  time: z.string(),
  open: num,
  high: num,
  low: num,
  close: num,
  volume: num,
});
sameType<Same<z.infer<typeof ZBar>, TBar>>();

export const ZSymbolInfo = z.object({
  market: ZMarket,
  symbol: z.string(),
  name: z.string(),
  nameZh: z.string(),
  currency: z.string(),
  exchange: z.string(),
  isDemo: z.boolean(),
});
sameType<Same<z.infer<typeof ZSymbolInfo>, TSymbolInfo>>();
