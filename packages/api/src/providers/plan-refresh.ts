import type { TMarket } from '@investiq/contracts';
import type { VendorBudget } from '@investiq/market/vendors';

export interface RefreshPlan {
  /** How often the collector polls this market's symbols (never faster than the budget allows). */
  intervalMs: number;
  limitedBy: 'collector' | 'minute' | 'day';
  /** false: the budget cannot keep these symbols inside the freshness limit. */
  keepsFresh: boolean;
  freshnessSeconds: number;
  symbols: number;
}

/**
 * Spread a provider's budget over the symbols it polls. A poll costs one request per symbol (the
 * conservative assumption every adapter satisfies), so with `n` symbols the interval is at least
 * `60 s · n / perMinute` and `86400 s · n / perDay` (0 = no limit), and never below the collector's own
 * interval. Example: Finnhub's free 60/min over 20 symbols → 20 s.
 */
export function planRefresh(input: {
  symbols: number;
  budget: VendorBudget;
  collectorIntervalMs: number;
  freshnessSeconds: number;
}): RefreshPlan {
  const n = Math.max(0, input.symbols);
  let intervalMs = input.collectorIntervalMs;
  let limitedBy: RefreshPlan['limitedBy'] = 'collector';
  if (input.budget.perMinute > 0) {
    const perMinute = Math.ceil((60_000 * n) / input.budget.perMinute);
    if (perMinute > intervalMs) {
      intervalMs = perMinute;
      limitedBy = 'minute';
    }
  }
  if (input.budget.perDay > 0) {
    const perDay = Math.ceil((86_400_000 * n) / input.budget.perDay);
    if (perDay > intervalMs) {
      intervalMs = perDay;
      limitedBy = 'day';
    }
  }
  return {
    intervalMs,
    limitedBy,
    // a symbol's quote is read at most interval + one collector tick (polls start on the first tick after
    // the interval) + 1 s (vendors stamp whole seconds) after its event time: keep that inside the limit
    keepsFresh: intervalMs + input.collectorIntervalMs + 1_000 <= input.freshnessSeconds * 1000,
    freshnessSeconds: input.freshnessSeconds,
    symbols: n,
  };
}

/**
 * The plan of one market: its primary quotes provider's budget is spread over the symbols of every market
 * that provider is primary for (Yahoo serving CN, HK and US spends one budget on all three).
 */
export function planMarketRefresh(input: {
  market: TMarket;
  /** Watched symbols per market. */
  counts: ReadonlyMap<TMarket, number>;
  /** Primary quotes provider per market. */
  primaryOf: (market: TMarket) => string | null;
  budgetOf: (provider: string) => VendorBudget;
  collectorIntervalMs: number;
  freshnessSeconds: number;
}): RefreshPlan & { provider: string | null } {
  const provider = input.primaryOf(input.market);
  let symbols = 0;
  for (const [m, n] of input.counts) if (input.primaryOf(m) === provider) symbols += n;
  const plan = planRefresh({
    symbols,
    budget: provider ? input.budgetOf(provider) : { perMinute: 0, perDay: 0 },
    collectorIntervalMs: input.collectorIntervalMs,
    freshnessSeconds: input.freshnessSeconds,
  });
  return { ...plan, provider };
}
