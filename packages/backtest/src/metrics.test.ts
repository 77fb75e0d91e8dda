import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeMetrics, drawdownSeries } from './metrics';

/**
 * Reference values computed independently with numpy/pandas (Debian python3-pandas 1.5.3, numpy 1.24.2) by
 * scripts/reference.py from the same equity series: pct_change, std(ddof=1), cummax drawdowns, … — see the
 * script. Regenerate with `npm run reference -w @investiq/backtest`. E.g. "random-walk-4y": CAGR 6.2134 %,
 * Sharpe 0.37001, Sortino 0.52964, max drawdown −28.266 % over 257 days, Calmar 0.21982.
 */
interface Ref {
  cases: {
    name: string;
    equity: number[];
    tripPnls: number[];
    traded: number;
    exposedDays: number;
    expected: Record<string, number | null>;
  }[];
}
const ref: Ref = JSON.parse(
  readFileSync(new URL('./__fixtures__/metrics-reference.json', import.meta.url), 'utf8'),
) as Ref;

describe('metrics match numpy/pandas', () => {
  it('has the reference cases', () => expect(ref.cases.length).toBe(3));
  for (const c of ref.cases) {
    it(c.name, () => {
      const m = computeMetrics(c.equity, {
        traded: c.traded,
        exposedDays: c.exposedDays,
        trades: 0,
        costs: 0,
        tripPnls: c.tripPnls,
      });
      for (const [k, v] of Object.entries(c.expected)) {
        const got = m[k as keyof typeof m];
        if (v === null) expect(got, k).toBeNull();
        else if (k === 'maxDrawdownDays') expect(got, k).toBe(v);
        else expect(got as number, k).toBeCloseTo(v, 10);
      }
    });
  }
});

describe('drawdown by hand', () => {
  it('100 → 120 → 90 → 120 → 130 → 117', () => {
    // peaks 100,120,120,120,130,130: drawdowns 0, 0, −25 %, 0, 0, −10 %
    const eq = [100, 120, 90, 120, 130, 117];
    expect(Array.from(drawdownSeries(eq)).map((x) => Number(x.toFixed(6)))).toEqual([
      0, 0, -0.25, 0, 0, -0.1,
    ]);
    const m = computeMetrics(eq, { traded: 0, exposedDays: 6, trades: 0, costs: 0, tripPnls: [10, -5, 0] });
    expect(m.maxDrawdown).toBeCloseTo(-0.25, 12);
    // peak at day 1, back at the peak on day 3: 2 days; the last stretch (day 4 → end day 5) is 1 day
    expect(m.maxDrawdownDays).toBe(2);
    expect(m.winRate).toBeCloseTo(1 / 3, 12); // a zero P&L is not a win
    expect(m.exposure).toBe(1);
  });
});
