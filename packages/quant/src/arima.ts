import { assertFiniteSeries, assertNotConstant, QuantInputError } from './errors';
import { minimizeBfgs } from './optimize';
import { diff, mean, normalQuantile } from './stats';

export type ArimaOrder = [number, number, number];
export type ForecastInterval = { level: number; lower: number[]; upper: number[] };

export type ArimaFit = {
  order: ArimaOrder;
  /** d = 0: a mean ('const'); d = 1: a drift ('drift', mean of the differenced series); d = 2: none */
  includeConstant: boolean;
  params: Record<string, number>;
  sigma2: number;
  logLikelihood: number;
  aic: number;
  aicc: number;
  bic: number;
  nobsEffective: number;
  forecast: number[];
  intervals: ForecastInterval[];
  converged: boolean;
  /** likelihood evaluations spent (diagnostics) */
  evaluations: number;
  /** optimiser coordinates [AR PACFs, MA PACFs, standardised mean] — used to warm-start larger orders */
  unconstrained: number[];
};

export type AutoArimaOptions = {
  horizon: number;
  maxP?: number;
  maxD?: number;
  maxQ?: number;
  levels?: number[];
  seasonal?: false;
};

export type AutoArimaResult = {
  order: ArimaOrder;
  aicc: number;
  aic: number;
  params: Record<string, number>;
  sigma2: number;
  forecast: number[];
  intervals: ForecastInterval[];
  candidates: number;
  /** extra (additive to the agreed API): KPSS statistics for d = 0, 1, … and whether the drift/mean is in */
  kpss: number[];
  includeConstant: boolean;
  logLikelihood: number;
};

export const MIN_AUTO_ARIMA_LENGTH = 20;
const DEFAULT_LEVELS = [0.8, 0.95];

// ---------------------------------------------------------------- parameter transforms
/** PACF-style reparametrisation (Jones 1980 / Monahan 1984, as statsmodels' SARIMAX): R^k → stationary AR(k). */
export function constrainStationary(x: readonly number[]): number[] {
  const k = x.length;
  let phi: number[] = [];
  for (let j = 0; j < k; j++) {
    const xj = x[j] as number;
    const r = xj / Math.sqrt(1 + xj * xj);
    const next = new Array<number>(j + 1);
    for (let i = 0; i < j; i++) next[i] = (phi[i] as number) - r * (phi[j - 1 - i] as number);
    next[j] = r;
    phi = next;
  }
  return phi;
}

/** Inverse of constrainStationary (reverse Durbin–Levinson); PACFs are clipped to ±0.95 if φ is not stationary. */
export function unconstrainStationary(phi: readonly number[]): number[] {
  let cur = [...phi];
  const pacf = new Array<number>(phi.length).fill(0);
  for (let k = phi.length; k >= 1; k--) {
    let r = cur[k - 1] as number;
    if (!Number.isFinite(r)) r = 0;
    r = Math.max(-0.95, Math.min(0.95, r));
    pacf[k - 1] = r;
    const prev = new Array<number>(k - 1);
    for (let i = 0; i < k - 1; i++)
      prev[i] = ((cur[i] as number) + r * (cur[k - 2 - i] as number)) / (1 - r * r);
    cur = prev;
  }
  return pacf.map((r) => r / Math.sqrt(1 - r * r));
}

/** Least squares by normal equations (tiny, well-conditioned problems only). */
function ols(X: number[][], y: number[]): number[] | null {
  const k = X[0]?.length ?? 0;
  const A = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (let t = 0; t < X.length; t++) {
    const row = X[t] as number[];
    for (let i = 0; i < k; i++) {
      const Ai = A[i] as number[];
      for (let j = 0; j < k; j++) Ai[j] = (Ai[j] as number) + (row[i] as number) * (row[j] as number);
      Ai[k] = (Ai[k] as number) + (row[i] as number) * (y[t] as number);
    }
  }
  return solveAugmented(A);
}

/**
 * Hannan–Rissanen (1982) starting values: a long AR by least squares gives residuals, then w_t is regressed on
 * its own lags and the lagged residuals. Returns null when the regression is not possible.
 */
