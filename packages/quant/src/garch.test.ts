import { describe, expect, it } from 'vitest';
import { QuantInputError } from './errors';
import { fitGarch, garchLogLikelihood, percentLogReturns } from './garch';
import { maxAbsDiff, reference } from './reference';

// Reference: packages/quant/scripts/reference.py. The `arch` package is not in Debian, so the reference maximises
// the same Gaussian GARCH(1,1) log-likelihood as arch_model(r, vol='GARCH', p=1, q=1) (constant mean, arch's
// EWMA backcast λ = 0.94 over min(75, n) obs) with scipy 1.10.1 optimize.minimize(SLSQP, 4 starts, ftol 1e-12),
// numpy 1.24.2, Debian python 3.11. Input: 1000 simulated percent returns (μ .05, ω .05, α .08, β .9, seed 707).
// Tolerances: log-likelihood 1e-6; parameters 1e-4 relative (the maximum is flat to ~1e-7 in ω); volatilities
// and VaR 1e-5 (they inherit the parameter differences, observed ≤ 8e-7); historical VaR is exact arithmetic.
describe('fitGarch vs scipy MLE of the arch likelihood', () => {
  const ref = reference.garch.fit;
  const g = fitGarch(reference.garch.returns, { horizon: ref.horizon });

  it('log-likelihood and parameters', () => {
    expect(Math.abs(g.logLikelihood - ref.logLikelihood)).toBeLessThan(1e-6);
    for (const k of ['mu', 'omega', 'alpha', 'beta'] as const) {
      expect(Math.abs(g.params[k] - ref.params[k]) / Math.abs(ref.params[k]), k).toBeLessThan(1e-4);
    }
    expect(g.persistence).toBeCloseTo(ref.params.alpha + ref.params.beta, 5);
    expect(g.converged).toBe(true);
  });

  it('conditional and forecast volatility', () => {
    expect(maxAbsDiff(g.conditionalVolatility, ref.conditionalVolatility)).toBeLessThan(1e-5);
    expect(maxAbsDiff(g.forecastVolatility, ref.forecastVolatility)).toBeLessThan(1e-5);
    // h-step forecasts converge monotonically to the long-run volatility
    const last = g.forecastVolatility[g.forecastVolatility.length - 1] as number;
    expect(Math.abs(last - g.longRunVolatility)).toBeLessThan(
      Math.abs((g.forecastVolatility[0] as number) - g.longRunVolatility),
    );
  });

  it('parametric and historical VaR at 95/99%', () => {
    for (const [i, r] of ref.var.entries()) {
      expect(g.var[i]?.level).toBe(r.level);
      expect(Math.abs((g.var[i]?.value as number) - r.value)).toBeLessThan(1e-5);
    }
    for (const [i, r] of ref.historicalVar.entries()) {
      expect(Math.abs((g.historicalVar[i]?.value as number) - r.value)).toBeLessThan(1e-12);
    }
  });

  it('is scale-equivariant (returns ×0.01 give ω ×1e-4, μ ×0.01, same α, β)', () => {
    const small = fitGarch(
      reference.garch.returns.map((r) => r / 100),
      { horizon: 1 },
    );
    expect(small.params.alpha).toBeCloseTo(g.params.alpha, 4);
    expect(small.params.beta).toBeCloseTo(g.params.beta, 4);
    expect(small.params.omega / g.params.omega).toBeCloseTo(1e-4, 7);
    expect(small.logLikelihood - g.logLikelihood).toBeCloseTo(1000 * Math.log(100), 3);
  });

  it('the likelihood function itself agrees at the reference parameters', () => {
    expect(
      Math.abs(garchLogLikelihood(reference.garch.returns, ref.params) - ref.logLikelihood),
    ).toBeLessThan(1e-8);
  });
});

describe('GARCH edge cases', () => {
  it('iid returns (no ARCH effect): α → 0 and a flat volatility forecast near the sample sd', () => {
    let seed = 1;
    const u = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const iid = Array.from(
      { length: 800 },
      () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()),
    );
    const g = fitGarch(iid, { horizon: 5 });
    expect(g.params.alpha).toBeLessThan(0.02);
    expect(g.persistence).toBeLessThan(1);
    const sd = Math.sqrt(iid.reduce((s, v) => s + v * v, 0) / iid.length);
    for (const v of g.forecastVolatility) expect(Math.abs(v - sd) / sd).toBeLessThan(0.05);
  });
});

describe('GARCH bad input', () => {
  const r = reference.garch.returns;
  it('too short, NaN, constant', () => {
    expect(() => fitGarch(r.slice(0, 20), { horizon: 5 })).toThrow(/returns has 20 values; at least 50/);
    const bad = r.slice(0, 100);
    bad[9] = Number.NaN;
    expect(() => fitGarch(bad, { horizon: 5 })).toThrow(/returns\[9\] is not a finite number/);
    expect(() => fitGarch(new Array(100).fill(0.1), { horizon: 5 })).toThrow(QuantInputError);
    expect(() => fitGarch(new Array(100).fill(0.1), { horizon: 5 })).toThrow(/returns is constant/);
  });
  it('non-positive prices and bad VaR level', () => {
    expect(() => percentLogReturns([10, 11, 0, 12])).toThrow(/prices\[2\] is 0; prices must be positive/);
    expect(() => fitGarch(r, { horizon: 5, varLevels: [99] })).toThrow(/VaR level 99/);
    expect(() => fitGarch(r, { horizon: 0 })).toThrow(/horizon/);
  });
});
