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
    keepsFresh: intervalMs <= input.freshnessSeconds * 1000,
    freshnessSeconds: input.freshnessSeconds,
    symbols: n,
  };
}
