import { ATR, BollingerBands, EMA, MACD, OBV, SMA } from 'technicalindicators';
import { assertFiniteSeries, QuantInputError } from './errors';

export type Bar = { open: number; high: number; low: number; close: number; volume: number };

export type IndicatorSpec =
  | { kind: 'sma' | 'ema' | 'rsi'; period: number }
  | { kind: 'macd'; fast?: number; slow?: number; signal?: number }
  | { kind: 'bollinger'; period?: number; stdDev?: number }
  | { kind: 'atr'; period?: number }
  | { kind: 'obv' }
  | { kind: 'kdj'; period?: number; kSmoothing?: number; dSmoothing?: number };

export type Series = (number | null)[];
export type IndicatorResult = Record<string, Series | Record<string, Series>>;

/** Left-pad a library result (which omits the warm-up) with nulls so it lines up with the bars. */
function align(values: readonly number[], n: number): Series {
  const out: Series = new Array<number | null>(n - values.length).fill(null);
  for (const v of values) out.push(v);
  return out;
}

function positiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1)
    throw new QuantInputError(`${what} must be a positive integer, got ${v}`, what);
  return v;
}

function needBars(n: number, need: number, key: string): void {
  if (n < need) throw new QuantInputError(`${key} needs at least ${need} bars, got ${n}`, 'bars');
}

/**
 * Wilder RSI. technicalindicators' RSI rounds to 2 decimals, so it is computed here:
 * average gain/loss seeded with the simple mean of the first `period` changes, then
 * avg = ((period-1)·avg + x)/period (Wilder 1978). Both zero (flat window) → 50.
 */
export function rsi(close: readonly number[], period: number): Series {
  const n = close.length;
  const out: Series = new Array<number | null>(n).fill(null);
  if (n <= period) return out;
  let g = 0;
  let l = 0;
  for (let i = 1; i <= period; i++) {
    const ch = (close[i] as number) - (close[i - 1] as number);
    if (ch > 0) g += ch;
    else l -= ch;
  }
  g /= period;
  l /= period;
  const value = (): number => (l === 0 ? (g === 0 ? 50 : 100) : 100 - 100 / (1 + g / l));
  out[period] = value();
  for (let i = period + 1; i < n; i++) {
    const ch = (close[i] as number) - (close[i - 1] as number);
    g = (g * (period - 1) + Math.max(ch, 0)) / period;
    l = (l * (period - 1) + Math.max(-ch, 0)) / period;
    out[i] = value();
  }
  return out;
}

/**
 * KDJ, CN definition (通达信/同花顺 formula; e.g. 《证券投资技术分析》):
 *   RSV = (C − LLV(L,n)) / (HHV(H,n) − LLV(L,n)) × 100,
 *   K = SMA(RSV, m1, 1) = (m1−1)/m1·K₋₁ + RSV/m1,  D = SMA(K, m2, 1),  J = 3K − 2D,
 * with K₋₁ = D₋₁ = 50 before the first full window. A flat window (HHV = LLV) uses RSV = 50.
 */
export function kdj(
  bars: readonly Bar[],
  period = 9,
  kSmoothing = 3,
  dSmoothing = 3,
): Record<'k' | 'd' | 'j', Series> {
  const n = bars.length;
  const k: Series = new Array<number | null>(n).fill(null);
  const d: Series = new Array<number | null>(n).fill(null);
  const j: Series = new Array<number | null>(n).fill(null);
  let kPrev = 50;
  let dPrev = 50;
  for (let i = period - 1; i < n; i++) {
    let hi = Number.NEGATIVE_INFINITY;
    let lo = Number.POSITIVE_INFINITY;
    for (let t = i - period + 1; t <= i; t++) {
      const b = bars[t] as Bar;
      if (b.high > hi) hi = b.high;
      if (b.low < lo) lo = b.low;
    }
    const c = (bars[i] as Bar).close;
    const rsv = hi > lo ? ((c - lo) / (hi - lo)) * 100 : 50;
    kPrev = ((kSmoothing - 1) / kSmoothing) * kPrev + rsv / kSmoothing;
    dPrev = ((dSmoothing - 1) / dSmoothing) * dPrev + kPrev / dSmoothing;
    k[i] = kPrev;
    d[i] = dPrev;
    j[i] = 3 * kPrev - 2 * dPrev;
  }
  return { k, d, j };
}

function validateBars(bars: readonly Bar[]): void {
  if (!Array.isArray(bars) || bars.length === 0)
    throw new QuantInputError('bars must be a non-empty array', 'bars');
  bars.forEach((b, i) => {
    for (const f of ['open', 'high', 'low', 'close', 'volume'] as const) {
      if (typeof b?.[f] !== 'number' || !Number.isFinite(b[f])) {
        throw new QuantInputError(`bars[${i}].${f} is not a finite number`, 'bars');
      }
    }
    if (b.high < b.low) throw new QuantInputError(`bars[${i}] has high < low`, 'bars');
  });
}

