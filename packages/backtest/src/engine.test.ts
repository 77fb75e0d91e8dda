import { describe, expect, it } from 'vitest';
import { simulate } from './engine';
import { MARKET_RULES } from './markets';
import type { DailyBar, Instrument, TCosts } from './types';

// Every expected figure below is worked by hand in the comment beside it.

const FREE: TCosts = { commissionBps: 0, minCommission: 0, slippageBps: 0, perShare: 0, perShareMin: 0 };
const MOUTAI: Instrument = { market: 'CN', symbol: '600519.SH', name: 'Kweichow Moutai' };
const CATL: Instrument = { market: 'CN', symbol: '300750.SZ', name: 'CATL' };
const ST: Instrument = { market: 'CN', symbol: '600001.SH', name: '*ST Demo' };
const AAPL: Instrument = { market: 'US', symbol: 'AAPL' };

type B = [open: number, high: number, low: number, close: number, volume?: number] | null;

/** Bars on consecutive dates from 2024-01-01; null = no bar (suspended). */
function run(
  inst: Instrument,
  raw: B[],
  target: number[],
  o: { cash?: number; costs?: Partial<TCosts>; stop?: number; start?: number; lot?: number } = {},
) {
  const dates = raw.map((_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`);
  const bars: (DailyBar | null)[] = raw.map((b, i) =>
    b ? { date: dates[i]!, open: b[0], high: b[1], low: b[2], close: b[3], volume: b[4] ?? 1_000 } : null,
  );
  return simulate({
    inst,
    rules: MARKET_RULES[inst.market],
    costs: { ...FREE, ...o.costs },
    dates,
    bars,
    target: Float64Array.from(target.map((t) => (Number.isNaN(t) ? Number.NaN : t))),
    start: o.start ?? 0,
    end: raw.length,
    initialCash: o.cash ?? 100_000,
    stopLossPct: o.stop ?? 0,
    ...(o.lot ? { lotSize: o.lot } : {}),
  });
}
const N = Number.NaN;

describe('A-share lots', () => {
  it('buys whole lots of 100 that the cash (fees included) pays for', () => {
    // cash 12 345 at open 10: 1 234.5 shares wanted → 1 200 (12 lots); transfer fee 12 000 × 0.001 % = 0.12
    const r = run(
      MOUTAI,
      [
        [10, 10, 10, 10],
        [10, 10.2, 9.9, 10.1],
      ],
      [1, 1],
      { cash: 12_345 },
    );
    expect(r.fills).toHaveLength(1);
    expect(r.fills[0]).toMatchObject({ side: 'buy', shares: 1_200, price: 10 });
    expect(r.cash).toBeCloseTo(12_345 - 12_000 - 0.12, 9);
    // equity at the last close: 344.88 + 1 200 × 10.1
    expect(r.equity[1]).toBeCloseTo(344.88 + 12_120, 9);
  });

  it('drops a lot when the fees would overdraw the cash', () => {
    // 100 000 at 10: 10 000 shares cost 100 000 + 1.00 transfer fee > cash → 9 900 shares, cash 999.01
    const r = run(
      MOUTAI,
      [
        [10, 10, 10, 10],
        [10, 10, 10, 10],
      ],
      [1, 1],
    );
    expect(r.fills[0]!.shares).toBe(9_900);
    expect(r.cash).toBeCloseTo(100_000 - 99_000 - 0.99, 9);
  });

  it('US trades single shares', () => {
    // 10 000 at 33: floor(303.03) = 303 shares
    const r = run(
      AAPL,
      [
        [33, 33, 33, 33],
        [33, 33, 33, 33],
      ],
      [1, 1],
      { cash: 10_000 },
    );
    expect(r.fills[0]!.shares).toBe(303);
  });

  it('HK uses the stock’s board lot (HSBC 0005.HK: 400)', () => {
    // 50 000 at 60: 833.3 shares → 2 lots of 400 = 800
    const r = run(
      { market: 'HK', symbol: '0005.HK' },
      [
        [60, 60, 60, 60],
        [60, 60, 60, 60],
      ],
      [1, 1],
      {
        cash: 50_000,
      },
    );
    expect(r.fills[0]!.shares).toBe(800);
  });
});

describe('T+1', () => {
  // bought at day 2's open at 10 (decision at day 1's close); day 2's low 9.0 breaks a 5 % stop (9.50)
  const bars: B[] = [
    [10, 10, 10, 10],
    [10, 10.1, 9.0, 9.2],
    [9.3, 9.4, 9.1, 9.2],
  ];
  it('A-shares bought today cannot be sold today: the stop sells at the next open', () => {
    const r = run(MOUTAI, bars, [1, N, N], { stop: 0.05 });
    expect(r.blocked).toContainEqual({ date: '2024-01-02', side: 'sell', reason: 't+1' });
    expect(r.fills.map((f) => [f.date, f.side, f.price])).toEqual([
      ['2024-01-02', 'buy', 10],
      ['2024-01-03', 'sell', 9.3],
    ]);
  });
  it('US (T+0) stops out the same day at the stop price', () => {
    const r = run(AAPL, bars, [1, N, N], { stop: 0.05 });
    expect(r.blocked).toEqual([]);
    expect(r.fills.map((f) => [f.date, f.side, f.price])).toEqual([
      ['2024-01-02', 'buy', 10],
      ['2024-01-02', 'sell', 9.5],
    ]);
  });
});

describe('daily price limits', () => {
  it('main board ±10 %: no buy at an open at limit-up (11.00 over 10.00); fills the next day', () => {
    const r = run(
      MOUTAI,
      [
        [10, 10, 10, 10],
        [11, 11, 11, 11],
        [11.5, 12, 11.4, 11.8],
      ],
      [1, N, N],
    );
    expect(r.blocked).toEqual([{ date: '2024-01-02', side: 'buy', reason: 'limit-up' }]);
    expect(r.fills[0]).toMatchObject({ date: '2024-01-03', price: 11.5 });
  });
  it('main board: no sell at an open at limit-down (9.00 under 10.00)', () => {
    const r = run(
      MOUTAI,
      [
        [10, 10, 10, 10],
        [10, 10, 10, 10],
        [9, 9, 9, 9],
        [8.5, 8.6, 8.4, 8.5],
      ],
      [1, 0, N, N],
    );
    expect(r.blocked).toEqual([{ date: '2024-01-03', side: 'sell', reason: 'limit-down' }]);
    expect(r.fills.map((f) => [f.date, f.side, f.price])).toEqual([
      ['2024-01-02', 'buy', 10],
      ['2024-01-04', 'sell', 8.5],
    ]);
  });
  it('growth board ±20 %: an open at +10 % fills; slippage is capped at the limit (12.00)', () => {
    const ok = run(
      CATL,
      [
        [10, 10, 10, 10],
        [11, 11, 11, 11],
      ],
      [1, N],
    );
    expect(ok.blocked).toEqual([]);
    expect(ok.fills[0]!.price).toBe(11);
    // open 11.95 + 100 bps slippage = 12.0695 > limit-up 12.00 → fills at 12.00
    const capped = run(
      CATL,
      [
        [10, 10, 10, 10],
        [11.95, 12, 11.9, 12],
      ],
      [1, N],
      { costs: { slippageBps: 100 } },
    );
    expect(capped.fills[0]!.price).toBe(12);
  });
  it('ST ±5 %: an open at 10.50 over 10.00 is limit-up', () => {
    const r = run(
      ST,
      [
        [10, 10, 10, 10],
        [10.5, 10.5, 10.5, 10.5],
      ],
      [1, N],
    );
    expect(r.blocked).toEqual([{ date: '2024-01-02', side: 'buy', reason: 'limit-up' }]);
    expect(r.fills).toEqual([]);
  });
  it('US has no limits: a +30 % open fills', () => {
    const r = run(
      AAPL,
      [
        [10, 10, 10, 10],
        [13, 13, 13, 13],
      ],
      [1, N],
    );
    expect(r.fills[0]!.price).toBe(13);
  });
});

describe('suspension', () => {
  it('no bar: the order waits and fills at the next bar; equity keeps the last close', () => {
    const r = run(AAPL, [[10, 10, 10, 10], null, [12, 12, 12, 12]], [1, N, N], { cash: 1_000 });
    expect(r.blocked).toEqual([{ date: '2024-01-02', side: 'buy', reason: 'suspended' }]);
    expect(r.fills[0]).toMatchObject({ date: '2024-01-03', shares: 83, price: 12 });
    expect(Array.from(r.equity)).toEqual([1_000, 1_000, 1_000]);
  });
  it('a zero-volume bar is a suspension too', () => {
    const r = run(
      AAPL,
      [
        [10, 10, 10, 10],
        [11, 11, 11, 11, 0],
        [12, 12, 12, 12],
      ],
      [1, N, N],
      { cash: 1_000 },
    );
    expect(r.blocked).toEqual([{ date: '2024-01-02', side: 'buy', reason: 'suspended' }]);
    expect(r.fills[0]!.date).toBe('2024-01-03');
  });
});

describe('costs', () => {
  it('CN: commission with its minimum, stamp duty on sells only, at the rate of the trade date', () => {
    const cn = MARKET_RULES.CN;
    const c = { ...FREE, commissionBps: 2.5, minCommission: 5 };
    // 1 000 × 20 = 20 000: 2.5 bps = 5.00 = the minimum; 0.1 % duty before 2023-08-28 = 20; transfer 0.20
    expect(cn.fees('sell', 1_000, 20, '2023-08-25', c)).toEqual({
      commission: 5,
      stampDuty: 20,
      otherFees: 0.2,
    });
    // from 2023-08-28: 0.05 % = 10
    expect(cn.fees('sell', 1_000, 20, '2023-08-28', c).stampDuty).toBeCloseTo(10, 12);
    // buy: no duty; 100 × 20 = 2 000 → 2.5 bps = 0.50 → minimum 5
    expect(cn.fees('buy', 100, 20, '2024-01-02', c)).toEqual({
      commission: 5,
      stampDuty: 0,
      otherFees: 0.02,
    });
    // 10 000 × 20 = 200 000 → 50 (above the minimum)
    expect(cn.fees('buy', 10_000, 20, '2024-01-02', c).commission).toBeCloseTo(50, 12);
  });
  it('HK: stamp duty on both sides, rounded up to a dollar, 0.13 % before 2023-11-17 and 0.1 % after', () => {
    const hk = MARKET_RULES.HK;
    const c = { ...FREE, commissionBps: 3, minCommission: 50 };
    // 100 × 300.5 = 30 050: duty 30.05 → 31; commission 9.015 → min 50; fees 30 050 × 0.0085 % = 2.55425
    const buy = hk.fees('buy', 100, 300.5, '2024-01-02', c);
    expect(buy.stampDuty).toBe(31);
    expect(buy.commission).toBe(50);
    expect(buy.otherFees).toBeCloseTo(2.55425, 9);
    expect(hk.fees('sell', 100, 300.5, '2024-01-02', c).stampDuty).toBe(31);
    // 2023-11-16: 30 050 × 0.13 % = 39.065 → 40
    expect(hk.fees('sell', 100, 300.5, '2023-11-16', c).stampDuty).toBe(40);
  });
  it('US: per-share fee with a minimum, capped at 1 % of the order', () => {
    const us = MARKET_RULES.US;
    const c = { ...FREE, perShare: 0.005, perShareMin: 1 };
    expect(us.fees('buy', 100, 50, '2024-01-02', c).otherFees).toBe(1); // 0.50 → minimum 1
    expect(us.fees('buy', 1_000, 50, '2024-01-02', c).otherFees).toBeCloseTo(5, 12); // 1 000 × 0.005
    expect(us.fees('sell', 10_000, 0.1, '2024-01-02', c).otherFees).toBeCloseTo(10, 12); // 50 capped at 1 % of 1 000
    expect(us.fees('sell', 1_000, 50, '2024-01-02', c).stampDuty).toBe(0);
  });
  it('slippage in bps moves buys up and sells down', () => {
    // 10 bps: buy at 100 × 1.001 = 100.10; sell at 101 × 0.999 = 100.899
    const r = run(
      AAPL,
      [
        [100, 100, 100, 100],
        [100, 100, 100, 100],
        [101, 101, 101, 101],
      ],
      [1, 0, N],
      {
        cash: 10_010,
        costs: { slippageBps: 10 },
      },
    );
    expect(r.fills[0]!.price).toBeCloseTo(100.1, 12);
    expect(r.fills[0]!.shares).toBe(100);
    expect(r.fills[1]!.price).toBeCloseTo(100.899, 12);
    // round trip: 100 × (100.899 − 100.10) = 79.90
    expect(r.roundTrips[0]!.pnl).toBeCloseTo(79.9, 9);
  });
  it('a full CN round trip books every cost into the cash', () => {
    // buy 1 000 at 10 (2024-01-02): 10 000 + commission 5 (min) + transfer 0.10
    // sell 1 000 at 11 (2024-01-03): 11 000 − 5 − duty 5.50 (0.05 %) − transfer 0.11
    const r = run(
      MOUTAI,
      [
        [10, 10, 10, 10],
        [10, 10, 10, 10],
        [11, 11, 11, 11],
      ],
      [1, 0, N],
      {
        cash: 10_200,
        costs: { commissionBps: 2.5, minCommission: 5 },
      },
    );
    expect(r.fills.map((f) => f.shares)).toEqual([1_000, 1_000]);
    expect(r.cash).toBeCloseTo(10_200 - 10_005.1 + 10_989.39, 9);
    expect(r.costs).toBeCloseTo(5.1 + 10.61, 9);
    expect(r.roundTrips[0]!.pnl).toBeCloseTo(10_989.39 - 10_005.1, 9);
  });
});
