import { describe, expect, it } from 'vitest';
import { minimizeBfgs } from './optimize';

describe('minimizeBfgs stall criterion', () => {
  // a long, nearly flat valley: the last steps along it change f by almost nothing
  const f = (x: number[]) => {
    const [a = 0, b = 0] = x;
    return (a - 1) ** 4 + 1e-4 * (a + b - 3) ** 2 + 10;
  };

  it('stops once stallWindow steps together gained less than stallTol, close to the optimum value', () => {
    const full = minimizeBfgs(f, [4, -2], { fTol: 1e-14, gradTol: 1e-12, maxIterations: 500 });
    const stalled = minimizeBfgs(f, [4, -2], {
      fTol: 1e-14,
      gradTol: 1e-12,
      maxIterations: 500,
      stallTol: 1e-5,
      stallWindow: 3,
    });
    expect(stalled.converged).toBe(true);
    expect(stalled.iterations).toBeLessThan(full.iterations);
    expect(stalled.fx - full.fx).toBeGreaterThanOrEqual(-1e-12);
    // on a quartic valley the crawl it skips is worth ~1.6e-3 here: a stall is not a proof of optimality
    expect(stalled.fx - full.fx).toBeLessThan(1e-2);
  });

  it('without stallTol the run goes on to the gradient/step tolerances', () => {
    const r = minimizeBfgs(f, [4, -2], { maxIterations: 500 });
    expect(r.fx).toBeLessThan(10 + 1e-6);
  });
});