/** Key under which a spec's output is returned, e.g. `sma_20`, `macd_12_26_9`, `kdj_9_3_3`. */
export function indicatorKey(spec: IndicatorSpec): string {
  switch (spec.kind) {
    case 'sma':
    case 'ema':
    case 'rsi':
      return `${spec.kind}_${spec.period}`;
    case 'macd':
      return `macd_${spec.fast ?? 12}_${spec.slow ?? 26}_${spec.signal ?? 9}`;
    case 'bollinger':
      return `bollinger_${spec.period ?? 20}_${spec.stdDev ?? 2}`;
    case 'atr':
      return `atr_${spec.period ?? 14}`;
    case 'obv':
      return 'obv';
    case 'kdj':
      return `kdj_${spec.period ?? 9}_${spec.kSmoothing ?? 3}_${spec.dSmoothing ?? 3}`;
  }
}

/**
 * Arrays are aligned with `bars`; `null` during warm-up. Conventions (TA-Lib's): EMA seeded with the
 * SMA of the first window; MACD signal is an EMA of the MACD line seeded likewise; Bollinger uses the
 * population standard deviation; ATR is Wilder-smoothed true range starting at bar 1; OBV starts at 0.
 */
export function computeIndicators(bars: Bar[], specs: IndicatorSpec[]): IndicatorResult {
  validateBars(bars);
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new QuantInputError('indicators must list at least one indicator', 'indicators');
  }
  const n = bars.length;
  const close = bars.map((b) => b.close);
  const high = bars.map((b) => b.high);
  const low = bars.map((b) => b.low);
  const volume = bars.map((b) => b.volume);
  assertFiniteSeries(close, 'close', 1);
  const out: IndicatorResult = {};
  for (const spec of specs) {
    const key = indicatorKey(spec);
    switch (spec.kind) {
      case 'sma': {
        const p = positiveInt(spec.period, `${key}.period`);
        needBars(n, p, key);
        out[key] = align(SMA.calculate({ period: p, values: close }), n);
        break;
      }
      case 'ema': {
        const p = positiveInt(spec.period, `${key}.period`);
        needBars(n, p, key);
        out[key] = align(EMA.calculate({ period: p, values: close }), n);
        break;
      }
      case 'rsi': {
        const p = positiveInt(spec.period, `${key}.period`);
        needBars(n, p + 1, key);
        out[key] = rsi(close, p);
        break;
      }
      case 'macd': {
        const fast = positiveInt(spec.fast ?? 12, `${key}.fast`);
        const slow = positiveInt(spec.slow ?? 26, `${key}.slow`);
        const signal = positiveInt(spec.signal ?? 9, `${key}.signal`);
        if (fast >= slow)
          throw new QuantInputError(`${key}: fast period must be shorter than slow`, 'indicators');
        needBars(n, slow + signal - 1, key);
        const rows = MACD.calculate({
          values: close,
          fastPeriod: fast,
          slowPeriod: slow,
          signalPeriod: signal,
          SimpleMAOscillator: false,
          SimpleMASignal: false,
        });
        out[key] = {
          macd: align(
            rows.map((r) => r.MACD ?? Number.NaN),
            n,
          ).map(nanToNull),
          signal: align(
            rows.map((r) => r.signal ?? Number.NaN),
            n,
          ).map(nanToNull),
          histogram: align(
            rows.map((r) => r.histogram ?? Number.NaN),
            n,
          ).map(nanToNull),
        };
        break;
      }
      case 'bollinger': {
        const p = positiveInt(spec.period ?? 20, `${key}.period`);
        const k = spec.stdDev ?? 2;
        if (!(k > 0)) throw new QuantInputError(`${key}.stdDev must be positive`, 'indicators');
        needBars(n, p, key);
        const rows = BollingerBands.calculate({ period: p, stdDev: k, values: close });
        out[key] = {
          upper: align(
            rows.map((r) => r.upper),
            n,
          ),
          middle: align(
            rows.map((r) => r.middle),
            n,
          ),
          lower: align(
            rows.map((r) => r.lower),
            n,
          ),
        };
        break;
      }
      case 'atr': {
        const p = positiveInt(spec.period ?? 14, `${key}.period`);
        needBars(n, p + 1, key);
        out[key] = align(ATR.calculate({ period: p, high, low, close }), n);
        break;
      }
      case 'obv': {
        // the library starts at bar 1 (no previous close for bar 0); OBV₀ = 0 by definition
        const rows = n > 1 ? OBV.calculate({ close, volume }) : [];
        const series = align(rows, n);
        series[0] = 0;
        out[key] = series;
        break;
      }
      case 'kdj': {
        const p = positiveInt(spec.period ?? 9, `${key}.period`);
        const m1 = positiveInt(spec.kSmoothing ?? 3, `${key}.kSmoothing`);
        const m2 = positiveInt(spec.dSmoothing ?? 3, `${key}.dSmoothing`);
        needBars(n, p, key);
        out[key] = kdj(bars, p, m1, m2);
        break;
      }
    }
  }
  return out;
}

function nanToNull(v: number | null): number | null {
  return v === null || Number.isNaN(v) ? null : v;
}
