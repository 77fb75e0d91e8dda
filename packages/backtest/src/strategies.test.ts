import { describe, expect, it } from 'vitest';
import { runBacktest, ZBacktestSpec } from './run';
import { STRATEGIES as REGISTRY, type StrategyDescriptor } from './strategies';

const STRATEGIES = REGISTRY as unknown as readonly StrategyDescriptor[];

import type { DailyBar } from './types';

function walk(n: number, seed: number): DailyBar[] {
  let s = seed;
  const rnd = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  let p = 50;
  const out: DailyBar[] = [];
  const d0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const o = p;
    p = Math.max(1, p * (1 + (rnd() - 0.49) * 0.05));
    const date = new Date(d0 + i * 86_400_000).toISOString().slice(0, 10);
    out.push({
      date,
      open: o,
      high: Math.max(o, p) * 1.01,
      low: Math.min(o, p) * 0.99,
      close: p,
      volume: 1e6,
    });
  }
  return out;
}

describe('strategies', () => {
  const bars = walk(400, 7);
  for (const s of STRATEGIES) {
    it(`${s.id}: no look-ahead — the decision at bar i is the same with or without later bars`, () => {
      const params = s.params.parse(s.id === 'follow-report' ? { window: 60, refitEvery: 10 } : {});
      const full = s.signal(bars, params);
      for (const cut of [150, 233, 399]) {
        const part = s.signal(bars.slice(0, cut), params);
        for (let i = 0; i < cut; i++) {
          const a = full[i] as number;
          const b = part[i] as number;
          if (!(Number.isNaN(a) && Number.isNaN(b))) expect(b, `${s.id} bar ${i} cut ${cut}`).toBe(a);
        }
      }
      // and it decides something
      expect(Array.from(full).some((x) => !Number.isNaN(x))).toBe(true);
    });
  }

  it('ma-cross by hand: SMA(2) vs SMA(3)', () => {
    const ma = STRATEGIES.find((s) => s.id === 'ma-cross')!;
    const closes = [10, 11, 12, 11, 9, 10];
    const b = closes.map((c, i) => ({
      date: `2024-01-0${i + 1}`,
      open: c,
      high: c,
      low: c,
      close: c,
      volume: 1,
    }));
    // SMA2: –, 10.5, 11.5, 11.5, 10, 9.5; SMA3: –, –, 11, 11.33, 10.67, 10 → long, long, flat, flat
    expect(Array.from(ma.signal(b, { fast: 2, slow: 3 }))).toEqual([Number.NaN, Number.NaN, 1, 1, 0, 0]);
  });

  it('channel-breakout by hand: entry 2, exit 2', () => {
    const cb = STRATEGIES.find((s) => s.id === 'channel-breakout')!;
    const hl = [
      [10, 9],
      [11, 10],
      [12, 11],
      [11, 10],
      [10, 8],
    ];
    const b = hl.map(([h, l], i) => ({
      date: `2024-01-0${i + 1}`,
      open: l!,
      high: h!,
      low: l!,
      close: h!,
      volume: 1,
    }));
    // bar 2: close 12 > max(10, 11) → 1; bar 3: close 11, neither; bar 4: close 10 < min(11, 10)? no → NaN
    expect(Array.from(cb.signal(b, { entry: 2, exit: 2 }))).toEqual([
      Number.NaN,
      Number.NaN,
      1,
      Number.NaN,
      Number.NaN,
    ]);
  });
});

describe('runBacktest', () => {
  const series = [
    { inst: { market: 'US' as const, symbol: 'AAA' }, bars: walk(600, 3) },
    { inst: { market: 'CN' as const, symbol: '600000.SH', name: 'Demo' }, bars: walk(600, 11) },
  ];
  it('runs a portfolio with buy-and-hold, benchmark and a walk-forward sweep', () => {
    const progress: number[] = [];
    const r = runBacktest(
      {
        strategy: 'ma-cross',
        params: { fast: 10, slow: 30 },
        from: '2020-06-01',
        to: '2021-08-01',
        sweep: { folds: 3 },
      },
      series,
      { onProgress: (d) => progress.push(d) },
    );
    expect(r.dates[0]).toBe('2020-06-01');
    expect(r.equity).toHaveLength(r.dates.length);
    expect(r.buyHold).toHaveLength(r.dates.length);
    expect(r.drawdown.every((x) => x <= 0)).toBe(true);
    expect(r.symbols.map((s) => s.lotSize)).toEqual([1, 100]);
    expect(r.metrics.trades).toBeGreaterThan(0);
    // the sum of sleeves starts at the cash and the two sleeves are reported
    expect(r.equity[0]).toBeGreaterThan(900_000);
    const sweep = r.sweep;
    if (!sweep) throw new Error('no sweep');
    expect(sweep.rows.length).toBe(9);
    expect(sweep.folds).toHaveLength(3);
    expect(sweep.folds[0]!.outOfSample.from > sweep.folds[0]!.inSample.to).toBe(true);
    expect(progress.at(-1)).toBe(2 * 2 + 9 * 2);
  });
  it('refuses a sweep whose folds would be shorter than a month', () => {
    expect(() =>
      runBacktest(
        { strategy: 'ma-cross', from: '2021-06-01', to: '2021-08-01', sweep: { folds: 4 } },
        series,
      ),
    ).toThrow(/sweep: 4 folds need at least 100 bars in the range; it has 62/); // 2021-06-01 … 08-01: 62 daily bars
  });
  it('buy-and-hold strategy equals the buy-and-hold baseline', () => {
    const r = runBacktest({ strategy: 'buy-and-hold', from: '2020-03-01', to: '2020-12-31' }, series);
    expect(r.equity).toEqual(r.buyHold);
    expect(r.metrics.exposure).toBeGreaterThan(0.95);
  });
  it('names the bad parameter', () => {
    const r = ZBacktestSpec.safeParse({
      strategy: 'ma-cross',
      params: { fast: 50, slow: 20 },
      from: '2020-03-01',
      to: '2020-12-31',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['params.fast', 'fast must be shorter than slow'],
    ]);
    expect(() =>
      runBacktest({ strategy: 'rsi-reversion', params: { period: 1 }, from: 'x', to: '2020-12-31' }, series),
    ).toThrow(/must be a date/);
  });
});