function hannanRissanen(
  w: ArrayLike<number>,
  p: number,
  q: number,
): { phi: number[]; theta: number[] } | null {
  const n = w.length;
  const m = Math.min(Math.max(p + q + 2, Math.ceil(Math.log(n) ** 1.5)), Math.floor(n / 5));
  if (m < 1 || n - m < 4 * (p + q + m)) return null;
  const resid = new Array<number>(n).fill(0);
  if (q > 0) {
    const X: number[][] = [];
    const y: number[] = [];
    for (let t = m; t < n; t++) {
      X.push(Array.from({ length: m }, (_, i) => w[t - i - 1] as number));
      y.push(w[t] as number);
    }
    const a = ols(X, y);
    if (!a) return null;
    for (let t = m; t < n; t++) {
      let f = 0;
      for (let i = 0; i < m; i++) f += (a[i] as number) * (w[t - i - 1] as number);
      resid[t] = (w[t] as number) - f;
    }
  }
  const start = q > 0 ? m + q : p;
  const X: number[][] = [];
  const y: number[] = [];
  for (let t = start; t < n; t++) {
    const row: number[] = [];
    for (let i = 1; i <= p; i++) row.push(w[t - i] as number);
    for (let j = 1; j <= q; j++) row.push(resid[t - j] as number);
    X.push(row);
    y.push(w[t] as number);
  }
  const b = ols(X, y);
  if (!b) return null;
  return { phi: b.slice(0, p), theta: b.slice(p, p + q) };
}

// ---------------------------------------------------------------- Kalman filter for a zero-mean ARMA
type ArmaSystem = { r: number; T: number[][]; R: number[] };

function armaSystem(phi: readonly number[], theta: readonly number[]): ArmaSystem {
  const r = Math.max(phi.length, theta.length + 1);
  const T = Array.from({ length: r }, (_, i) =>
    Array.from({ length: r }, (_, j) => (j === 0 ? (phi[i] ?? 0) : 0) + (j === i + 1 ? 1 : 0)),
  );
  const R = Array.from({ length: r }, (_, i) => (i === 0 ? 1 : (theta[i - 1] ?? 0)));
  return { r, T, R };
}

/** Unconditional state covariance: P = T P Tᵀ + R Rᵀ, solved as (I − T⊗T) vec P = vec RRᵀ. */
function stationaryCovariance(sys: ArmaSystem): number[][] | null {
  const { r, T, R } = sys;
  const m = r * r;
  const A = Array.from({ length: m }, () => new Array<number>(m + 1).fill(0));
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      const row = A[i * r + j] as number[];
      row[i * r + j] = 1;
      for (let k = 0; k < r; k++) {
        const tik = (T[i] as number[])[k] as number;
        if (tik === 0) continue;
        for (let l = 0; l < r; l++) {
          const tjl = (T[j] as number[])[l] as number;
          if (tjl !== 0) row[k * r + l] = (row[k * r + l] as number) - tik * tjl;
        }
      }
      row[m] = (R[i] as number) * (R[j] as number);
    }
  }
  const sol = solveAugmented(A);
  if (!sol) return null;
  return Array.from({ length: r }, (_, i) => Array.from({ length: r }, (_, j) => sol[i * r + j] as number));
}

function solveAugmented(A: number[][]): number[] | null {
  const n = A.length;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let i = c + 1; i < n; i++)
      if (Math.abs((A[i] as number[])[c] as number) > Math.abs((A[piv] as number[])[c] as number)) piv = i;
    const pr = A[piv] as number[];
    if (Math.abs(pr[c] as number) < 1e-14) return null;
    A[piv] = A[c] as number[];
    A[c] = pr;
    for (let i = c + 1; i < n; i++) {
      const row = A[i] as number[];
      const f = (row[c] as number) / (pr[c] as number);
      if (f === 0) continue;
      for (let j = c; j <= n; j++) row[j] = (row[j] as number) - f * (pr[j] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    const row = A[i] as number[];
    let s = row[n] as number;
    for (let j = i + 1; j < n; j++) s -= (row[j] as number) * (x[j] as number);
    x[i] = s / (row[i] as number);
  }
  return x;
}

type FilterOut = {
  n: number;
  sumLogF: number;
  ssq: number;
  /** filtered state a_{n|n} and covariance P_{n|n} (unit innovation variance) */
  a: number[];
  P: number[][];
};

/**
 * Exact Gaussian likelihood pieces of a zero-mean ARMA with unit innovation variance (σ² concentrated out).
 * Flat Float64Array loops: this is the inner loop of every fit. T has φ in its first column and ones on the
 * superdiagonal, which the prediction step exploits. Once F stops changing the filter is in steady state
 * and the covariance recursion is skipped.
 */
