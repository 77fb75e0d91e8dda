#!/usr/bin/python3
"""Reference set for @investiq/quant's auto-ARIMA order search (packages/quant/src/arima-reference-set.test.ts).

    /usr/bin/python3 packages/quant/scripts/arima_reference_set.py \
        > packages/quant/src/__fixtures__/arima-reference-set.json

(or `npm run reference:arima-set -w @investiq/quant`). Installs Debian's python3-statsmodels with apt-get
when it is missing (needs root, as on CI and the dev VM).

The series are simulated HERE, with numpy (one RandomState per series, seed = BASE_SEED + index), not with
the project's TypeScript, and stored rounded to 3 decimals so both sides read the same numbers.
Kinds: white noise, AR(1..3), MA(1..3), ARMA(1,1), (2,1), (1,2), (2,2), ARIMA(p,1,q) with and without
drift, ARMA/ARIMA with nearly cancelling AR and MA roots, and a doubly integrated series; n is drawn
log-uniformly from [100, 1000].

For each series the reference runs the procedure our autoArima runs:
  d     KPSS level test (statsmodels.tsa.stattools.kpss, regression='c', nlags=trunc(4(n/100)^0.25)),
        difference while the statistic > 0.463 (5 %), at most 2 times;
  grid  p, q in 0..3; d = 0 with a constant (trend='c'), d = 1 with drift (trend='t') and without ('n'),
        d = 2 without (trend='n');
  fit   statsmodels.tsa.arima.model.ARIMA(y, order, trend).fit() with its defaults: exact Gaussian
        likelihood by Kalman filter, enforce_stationarity=True, enforce_invertibility=True, the first d
        observations used for the diffuse part (nobs_effective = n - d);
  score res.aicc = aic + 2k(k+1)/(nobs_effective - k - 1), k counting sigma2 (and the drift/constant).
A candidate whose fit raises is recorded with aicc null and skipped, as auto.arima does.

Output (compact JSON): versions, then per series its name, kind, seed, true parameters, the series, d, the
KPSS statistics, the chosen order/trend/AICc/params and the AICc of every order on the grid
([p, q, constant 0|1, aicc]).
"""
import json
import math
import os
import shutil
import subprocess
import sys
import time
import warnings


def ensure_statsmodels():
    try:
        import statsmodels  # noqa: F401
    except ImportError:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            sys.exit("statsmodels missing: run `apt-get install -y python3-statsmodels` as root")
        print("installing python3-statsmodels with apt-get ...", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "python3-statsmodels"], check=True,
                       stdout=sys.stderr)
        os.execv(sys.executable, [sys.executable] + sys.argv)


ensure_statsmodels()

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import statsmodels  # noqa: E402
from statsmodels.tsa.arima.model import ARIMA  # noqa: E402
from statsmodels.tsa.stattools import kpss  # noqa: E402

warnings.filterwarnings("ignore")

BASE_SEED = 20261203
COUNT = 104
MAX_P = 3
MAX_Q = 3
KPSS_CRIT_5 = 0.463


def arma_sim(rs, n, phi, theta, sigma, burn=300):
    e = rs.randn(n + burn) * sigma
    x = np.zeros(n + burn)
    for t in range(n + burn):
        v = e[t]
        for i, p in enumerate(phi):
            if t - i - 1 >= 0:
                v += p * x[t - i - 1]
        for j, th in enumerate(theta):
            if t - j - 1 >= 0:
                v += th * e[t - j - 1]
        x[t] = v
    return x[burn:]


def stationary_poly(rs, k, lo=0.2, hi=0.85):
    """Coefficients c_1..c_k of 1 - c_1 z - ... - c_k z^k from real roots of modulus 1/r, |r| in [lo, hi]."""
    roots = [rs.uniform(lo, hi) * rs.choice([-1.0, 1.0]) for _ in range(k)]
    poly = np.poly1d([1.0])
    for r in roots:
        poly = poly * np.poly1d([-r, 1.0])  # (1 - r z), highest power first
    c = poly.coeffs[::-1]  # c[0] = 1, c[i] = coefficient of z^i
    return [float(-v) for v in c[1:]]


