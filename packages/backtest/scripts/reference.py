#!/usr/bin/python3
"""Reference values for src/metrics.test.ts, computed independently with numpy/pandas.

Run with Debian's Python (apt-get install -y python3-pandas):  npm run reference -w @investiq/backtest
Writes src/__fixtures__/metrics-reference.json (committed; the test only reads it).
"""
import json
import math
import os

import numpy as np
import pandas as pd

PPY = 252


def metrics(eq: pd.Series, pnls, traded, exposed_days):
    r = eq.pct_change().dropna()
    n = len(eq)
    years = len(r) / PPY
    cagr = (eq.iloc[-1] / eq.iloc[0]) ** (1 / years) - 1
    sd = r.std(ddof=1)
    downside = math.sqrt((r.clip(upper=0) ** 2).mean())
    dd = eq / eq.cummax() - 1
    maxdd = dd.min()
    # drawdown duration: per underwater stretch, days from the peak before it to the first day back at the
    # peak (or to the last day when it never recovers)
    pos = np.arange(n)
    peak_pos = pd.Series(np.where(eq.values >= eq.cummax().values, pos, -1)).cummax().values
    under = (dd < 0).values
    longest = 0
    i = 0
    while i < n:
        if under[i]:
            j = i
            while j < n and under[j]:
                j += 1
            end = j if j < n else n - 1
            longest = max(longest, int(end - peak_pos[i]))
            i = j
        else:
            i += 1
    pnls = np.asarray(pnls, dtype=float)
    return {
        "totalReturn": eq.iloc[-1] / eq.iloc[0] - 1,
        "cagr": cagr,
        "annVol": sd * math.sqrt(PPY),
        "sharpe": r.mean() / sd * math.sqrt(PPY),
        "sortino": r.mean() / downside * math.sqrt(PPY),
        "maxDrawdown": maxdd,
        "maxDrawdownDays": longest,
        "calmar": cagr / abs(maxdd),
        "winRate": float((pnls > 0).mean()) if len(pnls) else None,
        "turnover": traded / eq.mean() / years,
        "exposure": exposed_days / n,
    }


def case(name, eq, rng):
    pnls = rng.normal(50, 400, size=int(rng.integers(5, 40))).round(2).tolist()
    traded = float(rng.uniform(1, 20) * eq.mean())
    exposed = int(rng.integers(0, len(eq)))
    return {
        "name": name,
        "equity": [float(x) for x in eq.values],
        "tripPnls": pnls,
        "traded": traded,
        "exposedDays": exposed,
        "expected": metrics(eq, pnls, traded, exposed),
    }


def main():
    rng = np.random.default_rng(20261203)
    cases = []
    # a random walk of daily returns (≈ 4 years), drifting up
    r = rng.normal(0.0004, 0.015, size=1000)
    cases.append(case("random-walk-4y", pd.Series(1_000_000 * np.cumprod(1 + np.r_[0, r])), rng))
    # a losing one year that never recovers its peak
    r = rng.normal(-0.001, 0.02, size=252)
    cases.append(case("losing-1y", pd.Series(500_000 * np.cumprod(1 + np.r_[0, r])), rng))
    # flat stretches (days out of the market) between moves, 2.5 years
    r = rng.normal(0.0006, 0.01, size=630)
    r[rng.random(630) < 0.4] = 0.0
    cases.append(case("flat-stretches", pd.Series(100_000 * np.cumprod(1 + np.r_[0, r])), rng))
    out = {
        "generator": "packages/backtest/scripts/reference.py",
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "periodsPerYear": PPY,
        "cases": cases,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "src", "__fixtures__", "metrics-reference.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