function kalmanArma(w: ArrayLike<number>, sys: ArmaSystem, offset = 0, keepState = false): FilterOut | null {
  const { r, T, R } = sys;
  const P0 = stationaryCovariance(sys);
  if (!P0) return null;
  const phi = new Float64Array(r);
  for (let i = 0; i < r; i++) phi[i] = (T[i] as number[])[0] as number;
  const Rv = Float64Array.from(R);
  const P = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) P[i * r + j] = (P0[i] as number[])[j] as number;
  const Pf = new Float64Array(r * r);
  const TP = new Float64Array(r * r);
  const a = new Float64Array(r);
  const af = new Float64Array(r);
  const K = new Float64Array(r);
  let sumLogF = 0;
  let ssq = 0;
  let steady = false;
  let F = 1;
  const n = w.length;
  for (let t = 0; t < n; t++) {
    const v = (w[t] as number) - offset - (a[0] as number);
    if (!steady) {
      F = P[0] as number;
      if (!(F > 0)) return null;
      for (let i = 0; i < r; i++) K[i] = (P[i * r] as number) / F;
    }
    sumLogF += Math.log(F);
    ssq += (v * v) / F;
    for (let i = 0; i < r; i++) af[i] = (a[i] as number) + (K[i] as number) * v;
    if (!steady || (keepState && t === n - 1)) {
      for (let i = 0; i < r; i++) {
        const ki = K[i] as number;
        for (let j = 0; j < r; j++) Pf[i * r + j] = (P[i * r + j] as number) - ki * (P[j] as number);
      }
    }
    // predict: a = T af
    const af0 = af[0] as number;
    for (let i = 0; i < r; i++) a[i] = (phi[i] as number) * af0 + (i + 1 < r ? (af[i + 1] as number) : 0);
    if (!steady) {
      // TP = T Pf
      for (let i = 0; i < r; i++) {
        const ph = phi[i] as number;
        for (let j = 0; j < r; j++)
          TP[i * r + j] = ph * (Pf[j] as number) + (i + 1 < r ? (Pf[(i + 1) * r + j] as number) : 0);
      }
      // P = TP Tᵀ + R Rᵀ
      for (let i = 0; i < r; i++) {
        const tp0 = TP[i * r] as number;
        for (let j = 0; j < r; j++) {
          P[i * r + j] =
            tp0 * (phi[j] as number) +
            (j + 1 < r ? (TP[i * r + j + 1] as number) : 0) +
            (Rv[i] as number) * (Rv[j] as number);
        }
      }
      const Fn = P[0] as number;
      if (t > 0 && Math.abs(Fn - F) < 1e-11 * F) steady = true;
    }
  }
  const aOut = Array.from(af);
  const POut = keepState
    ? Array.from({ length: r }, (_, i) => Array.from(Pf.subarray(i * r, i * r + r)))
    : [];
  return { n, sumLogF, ssq, a: aOut, P: POut };
}

// ---------------------------------------------------------------- fit one order
type Working = { w: number[]; center: number; scale: number; lastLevels: number[] };

function workingSeries(y: readonly number[], d: number): Working {
  let w = [...y];
  const lastLevels: number[] = [];
  for (let k = 0; k < d; k++) {
    lastLevels.push(w[w.length - 1] as number); // Δ^k y_n
    w = diff(w);
  }
  const center = mean(w);
  let ss = 0;
  for (const v of w) ss += (v - center) * (v - center);
  const scale = Math.sqrt(ss / w.length);
  return { w, center, scale, lastLevels };
}