def ma_poly(rs, k):
    """θ_1..θ_k of an invertible 1 + θ_1 z + ... + θ_k z^k (the same real-root product as above)."""
    return [-v for v in stationary_poly(rs, k)]


KINDS = [
    "white_noise", "ar1", "ar2", "ar3", "ma1", "ma2", "ma3", "arma11", "arma21", "arma12", "arma22",
    "arima011", "arima110_drift", "arima111_drift", "arima210", "arima012_drift",
    "near_cancel_arma11", "near_cancel_arima111", "near_cancel_arma22", "arima_d2",
]


def make_series(i):
    seed = BASE_SEED + i
    rs = np.random.RandomState(seed)
    kind = KINDS[i % len(KINDS)]
    n = int(round(math.exp(rs.uniform(math.log(100), math.log(1000)))))
    sigma = float(rs.uniform(0.5, 3.0))
    phi, theta, d, drift = [], [], 0, 0.0
    if kind == "white_noise":
        pass
    elif kind.startswith("ar") and kind[2:].isdigit():
        phi = stationary_poly(rs, int(kind[2:]))
    elif kind.startswith("ma") and kind[2:].isdigit():
        theta = ma_poly(rs, int(kind[2:]))
    elif kind.startswith("arma") and kind[4:].isdigit():
        phi = stationary_poly(rs, int(kind[4]))
        theta = ma_poly(rs, int(kind[5]))
    elif kind.startswith("arima") and kind != "arima_d2":
        p, _, q = (int(c) for c in kind[5:8])
        phi = stationary_poly(rs, p) if p else []
        theta = ma_poly(rs, q) if q else []
        d = 1
        if kind.endswith("_drift"):
            drift = float(rs.uniform(0.05, 0.5) * rs.choice([-1.0, 1.0]))
    elif kind == "near_cancel_arma11" or kind == "near_cancel_arima111":
        a = float(rs.uniform(0.4, 0.9) * rs.choice([-1.0, 1.0]))
        phi = [a]
        theta = [-a + float(rs.uniform(0.03, 0.12)) * (1 if a > 0 else -1)]  # |θ| = |a| − u
        d = 1 if kind.endswith("arima111") else 0
    elif kind == "near_cancel_arma22":
        # AR roots r1, r2; MA roots r1 + eps, an independent r3: one nearly cancelling pair
        r1 = float(rs.uniform(0.5, 0.85) * rs.choice([-1.0, 1.0]))
        r2 = float(rs.uniform(0.2, 0.7) * rs.choice([-1.0, 1.0]))
        r3 = float(rs.uniform(0.2, 0.7) * rs.choice([-1.0, 1.0]))
        eps = float(rs.uniform(0.04, 0.1)) * (-1 if r1 > 0 else 1)
        phi = [r1 + r2, -r1 * r2]
        m1 = r1 + eps
        theta = [-(m1 + r3), m1 * r3]  # 1 + θ1 z + θ2 z² = (1 - m1 z)(1 - r3 z)
    elif kind == "arima_d2":
        phi = [float(rs.uniform(0.2, 0.6))]
        d = 2
    x = arma_sim(rs, n, phi, theta, sigma)
    if d == 0:
        y = float(rs.uniform(-20, 80)) + x
    elif d == 1:
        y = 100.0 + np.cumsum(drift + x)
    else:
        y = 50.0 + np.cumsum(np.cumsum(0.05 * x))
    y = [round(float(v), 3) for v in y]
    truth = {"phi": phi, "theta": theta, "d": d, "drift": drift, "sigma": sigma}
    return {"name": f"{i:03d}_{kind}", "kind": kind, "seed": seed, "n": n, "truth": truth, "series": y}


def kpss_lags(n):
    return int(np.trunc(4 * (n / 100) ** 0.25))


