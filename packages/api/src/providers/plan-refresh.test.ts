import { describe, expect, it } from 'vitest';
import { planMarketRefresh, planRefresh } from './plan-refresh';

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

  it('keeps a margin of one collector tick and a second: an interval equal to the limit is not fresh', () => {
    // 60/min over 30 symbols → 30 s; read up to 30 + 2 + 1 s after the event: over a 30 s limit
    // (bench/providers.ts measured 6 % stale reads exactly at the limit); 27 symbols → 27 s + 3 s fits
    const at = (symbols: number) =>
      planRefresh({
        symbols,
        budget: { perMinute: 60, perDay: 0 },
        collectorIntervalMs: 2_000,
        freshnessSeconds: 30,
      });
    expect(at(30)).toMatchObject({ intervalMs: 30_000, keepsFresh: false });
    expect(at(27)).toMatchObject({ intervalMs: 27_000, keepsFresh: true });
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

  it('spreads one provider budget over every market it is primary for', () => {
    // Yahoo (30/min) primary for HK (4) and US (4), demo for CN: 8 symbols → 60·8/30 = 16 s for HK and US
    const primary = { CN: 'demo', HK: 'yahoo', US: 'yahoo' } as const;
    const counts = new Map([
      ['CN', 5],
      ['HK', 4],
      ['US', 4],
    ] as const);
    const budgets: Record<string, { perMinute: number; perDay: number }> = {
      demo: { perMinute: 0, perDay: 0 },
      yahoo: { perMinute: 30, perDay: 0 },
    };
    const plan = (market: 'CN' | 'HK' | 'US') =>
      planMarketRefresh({
        market,
        counts,
        primaryOf: (m) => primary[m],
        budgetOf: (p) => budgets[p]!,
        collectorIntervalMs: 2_000,
        freshnessSeconds: 30,
      });
    expect(plan('US')).toMatchObject({ provider: 'yahoo', symbols: 8, intervalMs: 16_000, keepsFresh: true });
    expect(plan('HK').intervalMs).toBe(16_000);
    expect(plan('CN')).toMatchObject({ provider: 'demo', symbols: 5, intervalMs: 2_000 });
    // Yahoo's default 5000/day binds harder: 86400·8/5000 = 138.24 s → 138 240 ms, past a 30 s limit
    budgets.yahoo = { perMinute: 30, perDay: 5000 };
    expect(plan('US')).toMatchObject({ intervalMs: 138_240, limitedBy: 'day', keepsFresh: false });
  });
});