export function fitArima(
  series: number[],
  order: ArimaOrder,
  opts: { includeConstant?: boolean; horizon?: number; levels?: number[]; warmStarts?: number[][] } = {},
): ArimaFit {
  const [p, d, q] = order;
  for (const [v, name] of [
    [p, 'p'],
    [d, 'd'],
    [q, 'q'],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new QuantInputError(`order ${name} must be a non-negative integer`, 'order');
  }
  if (d > 2) throw new QuantInputError('order d must be 0, 1 or 2', 'order');
  const includeConstant = opts.includeConstant ?? d < 2;
  if (includeConstant && d === 2)
    throw new QuantInputError('a constant is not supported with d = 2', 'order');
  const horizon = opts.horizon ?? 0;
  const levels = opts.levels ?? DEFAULT_LEVELS;
  const k = p + q + (includeConstant ? 1 : 0) + 1;
  assertFiniteSeries(series, 'series', d + k + 2);
  assertNotConstant(series, 'series');
  const work = workingSeries(series, d);
  if (!(work.scale > 0))
    throw new QuantInputError(`series is deterministic after ${d} difference(s)`, 'series');
  const z = Float64Array.from(work.w, (v) => (v - work.center) / work.scale);
  let evaluations = 0;

  const unpack = (x: readonly number[]) => {
    const phi = constrainStationary(x.slice(0, p));
    const theta = constrainStationary(x.slice(p, p + q)).map((v) => -v);
    const mu = includeConstant ? (x[p + q] as number) : 0;
    return { phi, theta, mu };
  };
  // z has mean 0 by construction; without a constant the model mean is -center/scale
  const fixedOffset = includeConstant ? 0 : -work.center / work.scale;
  const negLogLik = (x: number[]): number => {
    const { phi, theta, mu } = unpack(x);
    evaluations++;
    const f = kalmanArma(z, armaSystem(phi, theta), mu + fixedOffset);
    if (!f) return Number.POSITIVE_INFINITY;
    const n = f.n;
    return 0.5 * (n * (Math.log((2 * Math.PI * f.ssq) / n) + 1) + f.sumLogF);
  };

  const dim = p + q + (includeConstant ? 1 : 0);
  let best = {
    x: new Array<number>(dim).fill(0),
    fx: negLogLik(new Array<number>(dim).fill(0)),
    converged: dim === 0,
  };
  if (dim > 0) {
    const starts: number[][] = [new Array<number>(dim).fill(0)];
    if (p + q > 0) {
      const centred = includeConstant ? z : Float64Array.from(z, (v) => v - fixedOffset);
      const hr = hannanRissanen(centred, p, q);
      if (hr) {
        const x = [...unconstrainStationary(hr.phi), ...unconstrainStationary(hr.theta.map((v) => -v))];
        if (includeConstant) x.push(0);
        starts.push(x);
      }
    }
    const warm = (opts.warmStarts ?? []).filter((w) => w.length === dim && w.every(Number.isFinite));
    starts.push(...warm);
    if (warm.length === 0) {
      if (p > 0) starts.push(new Array<number>(dim).fill(0).map((_, i) => (i === 0 ? 0.5 : 0)));
      if (q > 0) starts.push(new Array<number>(dim).fill(0).map((_, i) => (i === p ? 0.5 : 0)));
    }
    for (const s of starts) {
      const r = minimizeBfgs(negLogLik, s, { fTol: 1e-10 });
      if (r.fx < best.fx) best = { x: r.x, fx: r.fx, converged: r.converged };
    }
    // restart from the optimum with a fresh Hessian: cheap insurance against a stalled quasi-Newton run
    const again = minimizeBfgs(negLogLik, best.x, { fTol: 1e-10 });
    if (again.fx <= best.fx)
      best = { x: again.x, fx: again.fx, converged: again.converged || best.converged };
  }
  if (!Number.isFinite(best.fx))
    throw new QuantInputError(`ARIMA(${p},${d},${q}) could not be fitted to this series`, 'series');

  const { phi, theta, mu } = unpack(best.x);
  const sys = armaSystem(phi, theta);
  const f = kalmanArma(z, sys, mu + fixedOffset, true) as FilterOut;
  const nEff = f.n;
  const sigma2Std = f.ssq / nEff;
  const sigma2 = sigma2Std * work.scale * work.scale;
  const logLikelihood = -best.fx - nEff * Math.log(work.scale);
  const aic = -2 * logLikelihood + 2 * k;
  const aicc = nEff - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (nEff - k - 1) : Number.POSITIVE_INFINITY;
  const bic = -2 * logLikelihood + k * Math.log(nEff);
  const constant = includeConstant ? work.center + work.scale * mu : 0;

  const params: Record<string, number> = {};
  if (includeConstant) params[d === 0 ? 'const' : 'drift'] = constant;
  phi.forEach((v, i) => {
    params[`ar.L${i + 1}`] = v;
  });
  theta.forEach((v, i) => {
    params[`ma.L${i + 1}`] = v;
  });
  params.sigma2 = sigma2;

  const { forecast, variance } = forecastArima(sys, f, work, d, constant, sigma2, horizon);
  const intervals = levels.map((level) => {
    const zq = normalQuantile(0.5 + level / 2);
    return {
      level,
      lower: forecast.map((m, h) => m - zq * Math.sqrt(variance[h] as number)),
      upper: forecast.map((m, h) => m + zq * Math.sqrt(variance[h] as number)),
    };
  });
  return {
    order: [p, d, q],
    includeConstant,
    params,
    sigma2,
    logLikelihood,
    aic,
    aicc,
    bic,
    nobsEffective: nEff,
    forecast,
    intervals,
    converged: best.converged,
    evaluations,
    unconstrained: best.x,
  };
}

/**
 * h-step forecasts from the filtered state. State s = [Δ⁰y_n … Δ^{d−1}y_n, α_n]; one step:
 * α' = Tα + Rη, w' = c + Zα', Δ^{d−1}y' = Δ^{d−1}y + w', Δ^k y' = Δ^k y + Δ^{k+1} y'.
 */
function forecastArima(
  sys: ArmaSystem,
  f: FilterOut,
  work: Working,
  d: number,
  constant: number,
  sigma2: number,
  horizon: number,
): { forecast: number[]; variance: number[] } {
  const { r, T, R } = sys;
  const m = d + r;
  // mean in original units; covariance in units of σ²
  const mean0 = [...work.lastLevels, ...f.a.map((v) => v * work.scale)];
  const cov = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => (i >= d && j >= d ? ((f.P[i - d] as number[])[j - d] as number) : 0)),
  );
  // transition A and noise loading B for the augmented state
  const A = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const B = new Array<number>(m).fill(0);
  const c = new Array<number>(m).fill(0);
  for (let k = 0; k < d; k++) {
    const row = A[k] as number[];
    for (let j = k; j < d; j++) row[j] = 1;
    for (let j = 0; j < r; j++) row[d + j] = (T[0] as number[])[j] as number; // Z T
    B[k] = R[0] as number; // Z R = 1
    c[k] = constant;
  }
  for (let i = 0; i < r; i++) {
    const row = A[d + i] as number[];
    for (let j = 0; j < r; j++) row[d + j] = (T[i] as number[])[j] as number;
    B[d + i] = R[i] as number;
  }
  let s = mean0;
  let S = cov;
  const forecast: number[] = [];
  const variance: number[] = [];
  for (let h = 0; h < horizon; h++) {
    s = A.map((row, i) => row.reduce((acc, v, j) => acc + v * (s[j] as number), 0) + (c[i] as number));
    const AS = A.map((row) =>
      Array.from({ length: m }, (_, j) =>
        row.reduce((acc, v, k) => acc + v * ((S[k] as number[])[j] as number), 0),
      ),
    );
    S = AS.map((row, i) =>
      Array.from(
        { length: m },
        (_, j) =>
          row.reduce((acc, v, k) => acc + v * ((A[j] as number[])[k] as number), 0) +
          (B[i] as number) * (B[j] as number),
      ),
    );
    const v0 = ((S[0] as number[])[0] as number) * sigma2;
    if (d === 0) forecast.push(constant + (s[0] as number));
    else forecast.push(s[0] as number);
    variance.push(v0);
  }
  return { forecast, variance };
}