def ndiffs(y, max_d=2):
    x = np.asarray(y, dtype=float)
    d = 0
    stats = []
    while d < max_d:
        if np.all(x == x[0]):
            break
        stat = kpss(x, regression="c", nlags=kpss_lags(len(x)))[0]
        stats.append(float(stat))
        if stat <= KPSS_CRIT_5:
            break
        x = np.diff(x)
        d += 1
    return d, stats


def trends_for(d):
    return ["c"] if d == 0 else (["t", "n"] if d == 1 else ["n"])


def reference(case):
    y = np.asarray(case["series"], dtype=float)
    d, stats = ndiffs(y)
    best = None
    table = []
    t0 = time.perf_counter()
    for p in range(MAX_P + 1):
        for q in range(MAX_Q + 1):
            for trend in trends_for(d):
                try:
                    res = ARIMA(y, order=(p, d, q), trend=trend).fit()
                    aicc = float(res.aicc)
                    if not math.isfinite(aicc):
                        raise ValueError("non-finite aicc")
                except Exception:  # noqa: BLE001 - a failed candidate is skipped, as in auto.arima
                    table.append([p, q, int(trend != "n"), None])
                    continue
                table.append([p, q, int(trend != "n"), round(aicc, 5)])
                if best is None or aicc < best[0]:
                    params = {k.replace("x1", "drift"): round(float(v), 6)
                              for k, v in zip(res.model.param_names, res.params)}
                    best = (aicc, (p, d, q), trend, float(res.aic), float(res.llf), params)
    seconds = time.perf_counter() - t0
    return {
        "d": d,
        "kpss": stats,
        "order": list(best[1]),
        "trend": best[2],
        "aicc": round(best[0], 5),
        "aic": round(best[3], 5),
        "llf": round(best[4], 5),
        "params": best[5],
        "table": table,
        "statsmodelsSeconds": round(seconds, 3),
    }


def main():
    only = int(sys.argv[1]) if len(sys.argv) > 1 else COUNT
    # optional JSON-lines progress file: finished cases are appended and reused by a rerun (same seeds)
    # (comma-separated: all are read, the first is written; ARIMA_SET_SHARD=k/N computes every N-th case only,
    # so N processes can share the work and a final run without a shard assembles the JSON from their files)
    files = [f for f in os.environ.get("ARIMA_SET_PROGRESS", "").split(",") if f]
    progress = files[0] if files else None
    shard, shards = (int(v) for v in os.environ.get("ARIMA_SET_SHARD", "0/1").split("/"))
    done = {}
    for f in files:
        if os.path.exists(f):
            with open(f) as fh:
                for line in fh:
                    c = json.loads(line)
                    done[c["name"]] = c
    cases = []
    for i in range(only):
        if i % shards != shard:
            continue
        c = make_series(i)
        if c["name"] in done and done[c["name"]]["series"] == c["series"]:
            cases.append(done[c["name"]])
            continue
        c.update(reference(c))
        cases.append(c)
        if progress:
            with open(progress, "a") as fh:
                fh.write(json.dumps(c, separators=(",", ":")) + "\n")
        print(f"{c['name']} n={c['n']} d={c['d']} -> {c['order']} {c['trend']} aicc={c['aicc']} "
              f"({c['statsmodelsSeconds']} s)", file=sys.stderr)
    out = {
        "source": {
            "script": "packages/quant/scripts/arima_reference_set.py",
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
            "baseSeed": BASE_SEED,
            "grid": {"maxP": MAX_P, "maxQ": MAX_Q, "maxD": 2, "kpssCritical": KPSS_CRIT_5},
            "fit": "statsmodels.tsa.arima.model.ARIMA(y, order, trend).fit() defaults",
            # wall time of the statsmodels searches (per case in statsmodelsSeconds; shared machines vary a lot)
            "statsmodelsSeconds": round(sum(c["statsmodelsSeconds"] for c in cases), 1),
        },
        "cases": cases,
    }
    json.dump(out, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
