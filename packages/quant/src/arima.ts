import { assertFiniteSeries, assertHorizon, assertNotConstant, QuantInputError } from './errors';
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
  /** likelihood evaluations spent by the whole search (diagnostics) */
  evaluations: number;
};

export const MIN_AUTO_ARIMA_LENGTH = 20;
const DEFAULT_LEVELS = [0.8, 0.95];

// ---------------------------------------------------------------- parameter transforms
/**
 * PACF reparametrisation (Jones 1980 / Monahan 1984, the constraint statsmodels' SARIMAX enforces): R^k →
 * stationary AR(k), with partial autocorrelations r = tanh(x). statsmodels maps r = x/√(1+x²); tanh reaches
 * the boundary |r| → 1 in a few steps instead of a long crawl (x ≈ 140 for r = −0.99998, a typical MA unit
 * root of an over-differenced price series), which the optimiser would otherwise walk one capped step at a time.
 */
export function constrainStationary(x: readonly number[]): number[] {
  const k = x.length;
  let phi: number[] = [];
  for (let j = 0; j < k; j++) {
    const xj = x[j] as number;
    const r = Math.tanh(xj);
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
  return pacf.map((r) => Math.atanh(r));
}

/**
 * Hannan–Rissanen (1982) starting values: a long AR by least squares gives residuals, then w_t is regressed on
 * its own lags and the lagged residuals. Returns null when the regression is not possible.
 */
function hannanRissanen(
  w: ArrayLike<number>,
  p: number,
  q: number,
  residCache?: Map<number, number[] | null>,
): { phi: number[]; theta: number[] } | null {
  const n = w.length;
  const m = Math.min(Math.max(p + q + 2, Math.ceil(Math.log(n) ** 1.5)), Math.floor(n / 5));
  if (m < 1 || n - m < 4 * (p + q + m)) return null;
  let resid = new Array<number>(n).fill(0);
  const cached = q > 0 ? residCache?.get(m) : undefined;
  if (cached === null) return null;
  if (cached) resid = cached;
  else if (q > 0) {
    const X: number[][] = [];
    const y: number[] = [];
    for (let t = m; t < n; t++) {
      X.push(Array.from({ length: m }, (_, i) => w[t - i - 1] as number));
      y.push(w[t] as number);
    }
    const a = ols(X, y);
    residCache?.set(m, a ? resid : null);
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
/**
 * Harvey's state-space form of an ARMA(p, q) with r = max(p, q + 1): T has φ in its first column and ones on
 * the superdiagonal, R = [1, θ₁, …, θ_{r−1}]. Stored flat: only φ (padded to r) and R are needed.
 */
type ArmaSystem = { r: number; phi: Float64Array; R: Float64Array };

function armaSystem(phi: readonly number[], theta: readonly number[]): ArmaSystem {
  const r = Math.max(phi.length, theta.length + 1);
  const ph = new Float64Array(r);
  for (let i = 0; i < phi.length; i++) ph[i] = phi[i] as number;
  const R = new Float64Array(r);
  R[0] = 1;
  for (let i = 0; i < theta.length; i++) R[i + 1] = theta[i] as number;
  return { r, phi: ph, R };
}

/** Index of P_ij (i ≤ j) in the packed upper triangle of an r × r symmetric matrix (row by row). */
function packedIndex(r: number, i: number, j: number): number {
  return i <= j ? i * r - (i * (i - 1)) / 2 + (j - i) : j * r - (j * (j - 1)) / 2 + (i - j);
}

/**
 * Per state dimension r: the scratch buffers of one filter run (the filter is the inner loop of every fit and
 * runs synchronously, so one set per r is reused instead of allocating on every likelihood evaluation).
 */
type Scratch = { A: Float64Array; P: Float64Array; Q: Float64Array; a: Float64Array; K: Float64Array };
const scratchByR: Scratch[] = [];
function scratchFor(r: number): Scratch {
  let s = scratchByR[r];
  if (!s) {
    const m = (r * (r + 1)) / 2;
    s = {
      A: new Float64Array(m * (m + 1)),
      P: new Float64Array(m),
      Q: new Float64Array(m),
      a: new Float64Array(r),
      K: new Float64Array(r),
    };
    scratchByR[r] = s;
  }
  return s;
}

/**
 * Unconditional state covariance: P = T P Tᵀ + R Rᵀ, solved as (I − T⊗T) vec P = vec RRᵀ with the
 * symmetry P_ij = P_ji used to halve the system (r(r+1)/2 unknowns). Written packed (upper triangle, row by
 * row) into `out`; false when (near-)singular.
 */
function stationaryCovariance(sys: ArmaSystem, A: Float64Array, out: Float64Array): boolean {
  const { r, phi, R } = sys;
  const idx = (i: number, j: number) => packedIndex(r, i, j);
  const m = (r * (r + 1)) / 2;
  const w = m + 1;
  A.fill(0);
  for (let i = 0; i < r; i++) {
    for (let j = i; j < r; j++) {
      const row = idx(i, j) * w;
      A[row + idx(i, j)] = (A[row + idx(i, j)] as number) + 1;
      // (T P Tᵀ)_ij = Σ_{k,l} T_ik T_jl P_kl with T_i0 = φ_i and T_i,i+1 = 1
      const ki0 = phi[i] as number;
      const kj0 = phi[j] as number;
      if (ki0 !== 0 && kj0 !== 0) A[row + idx(0, 0)] = (A[row + idx(0, 0)] as number) - ki0 * kj0;
      if (ki0 !== 0 && j + 1 < r) A[row + idx(0, j + 1)] = (A[row + idx(0, j + 1)] as number) - ki0;
      if (kj0 !== 0 && i + 1 < r) A[row + idx(i + 1, 0)] = (A[row + idx(i + 1, 0)] as number) - kj0;
      if (i + 1 < r && j + 1 < r) A[row + idx(i + 1, j + 1)] = (A[row + idx(i + 1, j + 1)] as number) - 1;
      A[row + m] = (R[i] as number) * (R[j] as number);
    }
  }
  return solveFlat(A, m, out) !== null;
}

/** Gaussian elimination with partial pivoting on a flat m × (m + 1) augmented matrix (overwritten). */
function solveFlat(A: Float64Array, m: number, out: Float64Array = new Float64Array(m)): Float64Array | null {
  const w = m + 1;
  for (let c = 0; c < m; c++) {
    let piv = c;
    let best = Math.abs(A[c * w + c] as number);
    for (let i = c + 1; i < m; i++) {
      const v = Math.abs(A[i * w + c] as number);
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (best < 1e-14) return null;
    if (piv !== c) {
      for (let j = c; j < w; j++) {
        const t = A[c * w + j] as number;
        A[c * w + j] = A[piv * w + j] as number;
        A[piv * w + j] = t;
      }
    }
    const pc = A[c * w + c] as number;
    for (let i = c + 1; i < m; i++) {
      const f = (A[i * w + c] as number) / pc;
      if (f === 0) continue;
      for (let j = c; j < w; j++) A[i * w + j] = (A[i * w + j] as number) - f * (A[c * w + j] as number);
    }
  }
  const x = out;
  for (let i = m - 1; i >= 0; i--) {
    let s = A[i * w + m] as number;
    for (let j = i + 1; j < m; j++) s -= (A[i * w + j] as number) * (x[j] as number);
    x[i] = s / (A[i * w + i] as number);
  }
  return x;
}

/** Least squares by normal equations (tiny, well-conditioned problems only). */
function ols(X: number[][], y: number[]): number[] | null {
  const k = X[0]?.length ?? 0;
  const A = new Float64Array(k * (k + 1));
  for (let t = 0; t < X.length; t++) {
    const row = X[t] as number[];
    for (let i = 0; i < k; i++) {
      const ri = row[i] as number;
      for (let j = 0; j < k; j++)
        A[i * (k + 1) + j] = (A[i * (k + 1) + j] as number) + ri * (row[j] as number);
      A[i * (k + 1) + k] = (A[i * (k + 1) + k] as number) + ri * (y[t] as number);
    }
  }
  const x = solveFlat(A, k);
  return x ? Array.from(x) : null;
}

type FilterOut = {
  n: number;
  sumLogF: number;
  ssq: number;
  /** filtered state a_{n|n} and covariance P_{n|n} (flat r × r, unit innovation variance) */
  a: Float64Array;
  P: Float64Array;
};

/**
 * Exact Gaussian likelihood pieces of a zero-mean ARMA with unit innovation variance (σ² concentrated out).
 * The observation is the first state exactly (no measurement noise), so after the update that state is known:
 * row and column 0 of P_{t|t} vanish and the prediction P_{t+1} = T P_{t|t} Tᵀ + RRᵀ reduces to
 * P_{t+1}[i][j] = P_{t|t}[i+1][j+1] + R_i R_j, with P_{t|t}[a][b] = P[a][b] − P[a][0]·P[b][0]/F — φ only enters
 * through the start P₁ and the state mean. Once F stops changing the filter is in steady state and the
 * covariance recursion is skipped. P is kept packed (upper triangle, row by row: P[0][j] is at j), in scratch
 * buffers reused across calls: this is the inner loop of every fit.
 */
function kalmanArma(w: Float64Array, sys: ArmaSystem, offset = 0, keepState = false): FilterOut | null {
  const { r, phi, R: Rv } = sys;
  const sc = scratchFor(r);
  let P = sc.P;
  let Q = sc.Q;
  if (!stationaryCovariance(sys, sc.A, P)) return null;
  const a = sc.a.fill(0);
  const K = sc.K;
  let sumLogF = 0;
  let ssq = 0;
  let steady = false;
  let F = 1;
  let invF = 1;
  let prodF = 1;
  let logF = 0;
  const n = w.length;
  const r1 = r - 1;
  let lastV = 0;
  for (let t = 0; t < n; t++) {
    const v = (w[t] as number) - offset - (a[0] as number);
    lastV = v;
    if (!steady) {
      F = P[0] as number;
      if (!(F > 0)) return null;
      invF = 1 / F;
      for (let i = 0; i < r; i++) K[i] = (P[i] as number) * invF;
      // Σ log F as the log of a running product (one Math.log per ~100 steps instead of one per step)
      prodF *= F;
      if (prodF > 1e150 || prodF < 1e-150) {
        sumLogF += Math.log(prodF);
        prodF = 1;
      }
    } else sumLogF += logF;
    ssq += v * v * invF;
    if (keepState && t === n - 1) break; // the filtered state a_{n|n}, P_{n|n} are formed below
    // predict a = T (a + K v): first column φ, superdiagonal ones (K₀ = 1, so a₀ + v is the observation)
    const af0 = (a[0] as number) + v;
    for (let i = 0; i < r1; i++)
      a[i] = (phi[i] as number) * af0 + (a[i + 1] as number) + (K[i + 1] as number) * v;
    a[r1] = (phi[r1] as number) * af0;
    if (!steady) {
      // Q[i][j] = R_i R_j + P[i+1][j+1] − K_{i+1}·P[0][j+1] (i ≤ j); packed, both indices walk forward by one
      let qi = 0;
      let pi = r; // packed index of P[1][1]
      for (let i = 0; i < r1; i++) {
        const ri = Rv[i] as number;
        const ci = K[i + 1] as number; // P[0][i+1] / F
        for (let j = i; j < r1; j++) {
          Q[qi++] = ri * (Rv[j] as number) + (P[pi++] as number) - ci * (P[j + 1] as number);
        }
        Q[qi++] = ri * (Rv[r1] as number);
      }
      Q[qi] = (Rv[r1] as number) * (Rv[r1] as number);
      const swap = P;
      P = Q;
      Q = swap;
      const Fn = P[0] as number;
      if (t > 0 && Math.abs(Fn - F) < 1e-11 * F) {
        steady = true;
        logF = Math.log(F);
      }
    } else if (!keepState) {
      // steady state: F and K are fixed from here on, so log F is summed once and the loop is mean-only
      sumLogF += (n - 1 - t) * logF;
      let s = 0;
      for (let u = t + 1; u < n; u++) {
        const vu = (w[u] as number) - offset - (a[0] as number);
        s += vu * vu;
        const f0 = (a[0] as number) + vu;
        for (let i = 0; i < r1; i++)
          a[i] = (phi[i] as number) * f0 + (a[i + 1] as number) + (K[i + 1] as number) * vu;
        a[r1] = (phi[r1] as number) * f0;
      }
      ssq += s * invF;
      break;
    }
  }
  sumLogF += Math.log(prodF);
  let af = new Float64Array(0);
  let Pf = new Float64Array(0);
  if (keepState) {
    // filtered state and covariance at t = n: a + K v and P − K Pᵀ₀
    af = Float64Array.from(a, (ai, i) => ai + (K[i] as number) * lastV);
    Pf = new Float64Array(r * r);
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++)
        Pf[i * r + j] = (P[packedIndex(r, i, j)] as number) - (K[i] as number) * (P[j] as number);
  }
  return { n, sumLogF, ssq, a: af, P: Pf };
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

/** One order on one series, ready to be estimated: the standardised working series and the objective. */
type Problem = {
  p: number;
  d: number;
  q: number;
  includeConstant: boolean;
  /** parameters counted by the information criteria (φ, θ, constant, σ²) */
  k: number;
  /** optimiser dimension: [AR PACFs, MA PACFs, standardised mean] */
  dim: number;
  work: Working;
  z: Float64Array;
  /** z has mean 0 by construction; without a constant the model mean is −center/scale */
  fixedOffset: number;
  evaluations: number;
  /**
   * Hannan–Rissanen's long-AR residuals by AR length, shared by the candidates of one search that model the
   * same centred series (with or without the constant)
   */
  hrResid?: Map<number, number[] | null>;
};

type Estimate = { x: number[]; fx: number; converged: boolean };

function checkOrder(order: ArimaOrder, includeConstant: boolean): void {
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
  if (includeConstant && d === 2)
    throw new QuantInputError('a constant is not supported with d = 2', 'order');
}

function makeProblem(work: Working, order: ArimaOrder, includeConstant: boolean): Problem {
  const [p, d, q] = order;
  const z = Float64Array.from(work.w, (v) => (v - work.center) / work.scale);
  return {
    p,
    d,
    q,
    includeConstant,
    k: p + q + (includeConstant ? 1 : 0) + 1,
    dim: p + q + (includeConstant ? 1 : 0),
    work,
    z,
    fixedOffset: includeConstant ? 0 : -work.center / work.scale,
    evaluations: 0,
  };
}

function unpack(pr: Problem, x: readonly number[]) {
  const phi = constrainStationary(x.slice(0, pr.p));
  const theta = constrainStationary(x.slice(pr.p, pr.p + pr.q)).map((v) => -v);
  const mu = pr.includeConstant ? (x[pr.p + pr.q] as number) : 0;
  return { phi, theta, mu };
}

/** −log L with σ² concentrated out, in the standardised units of z. */
function negLogLik(pr: Problem, x: readonly number[]): number {
  const { phi, theta, mu } = unpack(pr, x);
  pr.evaluations++;
  const f = kalmanArma(pr.z, armaSystem(phi, theta), mu + pr.fixedOffset);
  if (!f) return Number.POSITIVE_INFINITY;
  const n = f.n;
  return 0.5 * (n * (Math.log((2 * Math.PI * f.ssq) / n) + 1) + f.sumLogF);
}

/**
 * Conditional sum of squares (Box–Jenkins): residuals e_t = z_t − μ − Σφᵢ(z_{t−i} − μ) − Σθⱼe_{t−j} from t = p
 * with earlier residuals 0. O(n(p+q)) per evaluation and no covariance recursion, so it is a cheap first
 * pass whose optimum is a good start for the exact likelihood (R's arima "CSS-ML").
 */
function cssObjective(pr: Problem, x: readonly number[]): number {
  const { phi, theta, mu } = unpack(pr, x);
  pr.evaluations++;
  const { p, q, z } = pr;
  const off = mu + pr.fixedOffset;
  const n = z.length;
  const e = new Float64Array(n);
  let ss = 0;
  for (let t = p; t < n; t++) {
    let v = (z[t] as number) - off;
    for (let i = 0; i < p; i++) v -= (phi[i] as number) * ((z[t - i - 1] as number) - off);
    for (let j = 0; j < q && j < t - p; j++) v -= (theta[j] as number) * (e[t - j - 1] as number);
    e[t] = v;
    ss += v * v;
  }
  return 0.5 * (n - p) * Math.log(ss / (n - p));
}

/**
 * BFGS settings of every likelihood fit: forward differences until the gradient is small (max |g| ≤ 0.05),
 * and a run has converged once three steps together gained less than 1e-5 in −log L (2e-5 of AICc, against
 * the 0.01 the search is judged by): ill-conditioned fits (nearly cancelling AR and MA roots, MA roots near
 * the unit circle) otherwise crawl along a flat ridge for dozens of steps that no longer change the AICc.
 */
const BFGS = { fTol: 1e-10, maxIterations: 100, forwardAbove: 0.05, stallTol: 1e-5, stallWindow: 3 };
/** The chosen model's final run: central differences near the optimum and no stall exit. */
const POLISH = { fTol: 1e-10, maxIterations: 200, forwardAbove: 0.5 };

/**
 * Maximum likelihood for one order. Every start (nested optima, Hannan–Rissanen, zero, a pair of fixed
 * points) is scored by one likelihood evaluation and BFGS runs from the best. Mixed ARMA likelihoods are
 * multimodal and a nested optimum tends to lead back to the smaller model's mode, so for p, q ≥ 1 BFGS also
 * runs from the Hannan–Rissanen estimates. When the result is doubtful (BFGS did not converge) — or when
 * `thorough` is set (fitArima) — short runs from the CSS optimum and every other start race, the best of
 * them is run to convergence, and the optimum is polished with a fresh Hessian.
 */
function estimate(pr: Problem, warmStarts: readonly number[][], thorough: boolean): Estimate {
  const { p, q, dim } = pr;
  const zero = new Array<number>(dim).fill(0);
  if (dim === 0) return { x: zero, fx: negLogLik(pr, zero), converged: true };
  const starts: number[][] = warmStarts
    .filter((w) => w.length === dim && w.every(Number.isFinite))
    .map((w) => [...w]);
  const warmCount = starts.length;
  let hrIndex = -1;
  if (p + q > 0) {
    const centred = pr.includeConstant ? pr.z : Float64Array.from(pr.z, (v) => v - pr.fixedOffset);
    const hr = hannanRissanen(centred, p, q, pr.hrResid);
    if (hr) {
      const x = [...unconstrainStationary(hr.phi), ...unconstrainStationary(hr.theta.map((v) => -v))];
      if (pr.includeConstant) x.push(0);
      hrIndex = starts.length;
      starts.push(x);
    }
  }
  starts.push(zero);
  if (p > 0) starts.push(zero.map((_, i) => (i === 0 ? 0.5 : 0)));
  if (q > 0) starts.push(zero.map((_, i) => (i === p ? 0.5 : 0)));
  const objective = (x: number[]) => negLogLik(pr, x);
  const scored = starts.map((x) => ({ x, fx: objective(x), kind: 'other' as string }));
  scored.forEach((s, i) => {
    s.kind = i < warmCount ? 'warm' : i === hrIndex ? 'hr' : 'other';
  });
  scored.sort((a, b) => a.fx - b.fx);
  // primary runs: the best-scored start, and Hannan–Rissanen when that was a nested optimum (the nested
  // optimum often leads to the smaller model's mode, the regression estimates to the larger model's own)
  const primary = [scored[0] as (typeof scored)[number]];
  const hr = scored.find((s) => s.kind === 'hr');
  if (hr && hr !== primary[0] && p > 0 && q > 0) primary.push(hr);
  let best: Estimate | null = null;
  for (const s of primary) {
    const r = minimizeBfgs(objective, s.x, BFGS);
    if (!best || r.fx < best.fx) best = r;
  }
  if (!best) throw new Error('unreachable: no start');
  const doubtful = !best.converged;
  if (thorough || doubtful) {
    const rest = scored.filter((s) => !primary.includes(s)).map((s) => s.x);
    if (p + q > 0) {
      const css = minimizeBfgs((x) => cssObjective(pr, x), (primary[0] as { x: number[] }).x, {
        ...BFGS,
        fTol: 1e-8,
      });
      if (css.x.every(Number.isFinite)) rest.unshift(css.x);
    }
    // short runs from every other start; the most promising one is then run to convergence
    let challenger: Estimate | null = null;
    for (const s of rest) {
      const r = minimizeBfgs(objective, s, { ...BFGS, maxIterations: thorough ? 200 : 15 });
      if (!challenger || r.fx < challenger.fx) challenger = r;
    }
    if (challenger && challenger.fx < best.fx + 1e-3) {
      const r = challenger.converged ? challenger : minimizeBfgs(objective, challenger.x, BFGS);
      if (r.fx < best.fx) best = r;
    }
    // restart from the optimum with a fresh Hessian: cheap insurance against a stalled quasi-Newton run
    if (thorough || !best.converged) {
      const again = minimizeBfgs(objective, best.x, BFGS);
      if (again.fx <= best.fx)
        best = { x: again.x, fx: again.fx, converged: again.converged || best.converged };
    }
  }
  return { x: best.x, fx: best.fx, converged: best.converged };
}

/** AICc from the concentrated −log L in standardised units (the same arithmetic as `summarise`). */
function aiccOf(pr: Problem, fx: number): number {
  const nEff = pr.z.length;
  const aic = 2 * (fx + nEff * Math.log(pr.work.scale)) + 2 * pr.k;
  return nEff - pr.k - 1 > 0 ? aic + (2 * pr.k * (pr.k + 1)) / (nEff - pr.k - 1) : Number.POSITIVE_INFINITY;
}

function summarise(pr: Problem, est: Estimate, horizon: number, levels: readonly number[]): ArimaFit {
  const { p, d, q, includeConstant, k, work } = pr;
  if (!Number.isFinite(est.fx))
    throw new QuantInputError(`ARIMA(${p},${d},${q}) could not be fitted to this series`, 'series');
  const { phi, theta, mu } = unpack(pr, est.x);
  const sys = armaSystem(phi, theta);
  const f = kalmanArma(pr.z, sys, mu + pr.fixedOffset, true) as FilterOut;
  const nEff = f.n;
  const sigma2Std = f.ssq / nEff;
  const sigma2 = sigma2Std * work.scale * work.scale;
  const logLikelihood = -est.fx - nEff * Math.log(work.scale);
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
    converged: est.converged,
    evaluations: pr.evaluations,
    unconstrained: est.x,
  };
}

/** ARIMA(p, d, q) by exact maximum likelihood, from several starts (see `estimate`). */
export function fitArima(
  series: number[],
  order: ArimaOrder,
  opts: { includeConstant?: boolean; horizon?: number; levels?: number[]; warmStarts?: number[][] } = {},
): ArimaFit {
  const [p, d, q] = order;
  const includeConstant = opts.includeConstant ?? d < 2;
  checkOrder(order, includeConstant);
  const k = p + q + (includeConstant ? 1 : 0) + 1;
  assertFiniteSeries(series, 'series', d + k + 2);
  assertNotConstant(series, 'series');
  const work = workingSeries(series, d);
  if (!(work.scale > 0))
    throw new QuantInputError(`series is deterministic after ${d} difference(s)`, 'series');
  const pr = makeProblem(work, order, includeConstant);
  const est = estimate(pr, opts.warmStarts ?? [], true);
  return summarise(pr, est, opts.horizon ?? 0, opts.levels ?? DEFAULT_LEVELS);
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
  const { r, phi, R } = sys;
  const Tij = (i: number, j: number) => (j === 0 ? (phi[i] as number) : 0) + (j === i + 1 ? 1 : 0);
  const m = d + r;
  // mean in original units; covariance in units of σ²
  const mean0 = [...work.lastLevels, ...Array.from(f.a, (v) => v * work.scale)];
  const cov = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => (i >= d && j >= d ? (f.P[(i - d) * r + (j - d)] as number) : 0)),
  );
  // transition A and noise loading B for the augmented state
  const A = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const B = new Array<number>(m).fill(0);
  const c = new Array<number>(m).fill(0);
  for (let k = 0; k < d; k++) {
    const row = A[k] as number[];
    for (let j = k; j < d; j++) row[j] = 1;
    for (let j = 0; j < r; j++) row[d + j] = Tij(0, j); // Z T
    B[k] = R[0] as number; // Z R = 1
    c[k] = constant;
  }
  for (let i = 0; i < r; i++) {
    const row = A[d + i] as number[];
    for (let j = 0; j < r; j++) row[d + j] = Tij(i, j);
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
  assertHorizon(opts?.horizon);
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
      const consts = d === 0 ? [true] : d === 1 ? [false, true] : [false];
      for (const c of consts) {
        const k = p + q + (c ? 1 : 0) + 1;
        if (nEff - k - 1 >= 3) candidates.push({ p, q, c });
      }
    }
  }
  let best: { pr: Problem; est: Estimate; aicc: number } | null = null;
  let fitted = 0;
  let evaluations = 0;
  // Nested warm starts: the (p−1, q) and (p, q−1) optima extended by a zero PACF, and for a drift model the
  // same order without drift, are the same model inside the larger one, so the larger fit starts at least as
  // high (ARMA likelihoods are often multimodal and a single start can stop at a worse local optimum).
  const done = new Map<string, Estimate>();
  const keyOf = (p: number, q: number, c: boolean) => `${p},${q},${c}`;
  const fixedOffset = -working.center / working.scale;
  const hrWithConstant = new Map<number, number[] | null>();
  const hrWithout = new Map<number, number[] | null>();
  for (const cand of candidates) {
    const warmStarts: number[][] = [];
    const lowerP = done.get(keyOf(cand.p - 1, cand.q, cand.c));
    if (lowerP) {
      const x = [...lowerP.x];
      x.splice(cand.p - 1, 0, 0);
      warmStarts.push(x);
    }
    const lowerQ = done.get(keyOf(cand.p, cand.q - 1, cand.c));
    if (lowerQ) {
      const x = [...lowerQ.x];
      x.splice(cand.p + cand.q - 1, 0, 0);
      warmStarts.push(x);
    }
    const noDrift = cand.c && d > 0 ? done.get(keyOf(cand.p, cand.q, false)) : undefined;
    if (noDrift) warmStarts.push([...noDrift.x, fixedOffset]);
    const pr = makeProblem(working, [cand.p, d, cand.q], cand.c);
    pr.hrResid = cand.c ? hrWithConstant : hrWithout;
    const est = estimate(pr, warmStarts, false);
    if (!Number.isFinite(est.fx)) continue;
    done.set(keyOf(cand.p, cand.q, cand.c), est);
    fitted++;
    evaluations += pr.evaluations;
    const aicc = aiccOf(pr, est.fx);
    if (!best || aicc < best.aicc) best = { pr, est, aicc };
  }
  if (!best) throw new QuantInputError('no ARIMA candidate could be fitted to this series', 'series');
  // The chosen model is run to full convergence (no stall exit): the stall exit serves the comparison of the
  // candidates; the reported fit and forecast get the polished optimum (one more run, from the optimum).
  const before = best.pr.evaluations;
  const polished = minimizeBfgs((x) => negLogLik(best.pr, x), best.est.x, POLISH);
  evaluations += best.pr.evaluations - before;
  const chosen: Estimate =
    polished.fx < best.est.fx
      ? { x: polished.x, fx: polished.fx, converged: polished.converged || best.est.converged }
      : best.est;
  const final = summarise(best.pr, chosen, opts.horizon, levels);
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
    evaluations,
  };
}
