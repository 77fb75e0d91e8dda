import { describe, expect, it } from 'vitest';
import { QuantInputError } from './errors';
import { type Bar, computeIndicators, type IndicatorSpec } from './indicators';
import { maxAbsDiff, reference } from './reference';

// Reference: packages/quant/scripts/reference.py — pandas 1.5.3 (numpy 1.24.2) on Debian python 3.11:
// rolling means, ewm(adjust=False) seeded with the first window's SMA (TA-Lib convention), Wilder RSI/ATR,
// population-std Bollinger, OBV, and KDJ by the CN formula. Same 260 bars as the JSON (4-decimal inputs).
const b = reference.bars;
const bars: Bar[] = b.close.map((close, i) => ({
  open: b.open[i] as number,
  high: b.high[i] as number,
  low: b.low[i] as number,
  close,
  volume: b.volume[i] as number,
}));

const specs: IndicatorSpec[] = [
  { kind: 'sma', period: 20 },
  { kind: 'ema', period: 12 },
  { kind: 'rsi', period: 14 },
  { kind: 'macd' },
  { kind: 'bollinger' },
  { kind: 'atr' },
  { kind: 'obv' },
  { kind: 'kdj' },
];

describe('computeIndicators vs pandas reference', () => {
  const out = computeIndicators(bars, specs);

  it('returns one key per spec, arrays aligned with the bars', () => {
    expect(Object.keys(out).sort()).toEqual(
      ['atr_14', 'bollinger_20_2', 'ema_12', 'kdj_9_3_3', 'macd_12_26_9', 'obv', 'rsi_14', 'sma_20'].sort(),
    );
    expect((out.sma_20 as unknown[]).length).toBe(bars.length);
  });

  // Tolerance 1e-9: same arithmetic in double precision; observed differences are ≤ 1e-12.
  for (const key of ['sma_20', 'ema_12', 'rsi_14', 'atr_14', 'obv']) {
    it(`${key} matches to 1e-9 with the same warm-up nulls`, () => {
      expect(
        maxAbsDiff(out[key] as (number | null)[], reference.indicators[key] as (number | null)[]),
      ).toBeLessThan(1e-9);
    });
  }
  for (const key of ['macd_12_26_9', 'bollinger_20_2', 'kdj_9_3_3']) {
    it(`${key} (all components) matches to 1e-9`, () => {
      const ours = out[key] as Record<string, (number | null)[]>;
      const ref = reference.indicators[key] as Record<string, (number | null)[]>;
      expect(Object.keys(ours).sort()).toEqual(Object.keys(ref).sort());
      for (const comp of Object.keys(ref)) {
        expect(maxAbsDiff(ours[comp] ?? [], ref[comp] ?? []), `${key}.${comp}`).toBeLessThan(1e-9);
      }
    });
  }

  it('warm-up lengths: SMA20 from bar 19, RSI14 from 14, MACD signal from 33, KDJ from 8', () => {
    expect((out.sma_20 as (number | null)[]).findIndex((v) => v !== null)).toBe(19);
    expect((out.rsi_14 as (number | null)[]).findIndex((v) => v !== null)).toBe(14);
    const macd = out.macd_12_26_9 as Record<string, (number | null)[]>;
    expect(macd.signal?.findIndex((v) => v !== null)).toBe(33);
    const k = out.kdj_9_3_3 as Record<string, (number | null)[]>;
    expect(k.k?.findIndex((v) => v !== null)).toBe(8);
  });

  it('KDJ: first K is 2/3·50 + 1/3·RSV (CN definition, initial K = D = 50)', () => {
    const w = bars.slice(0, 9);
    const hi = Math.max(...w.map((x) => x.high));
    const lo = Math.min(...w.map((x) => x.low));
    const rsv = (((bars[8] as Bar).close - lo) / (hi - lo)) * 100;
    const k = (out.kdj_9_3_3 as Record<string, (number | null)[]>).k?.[8];
    expect(k).toBeCloseTo((2 / 3) * 50 + rsv / 3, 12);
  });
});

describe('computeIndicators bad input', () => {
  it('rejects too few bars for the period, naming the indicator', () => {
    expect(() => computeIndicators(bars.slice(0, 10), [{ kind: 'sma', period: 20 }])).toThrow(
      /sma_20 needs at least 20 bars/,
    );
  });
  it('rejects non-finite values with the bar index', () => {
    const bad = bars.slice(0, 30).map((x) => ({ ...x }));
    (bad[7] as Bar).close = Number.NaN;
    expect(() => computeIndicators(bad, [{ kind: 'ema', period: 5 }])).toThrow(QuantInputError);
    expect(() => computeIndicators(bad, [{ kind: 'ema', period: 5 }])).toThrow(
      /bars\[7\]\.close is not a finite number/,
    );
  });
  it('rejects high < low, an empty spec list and a non-integer period', () => {
    const bad = bars.slice(0, 30).map((x) => ({ ...x }));
    (bad[3] as Bar).high = (bad[3] as Bar).low - 1;
    expect(() => computeIndicators(bad, [{ kind: 'obv' }])).toThrow(/bars\[3\] has high < low/);
    expect(() => computeIndicators(bars, [])).toThrow(/at least one indicator/);
    expect(() => computeIndicators(bars, [{ kind: 'rsi', period: 2.5 }])).toThrow(/positive integer/);
  });
  it('rejects MACD with fast >= slow', () => {
    expect(() => computeIndicators(bars, [{ kind: 'macd', fast: 26, slow: 12 }])).toThrow(
      /fast period must be shorter/,
    );
  });
});
