import { describe, expect, it } from 'vitest';
import { planRefresh } from './plan-refresh';

describe('planRefresh', () => {
  it('spreads a per-minute budget over the symbols', () => {
    // 60 requests/min over 20 symbols: 20 polls of 20 = 400 > 60, so one poll every 60·20/60 = 20 s
    const p = planRefresh({
      symbols: 20,
      budget: { perMinute: 60, perDay: 0 },
      collectorIntervalMs: 2_000,
      freshnessSeconds: 30,
    });
    expect(p).toMatchObject({ intervalMs: 20_000, limitedBy: 'minute', keepsFresh: true });
  });

  it('flags a budget that cannot keep the symbols fresh', () => {
    // 500/day over 12 symbols: 86400·12/500 = 2073.6 s → 2 073 600 ms, far above a 30 s limit
    const p = planRefresh({
      symbols: 12,
      budget: { perMinute: 60, perDay: 500 },
      collectorIntervalMs: 2_000,
      freshnessSeconds: 30,
    });
    expect(p).toMatchObject({ intervalMs: 2_073_600, limitedBy: 'day', keepsFresh: false });
  });

  it('keeps the collector interval when the budget is no limit', () => {
    const p = planRefresh({
      symbols: 500,
      budget: { perMinute: 0, perDay: 0 },
      collectorIntervalMs: 2_000,
      freshnessSeconds: 30,
    });
    expect(p).toMatchObject({ intervalMs: 2_000, limitedBy: 'collector', keepsFresh: true });
  });
});
