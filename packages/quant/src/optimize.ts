// Quasi-Newton minimiser (BFGS, central-difference gradient, Armijo backtracking) for the small
// (≤ 8 parameter) smooth likelihoods in this package. Non-finite objective values are treated as +∞,
// so a step that leaves the admissible region is simply shortened.

export type MinimizeResult = { x: number[]; fx: number; iterations: number; converged: boolean };

function gradient(f: (x: number[]) => number, x: number[], fx: number, forward = false): number[] {
  const g = new Array<number>(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    if (forward) {
      // one evaluation per coordinate; O(h) error, good enough while far from the optimum
      const h = 1e-7 * Math.max(1, Math.abs(xi));
      x[i] = xi + h;
      const fp = f(x);
      x[i] = xi;
      if (Number.isFinite(fp)) {
        g[i] = (fp - fx) / h;
        continue;
      }
    }
    const h = 1e-5 * Math.max(1, Math.abs(xi));
    x[i] = xi + h;
    const fp = f(x);
    x[i] = xi - h;
    const fm = f(x);
    x[i] = xi;
    if (Number.isFinite(fp) && Number.isFinite(fm)) g[i] = (fp - fm) / (2 * h);
    else if (Number.isFinite(fp)) g[i] = (fp - fx) / h;
    else if (Number.isFinite(fm)) g[i] = (fx - fm) / h;
    else g[i] = 0;
  }
  return g;
}

export function minimizeBfgs(
  objective: (x: number[]) => number,
  x0: number[],
  opts: {
    maxIterations?: number;
    gradTol?: number;
    fTol?: number;
    maxStep?: number;
    /** forward differences (n instead of 2n evaluations) while the largest |gradient| exceeds this */
    forwardAbove?: number;
    /** converged when the last `stallWindow` steps together gained less than `stallTol` (absolute) */
    stallTol?: number;
    stallWindow?: number;
  } = {},
): MinimizeResult {
  const f = (x: number[]): number => {
    const v = objective(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const n = x0.length;
  const maxIt = opts.maxIterations ?? 200;
  const gradTol = opts.gradTol ?? 1e-6;
  const fTol = opts.fTol ?? 1e-12;
  const maxStep = opts.maxStep ?? 1;
  let x = [...x0];
  let fx = f(x);
  if (!Number.isFinite(fx)) return { x, fx, iterations: 0, converged: false };
  const forwardAbove = opts.forwardAbove ?? Number.POSITIVE_INFINITY;
  const gradAt = (xs: number[], fxs: number, gPrev: number[] | null) =>
    gradient(f, xs, fxs, gPrev !== null && Math.max(...gPrev.map(Math.abs)) > forwardAbove);
  let g = gradAt(x, fx, null);
  // inverse Hessian approximation
  let H = identity(n);
  let it = 0;
  let converged = false;
  const stallTol = opts.stallTol ?? 0;
  const stallWindow = opts.stallWindow ?? 5;
  const history: number[] = [];
  for (; it < maxIt; it++) {
    if (Math.max(...g.map(Math.abs)) < gradTol) {
      converged = true;
      break;
    }
    let d = matVec(H, g).map((v) => -v);
    let slope = dot(d, g);
    if (!(slope < 0)) {
      H = identity(n);
      d = g.map((v) => -v);
      slope = -dot(g, g);
    }
    // cap the step length: on plateaus (e.g. φ → 1 in PACF space) a unit quasi-Newton step can fly off
    const norm = Math.sqrt(dot(d, d));
    let step = norm > maxStep ? maxStep / norm : 1;
    let xNew = x;
    let fNew = fx;
    let accepted = false;
    for (let k = 0; k < 40; k++) {
      xNew = x.map((v, i) => v + step * (d[i] as number));
      fNew = f(xNew);
      if (fNew <= fx + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      // no descent along d: retry once along the steepest descent before giving up
      if (H.some((row, i) => row.some((v, j) => v !== (i === j ? 1 : 0)))) {
        H = identity(n);
        continue;
      }
      break;
    }
    const gNew = gradAt(xNew, fNew, g);
    const s = xNew.map((v, i) => v - (x[i] as number));
    const y = gNew.map((v, i) => v - (g[i] as number));
    const sy = dot(s, y);
    const df = fx - fNew;
    x = xNew;
    g = gNew;
    fx = fNew;
    if (df >= 0 && df < fTol * (Math.abs(fx) + fTol)) {
      converged = true;
      break;
    }
    history.push(fx);
    if (
      history.length > stallWindow &&
      (history[history.length - 1 - stallWindow] as number) - fx < stallTol
    ) {
      converged = true;
      break;
    }
    if (sy > 1e-12) {
      if (it === 0) {
        const yy = dot(y, y);
        H = identity(n).map((row) => row.map((v) => (v * sy) / yy));
      }
      const Hy = matVec(H, y);
      const yHy = dot(y, Hy);
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        const row = H[i] as number[];
        for (let j = 0; j < n; j++) {
          row[j] =
            (row[j] as number) +
            ((1 + yHy * rho) * rho * (s[i] as number) * (s[j] as number) -
              rho * ((Hy[i] as number) * (s[j] as number) + (s[i] as number) * (Hy[j] as number)));
        }
      }
    }
  }
  return { x, fx, iterations: it, converged };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}
function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
function matVec(m: number[][], v: number[]): number[] {
  return m.map((row) => dot(row, v));
}
