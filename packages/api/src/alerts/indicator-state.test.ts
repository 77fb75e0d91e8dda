import { type Bar, computeIndicators, rsi } from '@investiq/quant';
import { describe, expect, it } from 'vitest';
import { DailyIndicators } from './indicator-state';

// StockCharts ChartSchool "Relative Strength Index (RSI)" worked example (Wilder's, cs-rsi.xls): 33 closes and
// the published RSI(14) from the 15th close on, rounded to 2 places. Reused as a fixture by many public
// projects (e.g. TA-Lib users' RSI tests).
const WILDER_CLOSES = [
  44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328,
  45.614, 46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515,
  45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
];
const WILDER_RSI = [
  70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87,
  45.46, 37.3, 33.08, 37.77,
];

/** A deterministic 300-day walk (LCG), 4-decimal closes like real prices. */
function walk(n: number): Bar[] {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const bars: Bar[] = [];
  let c = 100;
  for (let i = 0; i < n; i++) {
    c = Math.round(c * (1 + (rnd() - 0.5) * 0.04) * 1e4) / 1e4;
    bars.push({ open: c, high: c * 1.01, low: c * 0.99, close: c, volume: 1e6 + Math.round(rnd() * 1e6) });
  }
  return bars;
}

/** The indicators with close i as the live price: sessions 0 … i−1 completed. */
const liveAt = (closes: number[], i: number) =>
  new DailyIndicators(
    closes.slice(0, i),
    closes.slice(0, i).map(() => 1),
  );

describe('DailyIndicators (live price as today’s close)', () => {
  it('RSI(14) matches the published StockCharts values at every close', () => {
    WILDER_RSI.forEach((want, k) => {
      const i = 15 + k; // live close i needs 15 completed sessions for the previous value as well
      if (i >= WILDER_CLOSES.length) return;
      const r = liveAt(WILDER_CLOSES, i).rsi(14, WILDER_CLOSES[i]!)!;
      expect(Math.round(r.now * 100) / 100).toBe(WILDER_RSI[k + 1]);
      expect(Math.round(r.prev * 100) / 100).toBe(want);
    });
    expect(liveAt(WILDER_CLOSES, 14).rsi(14, 46.28)).toBeNull(); // 14 closes: no RSI at the last one yet
  });

  const bars = walk(300);
  const closes = bars.map((b) => b.close);
  // @investiq/quant's computeIndicators is checked against pandas (packages/quant/scripts/reference.py)
  const ref = computeIndicators(bars, [
    { kind: 'sma', period: 20 },
    { kind: 'sma', period: 50 },
    { kind: 'macd' },
  ]);
  const refRsi = rsi(closes, 14);
  const macd = ref.macd_12_26_9 as Record<'macd' | 'signal', (number | null)[]>;

  it('RSI, SMA and MACD equal @investiq/quant over 300 sessions (1e-9), live and previous', () => {
    for (let i = 60; i < 300; i++) {
      const d = liveAt(closes, i);
      const p = closes[i]!;
      const r = d.rsi(14, p)!;
      expect(Math.abs(r.now - refRsi[i]!)).toBeLessThan(1e-9);
      expect(Math.abs(r.prev - refRsi[i - 1]!)).toBeLessThan(1e-9);
      for (const n of [20, 50] as const) {
        const s = d.sma(n, p)!;
        const want = ref[`sma_${n}`] as (number | null)[];
        expect(Math.abs(s.now - want[i]!)).toBeLessThan(1e-9);
        expect(Math.abs(s.prev - want[i - 1]!)).toBeLessThan(1e-9);
      }
      const m = d.macd(12, 26, 9, p)!;
      expect(Math.abs(m.macd.now - macd.macd[i]!)).toBeLessThan(1e-9);
      expect(Math.abs(m.signal.now - macd.signal[i]!)).toBeLessThan(1e-9);
      expect(Math.abs(m.signal.prev - macd.signal[i - 1]!)).toBeLessThan(1e-9);
    }
  });

  it('needs enough sessions: MACD(12,26,9) from 34 completed sessions, SMA(n) from n', () => {
    expect(liveAt(closes, 33).macd(12, 26, 9, 100)).toBeNull();
    expect(liveAt(closes, 34).macd(12, 26, 9, 100)).not.toBeNull();
    expect(liveAt(closes, 19).sma(20, 100)).toBeNull();
    expect(liveAt(closes, 20).sma(20, 100)).not.toBeNull();
  });

  it('average volume over the last n sessions', () => {
    const d = new DailyIndicators([1, 2, 3, 4], [100, 200, 300, 600]);
    expect(d.averageVolume(2)).toBe(450); // (300 + 600) / 2
    expect(d.averageVolume(5)).toBeNull();
  });
});
