/**
 * Indicators of one symbol from its completed daily sessions (oldest first) with the live price as today's
 * close, in O(1) per quote: the state after the last completed session is computed once per trading day and
 * advanced by one step for each live price. Conventions are @investiq/quant's (TA-Lib's): Wilder RSI seeded
 * with the simple mean of the first `period` changes; EMAs seeded with the SMA of their first window; the MACD
 * signal an EMA of the MACD line seeded likewise. `indicator-state.test.ts` checks every value against
 * `computeIndicators` and the published StockCharts RSI example.
 */
export interface IndicatorPair {
  /** At the last completed session's close. */
  prev: number;
  /** With the live price as today's close. */
  now: number;
}

interface WilderState {
  avgGain: number;
  avgLoss: number;
  last: number;
}

const rsiOf = (g: number, l: number) => (l === 0 ? (g === 0 ? 50 : 100) : 100 - 100 / (1 + g / l));

/** Exponential moving average with an SMA seed; `null` before the first full window. */
function emaLast(values: readonly number[], period: number): number | null {
  if (values.length < period) return null;
  let e = 0;
  for (let i = 0; i < period; i++) e += values[i] as number;
  e /= period;
  const k = 2 / (period + 1);
  for (let i = period; i < values.length; i++) e = ((values[i] as number) - e) * k + e;
  return e;
}

function emaSeries(values: readonly number[], period: number): number[] {
  const out: number[] = [];
  if (values.length < period) return out;
  let e = 0;
  for (let i = 0; i < period; i++) e += values[i] as number;
  e /= period;
  out.push(e);
  const k = 2 / (period + 1);
  for (let i = period; i < values.length; i++) {
    e = ((values[i] as number) - e) * k + e;
    out.push(e);
  }
  return out;
}

export class DailyIndicators {
  private readonly memo = new Map<string, unknown>();

  constructor(
    /** Completed sessions' closes, oldest first (today's bar, if stored, is left out). */
    readonly closes: readonly number[],
    readonly volumes: readonly number[],
  ) {}

  private cached<T>(key: string, make: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = make();
    this.memo.set(key, v);
    return v;
  }

  private wilder(period: number): WilderState | null {
    return this.cached(`w${period}`, () => {
      const c = this.closes;
      if (c.length < period + 1) return null;
      let g = 0;
      let l = 0;
      for (let i = 1; i <= period; i++) {
        const ch = (c[i] as number) - (c[i - 1] as number);
        if (ch > 0) g += ch;
        else l -= ch;
      }
      g /= period;
      l /= period;
      for (let i = period + 1; i < c.length; i++) {
        const ch = (c[i] as number) - (c[i - 1] as number);
        g = (g * (period - 1) + Math.max(ch, 0)) / period;
        l = (l * (period - 1) + Math.max(-ch, 0)) / period;
      }
      return { avgGain: g, avgLoss: l, last: c[c.length - 1] as number };
    });
  }

  /** Wilder RSI at the last close and with `price` as today's close; null with fewer than period + 1 closes. */
  rsi(period: number, price: number): IndicatorPair | null {
    const w = this.wilder(period);
    if (!w) return null;
    const ch = price - w.last;
    const g = (w.avgGain * (period - 1) + Math.max(ch, 0)) / period;
    const l = (w.avgLoss * (period - 1) + Math.max(-ch, 0)) / period;
    return { prev: rsiOf(w.avgGain, w.avgLoss), now: rsiOf(g, l) };
  }

  /** Simple moving average at the last close and with `price` as today's close. */
  sma(period: number, price: number): IndicatorPair | null {
    const s = this.cached(`s${period}`, () => {
      const c = this.closes;
      if (c.length < period) return null;
      let sum = 0;
      for (let i = c.length - period; i < c.length; i++) sum += c[i] as number;
      return { sum, oldest: c[c.length - period] as number };
    });
    if (!s) return null;
    return { prev: s.sum / period, now: (s.sum - s.oldest + price) / period };
  }

  /** MACD line and signal at the last close and with `price` as today's close. */
  macd(
    fast: number,
    slow: number,
    signal: number,
    price: number,
  ): { macd: IndicatorPair; signal: IndicatorPair } | null {
    const s = this.cached(`m${fast}_${slow}_${signal}`, () => {
      const c = this.closes;
      if (c.length < slow + signal - 1) return null;
      const ef = emaSeries(c, fast);
      const es = emaSeries(c, slow);
      // the MACD line exists from the slow EMA's first value on
      const line: number[] = [];
      for (let i = 0; i < es.length; i++) line.push((ef[i + slow - fast] as number) - (es[i] as number));
      const sig = emaLast(line, signal);
      if (sig === null) return null;
      return {
        fast: ef[ef.length - 1] as number,
        slow: es[es.length - 1] as number,
        line: line[line.length - 1] as number,
        signal: sig,
      };
    });
    if (!s) return null;
    const f = (price - s.fast) * (2 / (fast + 1)) + s.fast;
    const sl = (price - s.slow) * (2 / (slow + 1)) + s.slow;
    const line = f - sl;
    const sig = (line - s.signal) * (2 / (signal + 1)) + s.signal;
    return { macd: { prev: s.line, now: line }, signal: { prev: s.signal, now: sig } };
  }

  /** Mean volume of the last `days` completed sessions; null with fewer sessions or a zero mean. */
  averageVolume(days: number): number | null {
    return this.cached(`v${days}`, () => {
      const v = this.volumes;
      if (v.length < days) return null;
      let sum = 0;
      for (let i = v.length - days; i < v.length; i++) sum += v[i] as number;
      return sum > 0 ? sum / days : null;
    });
  }
}
