// Typed access to the committed reference values (see scripts/reference.py for how they were produced).
import raw from './__fixtures__/reference.json' with { type: 'json' };

type Nullable = (number | null)[];
export type ReferenceArimaCase = {
  series: string;
  order: [number, number, number];
  trend: 'c' | 't' | 'n';
  params: Record<string, number>;
  llf: number;
  aic: number;
  aicc: number;
  forecast: number[];
  intervals: { level: number; lower: number[]; upper: number[] }[];
};
export type ReferenceAutoCase = {
  series: string;
  d: number;
  kpss: number[];
  order: [number, number, number];
  trend: 'c' | 't' | 'n';
  aicc: number;
  aic: number;
  table: { order: [number, number, number]; trend: 'c' | 't' | 'n'; aicc: number }[];
};
export type Reference = {
  source: Record<string, string>;
  series: Record<string, number[]>;
  arima: ReferenceArimaCase[];
  auto: ReferenceAutoCase[];
  bars: Record<'open' | 'high' | 'low' | 'close' | 'volume', number[]>;
  indicators: Record<string, Nullable | Record<string, Nullable>>;
  garch: {
    returns: number[];
    fit: {
      params: { mu: number; omega: number; alpha: number; beta: number };
      logLikelihood: number;
      conditionalVolatility: number[];
      forecastVolatility: number[];
      var: { level: number; value: number }[];
      historicalVar: { level: number; value: number }[];
      horizon: number;
    };
  };
};

export const reference = raw as unknown as Reference;

export function seriesOf(name: string): number[] {
  const s = reference.series[name];
  if (!s) throw new Error(`reference series ${name} missing`);
  return s;
}

/** max |a − b| over aligned arrays; nulls must coincide (returns Infinity otherwise) */
export function maxAbsDiff(a: readonly (number | null)[], b: readonly (number | null)[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || y === null || x === undefined || y === undefined) {
      if (x !== y) return Number.POSITIVE_INFINITY;
      continue;
    }
    m = Math.max(m, Math.abs(x - y));
  }
  return m;
}