// ---------------------------------------------------------------- unit-root test and order search
/** KPSS level-stationarity statistic (Kwiatkowski et al. 1992), Bartlett long-run variance, `lags` lags. */
export function kpssStatistic(x: readonly number[], lags: number): number {
  const n = x.length;
  const m = mean(x);
  const e = x.map((v) => v - m);
  let cum = 0;
  let eta = 0;
  for (const v of e) {
    cum += v;
    eta += cum * cum;
  }
  eta /= n * n;
  let s = 0;
  for (const v of e) s += v * v;
  for (let i = 1; i <= lags; i++) {
    let acc = 0;
    for (let t = i; t < n; t++) acc += (e[t] as number) * (e[t - i] as number);
    s += 2 * (1 - i / (lags + 1)) * acc;
  }
  s /= n;
  return eta / s;
}

/** 5% critical value of the KPSS level test (Kwiatkowski et al. 1992, table 1). */
export const KPSS_CRITICAL_5PCT = 0.463;

/** forecast::ndiffs / pmdarima style: difference while KPSS rejects level stationarity at 5%. */
export function chooseDifferencing(series: readonly number[], maxD: number): { d: number; kpss: number[] } {
  let x = [...series];
  let d = 0;
  const stats: number[] = [];
  while (d < maxD) {
    const lags = Math.trunc(4 * (x.length / 100) ** 0.25);
    const stat = kpssStatistic(x, lags);
    if (!Number.isFinite(stat)) break; // constant after differencing: stop
    stats.push(stat);
    if (stat <= KPSS_CRITICAL_5PCT) break;
    x = diff(x);
    d++;
  }
  return { d, kpss: stats };
}

function validateHorizon(h: number): void {
  if (!Number.isInteger(h) || h < 1 || h > 1000)
    throw new QuantInputError('horizon must be an integer between 1 and 1000', 'horizon');
}

