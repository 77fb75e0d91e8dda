import type { TLatestQuote, TMarket, TQuote } from '@investiq/contracts';
import { marketPhase } from '@investiq/market';
import { sourceDelaySeconds } from './source-delays';

export interface FreshnessOptions {
  /**
   * Ignore exchange sessions (the demo market's `alwaysOpen` mode): never answer `closed`. Default false:
   * the exchange calendar of the quote's market applies.
   */
  alwaysOpen?: boolean;
  /**
   * Only quotes from these sources ignore exchange sessions (with `alwaysOpen`): the demo market trades
   * around the clock, a real vendor's quote is still judged by its exchange's calendar. Default: every source.
   */
  alwaysOpenSources?: readonly string[];
  /** Declared delay of the quote's source for this market; default: the source-delay registry. */
  delaySeconds?: number;
}

/**
 * The strict TTL contract, with no fallback. Let budget = maxAgeSeconds + the source's declared delay.
 * - Market open (or `alwaysOpen`): a quote at most `budget` old is `fresh` (no declared delay) or
 *   `delayed` (with `delaySeconds`); older → `stale` with the last-seen time and no price.
 * - Market closed at `now` (break, before/after the sessions, weekend, holiday): a quote that was still
 *   within budget when the last session ended is `closed` — the last close, labelled as such, with
 *   `closedSince` and `nextOpen`; an older one is `stale`.
 * - No quote → `missing`. A quote stamped slightly in the future (clock skew) counts as age 0.
 */
export function decideFreshness(
  ref: { market: TMarket; symbol: string },
  quote: TQuote | null,
  maxAgeSeconds: number,
  now: Date,
  opts: FreshnessOptions = {},
): TLatestQuote {
  const checkedAt = now.toISOString();
  const { market, symbol } = ref;
  if (!quote) return { status: 'missing', market, symbol, maxAgeSeconds, checkedAt };
  const delaySeconds = opts.delaySeconds ?? sourceDelaySeconds(quote.source, market);
  const budgetMs = (maxAgeSeconds + delaySeconds) * 1000;
  const quoteMs = new Date(quote.ts).getTime();
  const ageMs = Math.max(0, now.getTime() - quoteMs);
  const ageSeconds = Math.round(ageMs / 100) / 10;
  const ignoreSessions =
    opts.alwaysOpen === true && (!opts.alwaysOpenSources || opts.alwaysOpenSources.includes(quote.source));
  if (!ignoreSessions) {
    const phase = marketPhase(market, now);
    if (phase.phase !== 'open') {
      if (quoteMs >= phase.lastClose.getTime() - budgetMs) {
        return {
          status: 'closed',
          market,
          symbol,
          quote,
          reason: phase.phase,
          closedSince: phase.lastClose.toISOString(),
          nextOpen: phase.nextOpen.toISOString(),
          ageSeconds,
          maxAgeSeconds,
          ...(delaySeconds > 0 ? { delaySeconds } : {}),
          checkedAt,
        };
      }
      return { status: 'stale', market, symbol, lastSeenAt: quote.ts, ageSeconds, maxAgeSeconds, checkedAt };
    }
  }
  if (ageMs <= budgetMs) {
    return delaySeconds > 0
      ? { status: 'delayed', market, symbol, quote, ageSeconds, maxAgeSeconds, delaySeconds, checkedAt }
      : { status: 'fresh', market, symbol, quote, ageSeconds, maxAgeSeconds, checkedAt };
  }
  return { status: 'stale', market, symbol, lastSeenAt: quote.ts, ageSeconds, maxAgeSeconds, checkedAt };
}
