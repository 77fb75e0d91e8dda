import type { TLatestQuote, TMarket, TQuote } from '@investiq/contracts';

/**
 * The strict TTL contract, with no fallback: a quote is `fresh` only when its event time is at most
 * `maxAgeSeconds` old at `now`. Older → `stale` with the last-seen time and no price. None → `missing`.
 * A quote stamped slightly in the future (clock skew) counts as age 0.
 */
export function decideFreshness(
  ref: { market: TMarket; symbol: string },
  quote: TQuote | null,
  maxAgeSeconds: number,
  now: Date,
): TLatestQuote {
  const checkedAt = now.toISOString();
  if (!quote) return { status: 'missing', market: ref.market, symbol: ref.symbol, maxAgeSeconds, checkedAt };
  const ageMs = Math.max(0, now.getTime() - new Date(quote.ts).getTime());
  const ageSeconds = Math.round(ageMs / 100) / 10;
  if (ageMs <= maxAgeSeconds * 1000) {
    return {
      status: 'fresh',
      market: ref.market,
      symbol: ref.symbol,
      quote,
      ageSeconds,
      maxAgeSeconds,
      checkedAt,
    };
  }
  return {
    status: 'stale',
    market: ref.market,
    symbol: ref.symbol,
    lastSeenAt: quote.ts,
    ageSeconds,
    maxAgeSeconds,
    checkedAt,
  };
}