function validateLevels(levels: readonly number[]): void {
  for (const l of levels) {
    if (!(l > 0 && l < 1)) throw new QuantInputError(`interval level ${l} must be in (0, 1)`, 'levels');
  }
}

/**
 * Automatic ARIMA: d by repeated KPSS tests (5%), then every (p, q) with p ≤ maxP, q ≤ maxQ, fitted by exact
 * maximum likelihood; d = 0 always with a mean, d = 1 with and without drift, d = 2 without. Lowest AICc wins.
 */
export function autoArima(series: number[], opts: AutoArimaOptions): AutoArimaResult {
  validateHorizon(opts.horizon);
  const levels = opts.levels ?? DEFAULT_LEVELS;
  validateLevels(levels);
  const maxP = opts.maxP ?? 3;
  const maxQ = opts.maxQ ?? 3;
  const maxD = opts.maxD ?? 2;
  for (const [v, name, hi] of [
    [maxP, 'maxP', 5],
    [maxQ, 'maxQ', 5],
    [maxD, 'maxD', 2],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > hi)
      throw new QuantInputError(`${name} must be an integer between 0 and ${hi}`, name);
  }
  assertFiniteSeries(series, 'series', MIN_AUTO_ARIMA_LENGTH);
  assertNotConstant(series, 'series');
  const { d, kpss } = chooseDifferencing(series, maxD);
  const working = workingSeries(series, d);
  if (!(working.scale > 1e-12 * Math.max(1, Math.abs(working.center)))) {
    throw new QuantInputError(
      `series is deterministic after ${d} difference(s) (e.g. a straight line); nothing to model`,
      'series',
    );
  }
  const nEff = series.length - d;
  // as forecast::auto.arima: short series cannot support many lags (p, q ≤ ⌊n/3⌋)
  const capP = Math.min(maxP, Math.floor(series.length / 3));
  const capQ = Math.min(maxQ, Math.floor(series.length / 3));
  const candidates: { p: number; q: number; c: boolean }[] = [];
  for (let p = 0; p <= capP; p++) {
    for (let q = 0; q <= capQ; q++) {
      const consts = d === 0 ? [true] : d === 1 ? [true, false] : [false];
      for (const c of consts) {
        const k = p + q + (c ? 1 : 0) + 1;
        if (nEff - k - 1 >= 3) candidates.push({ p, q, c });
      }
    }
  }
  let best: ArimaFit | null = null;
  let fitted = 0;
  // nested warm starts: (p−1, q) and (p, q−1) optima extended by a zero PACF are the same model inside the
  // larger one, so the larger fit can only improve on them (ARMA likelihoods are often multimodal)
  const done = new Map<string, ArimaFit>();
  const keyOf = (p: number, q: number, c: boolean) => `${p},${q},${c}`;
  for (const cand of candidates) {
    const warmStarts: number[][] = [];
    const lowerP = done.get(keyOf(cand.p - 1, cand.q, cand.c));
    if (lowerP) {
      const x = [...lowerP.unconstrained];
      x.splice(cand.p - 1, 0, 0);
      warmStarts.push(x);
    }
    const lowerQ = done.get(keyOf(cand.p, cand.q - 1, cand.c));
    if (lowerQ) {
      const x = [...lowerQ.unconstrained];
      x.splice(cand.p + cand.q - 1, 0, 0);
      warmStarts.push(x);
    }
    let fit: ArimaFit;
    try {
      fit = fitArima(series, [cand.p, d, cand.q], { includeConstant: cand.c, horizon: 0, warmStarts });
      done.set(keyOf(cand.p, cand.q, cand.c), fit);
    } catch (err) {
      if (err instanceof QuantInputError) continue; // e.g. deterministic after differencing for this d
      throw err;
    }
    fitted++;
    if (!best || fit.aicc < best.aicc) best = fit;
  }
  if (!best) throw new QuantInputError('no ARIMA candidate could be fitted to this series', 'series');
  const final = fitArima(series, best.order, {
    includeConstant: best.includeConstant,
    horizon: opts.horizon,
    levels,
  });
  return {
    order: final.order,
    aicc: final.aicc,
    aic: final.aic,
    params: final.params,
    sigma2: final.sigma2,
    forecast: final.forecast,
    intervals: final.intervals,
    candidates: fitted,
    kpss,
    includeConstant: final.includeConstant,
    logLikelihood: final.logLikelihood,
  };
}
