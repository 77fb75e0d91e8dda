import { assertFiniteSeries, assertHorizon, assertNotConstant, QuantInputError } from './errors';
import { minimizeBfgs } from './optimize';
import { mean, normalQuantile, quantile, variance } from './stats';

export type GarchOptions = { horizon: number; varLevels?: number[] };
export type VarEstimate = { level: number; value: number };
export type GarchResult = {
  params: { omega: number; alpha: number; beta: number; mu: number };
  logLikelihood: number;
  persistence: number;
  conditionalVolatility: number[];
  forecastVolatility: number[];
  /** one-step-ahead parametric (normal) VaR, as a positive loss in return units */
  var: VarEstimate[];
  /** extra (additive to the agreed API): historical-simulation VaR from the empirical quantile of the returns */
  historicalVar: VarEstimate[];
  /** extra: unconditional volatility sqrt(ω / (1 − α − β)) */
  longRunVolatility: number;
  converged: boolean;
};

export const MIN_GARCH_LENGTH = 50;
const DEFAULT_VAR_LEVELS = [0.95, 0.99];

/** arch's GARCH backcast: EWMA (λ = 0.94) of the first min(75, n) squared residuals. */
export function garchBackcast(resid: ArrayLike<number>): number {
  const tau = Math.min(75, resid.length);
  let num = 0;
  let den = 0;
  let w = 1;
  for (let i = 0; i < tau; i++) {
    const e = resid[i] as number;
    num += w * e * e;
    den += w;
    w *= 0.94;
  }
  return num / den;
}

/** Gaussian log-likelihood and σ²_t of a constant-mean GARCH(1,1), recursion as in arch (σ²₀ from the backcast). */
export function garchLogLikelihood(
  r: ArrayLike<number>,
  p: { mu: number; omega: number; alpha: number; beta: number },
  sigma2Out?: Float64Array,
): number {
  const n = r.length;
  const e = new Float64Array(n);
  for (let t = 0; t < n; t++) e[t] = (r[t] as number) - p.mu;
  const bc = garchBackcast(e);
  let s2 = p.omega + (p.alpha + p.beta) * bc;
  let ll = 0;
  const log2pi = Math.log(2 * Math.PI);
  for (let t = 0; t < n; t++) {
    if (t > 0) {
      const prev = e[t - 1] as number;
      s2 = p.omega + p.alpha * prev * prev + p.beta * s2;
    }
    if (!(s2 > 0)) return Number.NEGATIVE_INFINITY;
    if (sigma2Out) sigma2Out[t] = s2;
    const et = e[t] as number;
    ll -= 0.5 * (log2pi + Math.log(s2) + (et * et) / s2);
  }
  return ll;
}

/**
 * GARCH(1,1) with constant mean and normal innovations, by maximum likelihood (as `arch_model(r, vol='GARCH',
 * p=1, q=1)`). Returns are rescaled to unit variance for the optimiser (ω scales by s², μ by s; α, β are
 * scale-free) and mapped back. Parameters: μ free, ω = exp(u), (α, β, 1 − α − β) = softmax(a, b, 0), so the
 * search is unconstrained and always satisfies ω > 0, α, β ≥ 0, α + β < 1.
 */
export function fitGarch(returns: number[], opts: GarchOptions): GarchResult {
  assertHorizon(opts?.horizon);
  const levels = opts.varLevels ?? DEFAULT_VAR_LEVELS;
  for (const l of levels)
    if (!(l > 0 && l < 1)) throw new QuantInputError(`VaR level ${l} must be in (0, 1)`, 'varLevels');
  assertFiniteSeries(returns, 'returns', MIN_GARCH_LENGTH);
  assertNotConstant(returns, 'returns');
  const n = returns.length;
  const scale = Math.sqrt(variance(returns));
  const z = Float64Array.from(returns, (v) => v / scale);
  const unpack = (x: readonly number[]) => {
    const [m, u, a, b] = x as [number, number, number, number];
    const ea = Math.exp(a);
    const eb = Math.exp(b);
    const den = 1 + ea + eb;
    return { mu: m, omega: Math.exp(u), alpha: ea / den, beta: eb / den };
  };
  const pack = (p: { mu: number; omega: number; alpha: number; beta: number }): number[] => {
    const rest = 1 - p.alpha - p.beta;
    return [p.mu, Math.log(p.omega), Math.log(p.alpha / rest), Math.log(p.beta / rest)];
  };
  const nll = (x: number[]): number => -garchLogLikelihood(z, unpack(x));
  const m0 = mean(z);
  let best: { x: number[]; fx: number; converged: boolean } | null = null;
  // a small grid of starts, as arch does, then polish the best
  for (const [alpha, beta] of [
    [0.05, 0.9],
    [0.1, 0.8],
    [0.03, 0.95],
    [0.15, 0.6],
  ] as const) {
    const x0 = pack({ mu: m0, omega: 1 - alpha - beta, alpha, beta });
    const r = minimizeBfgs(nll, x0, { fTol: 1e-12 });
    if (!best || r.fx < best.fx) best = { x: r.x, fx: r.fx, converged: r.converged };
  }
  if (!best || !Number.isFinite(best.fx))
    throw new QuantInputError('GARCH(1,1) could not be fitted to these returns', 'returns');
  const polish = minimizeBfgs(nll, best.x, { fTol: 1e-14 });
  if (polish.fx <= best.fx)
    best = { x: polish.x, fx: polish.fx, converged: polish.converged || best.converged };

  const ps = unpack(best.x);
  const params = { mu: ps.mu * scale, omega: ps.omega * scale * scale, alpha: ps.alpha, beta: ps.beta };
  const s2 = new Float64Array(n);
  const logLikelihood = garchLogLikelihood(returns, params, s2);
  const persistence = params.alpha + params.beta;
  const lastE = (returns[n - 1] as number) - params.mu;
  const f: number[] = [params.omega + params.alpha * lastE * lastE + params.beta * (s2[n - 1] as number)];
  for (let h = 1; h < opts.horizon; h++) f.push(params.omega + persistence * (f[h - 1] as number));
  const sigma1 = Math.sqrt(f[0] as number);
  return {
    params,
    logLikelihood,
    persistence,
    conditionalVolatility: Array.from(s2, Math.sqrt),
    forecastVolatility: f.map(Math.sqrt),
    var: levels.map((level) => ({ level, value: -(params.mu + sigma1 * normalQuantile(1 - level)) })),
    historicalVar: levels.map((level) => ({ level, value: -quantile(returns, 1 - level) })),
    longRunVolatility: Math.sqrt(params.omega / (1 - persistence)),
    converged: best.converged,
  };
}

/** Percent log returns 100·ln(p_t / p_{t−1}) — the scale `arch` recommends; prices must be positive. */
export function percentLogReturns(prices: readonly number[]): number[] {
  assertFiniteSeries(prices, 'prices', 2);
  prices.forEach((p, i) => {
    if (!(p > 0)) throw new QuantInputError(`prices[${i}] is ${p}; prices must be positive`, 'prices');
  });
  const out: number[] = [];
  for (let i = 1; i < prices.length; i++)
    out.push(100 * Math.log((prices[i] as number) / (prices[i - 1] as number)));
  return out;
}
