// Auto-ARIMA benchmark: @investiq/quant vs statsmodels' order search on the same series.
//   npx tsx bench/arima.ts [--reps 3] [--set 8]   (from the repo root; statsmodels via Debian's /usr/bin/python3)
// Series: three deterministic 500-point series generated here, plus `--set N` series (every k-th, n 100–1000)
// of the committed statsmodels reference set (packages/quant/src/__fixtures__/arima-reference-set.json).
// Both sides run the same procedure: KPSS (5%) for d, then the full p, q ≤ 3 grid (drift on/off when d = 1),
// lowest AICc. The ratio is statsmodels time / our time, measured in this run. Also times the npm `arima`
// package (ctsa compiled to WASM) in auto mode for context; it reports no order or AICc, so only its time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createDemoMarket, DEMO_UNIVERSE } from '@investiq/market/demo';
import { autoArima } from '@investiq/quant';
import { mulberry32 } from '../apps/inference/src/models/prng';

const PY = '/usr/bin/python3';
const SCRIPT = new URL('../packages/quant/scripts/reference.py', import.meta.url).pathname;

function normals(seed: number, n: number): number[] {
  const u = mulberry32(seed);
  const out: number[] = [];
  while (out.length < n) {
    const r = Math.sqrt(-2 * Math.log(u() || 1e-12));
    const th = 2 * Math.PI * u();
    out.push(r * Math.cos(th), r * Math.sin(th));
  }
  return out.slice(0, n);
}
function arma(seed: number, n: number, phi: number[], theta: number[], burn = 200): number[] {
  const e = normals(seed, n + burn);
  const x: number[] = [];
  for (let t = 0; t < n + burn; t++) {
    let v = e[t] as number;
    phi.forEach((p, i) => {
      if (t - i - 1 >= 0) v += p * (x[t - i - 1] as number);
    });
    theta.forEach((q, j) => {
      if (t - j - 1 >= 0) v += q * (e[t - j - 1] as number);
    });
    x.push(v);
  }
  return x.slice(burn);
}
const cumsum = (xs: number[], start: number) => {
  let s = start;
  return xs.map((v) => {
    s += v;
    return Math.round(s * 1e4) / 1e4;
  });
};
const round4 = (xs: number[]) => xs.map((v) => Math.round(v * 1e4) / 1e4);

const N = 500;
const setArg = process.argv.indexOf('--set');
const SET_COUNT = setArg > 0 ? Math.max(0, Number(process.argv[setArg + 1]) || 0) : 8;
const refSet = JSON.parse(
  readFileSync(
    new URL('../packages/quant/src/__fixtures__/arima-reference-set.json', import.meta.url),
    'utf8',
  ),
) as { cases: { name: string; n: number; series: number[] }[] };
const step = SET_COUNT > 0 ? Math.max(1, Math.floor(refSet.cases.length / SET_COUNT)) : 1;
const fromSet = SET_COUNT > 0 ? refSet.cases.filter((_, i) => i % step === 0).slice(0, SET_COUNT) : [];
const cases: { name: string; series: number[] }[] = [
  {
    name: 'price, ARIMA(1,1,0)+drift',
    series: cumsum(
      arma(11, N, [0.3], []).map((v) => v + 0.05),
      100,
    ),
  },
  {
    name: 'stationary ARMA(2,1), mean 10',
    series: round4(arma(22, N, [0.6, -0.2], [0.4]).map((v) => v + 10)),
  },
  { name: 'random walk, MA(1) increments', series: cumsum(arma(33, N, [], [-0.3]), 50) },
  ...fromSet.map((c) => ({ name: `set ${c.name} n=${c.n}`, series: c.series })),
];

// warm-up (JIT) on a short series, not timed
autoArima(cases[0]?.series.slice(0, 120) ?? [], { horizon: 5, maxP: 1, maxQ: 1 });

type Row = { name: string; ms: number; order: number[]; drift: boolean; aicc: number; aic: number };
// best of REPS runs on each side: the machine is shared, so the minimum is the least disturbed measurement
const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg > 0 ? Math.max(1, Number(process.argv[repsArg + 1]) || 3) : 3;
const ours: Row[] = cases.map(({ name, series }) => {
  let ms = Number.POSITIVE_INFINITY;
  let r = autoArima(series, { horizon: 10 });
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    r = autoArima(series, { horizon: 10 });
    ms = Math.min(ms, performance.now() - t0);
  }
  return { name, ms, order: r.order, drift: r.includeConstant, aicc: r.aicc, aic: r.aic };
});

let ref: {
  statsmodels: string;
  results: { order: number[]; trend: string; aicc: number; aic: number; seconds: number }[];
} | null = null;
if (existsSync(PY)) {
  const py = spawnSync(PY, [SCRIPT, 'auto-bench'], {
    input: JSON.stringify({ series: cases.map((c) => c.series), reps: Math.min(REPS, 2) }),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (py.status === 0) ref = JSON.parse(py.stdout);
  else console.log(`statsmodels side skipped: ${PY} failed (${py.stderr.trim().split('\n').pop()})`);
} else {
  console.log(`statsmodels side skipped: ${PY} not found`);
}

let ctsaMs: number[] = [];
try {
  const require = createRequire(import.meta.url);
  const ARIMA = require('arima');
  ctsaMs = cases.map(({ series }) => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < REPS; i++) {
      const t0 = performance.now();
      const m = new ARIMA({ auto: true, p: 3, d: 2, q: 3, verbose: false }).train(series);
      m.predict(10);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  });
} catch {
  console.log('npm arima (ctsa) not installed: its column is skipped');
}

const fmt = (o: number[], c: boolean | string) =>
  `(${o.join(',')})${c === true || c === 'c' || c === 't' ? '+c' : ''}`;
console.log(
  `auto-ARIMA, ${N}-point series + ${fromSet.length} of the reference set, grid p,q <= 3, KPSS d, AICc; best of ${REPS} runs (statsmodels ${Math.min(REPS, 2)})${ref ? `; statsmodels ${ref.statsmodels}` : ''}`,
);
console.log(
  'series                           | ours ms | ours order   AICc      | statsmodels ms | sm order     AICc      | ratio sm/ours | ctsa auto ms',
);
let sumOurs = 0;
let sumSm = 0;
ours.forEach((o, i) => {
  const s = ref?.results[i];
  sumOurs += o.ms;
  if (s) sumSm += s.seconds * 1000;
  console.log(
    [
      o.name.padEnd(32).slice(0, 32),
      o.ms.toFixed(0).padStart(7),
      `${fmt(o.order, o.drift).padEnd(11)} ${o.aicc.toFixed(3).padStart(9)}`,
      s ? (s.seconds * 1000).toFixed(0).padStart(14) : 'skipped'.padStart(14),
      s ? `${fmt(s.order, s.trend).padEnd(11)} ${s.aicc.toFixed(3).padStart(9)}` : ''.padEnd(21),
      s ? `${((s.seconds * 1000) / o.ms).toFixed(1)}x`.padStart(13) : ''.padStart(13),
      ctsaMs[i] !== undefined ? (ctsaMs[i] as number).toFixed(0).padStart(12) : '',
    ].join(' | '),
  );
  if (s) {
    const same = s.order.join() === o.order.join() && (s.trend !== 'n') === o.drift;
    console.log(
      `  agreement: order ${same ? 'same' : 'DIFFERENT'}, ΔAICc ours−sm = ${(o.aicc - s.aicc).toExponential(2)}, ΔAIC = ${(o.aic - s.aic).toExponential(2)}`,
    );
  }
});
if (ref)
  console.log(
    `total: ours ${sumOurs.toFixed(0)} ms, statsmodels ${sumSm.toFixed(0)} ms, ratio ${(sumSm / sumOurs).toFixed(1)}x`,
  );

// The report's statistics section input: the last 250 daily closes (analysis.modules statistics.arimaPoints) of
// each demo symbol, horizon 10. Wall and CPU time of our search alone (no HTTP, no worker thread).
{
  const market = createDemoMarket({ seed: 20240101 });
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const inst of DEMO_UNIVERSE) {
    const closes = market
      .dailyBars(inst.symbol, { from: '2023-11-30', to: '2026-11-30' })
      .map((b) => b.close)
      .slice(-250);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    autoArima(closes, { horizon: 10, levels: [0.8, 0.95] });
    cpu.push(process.cpuUsage(c0).user / 1000);
    wall.push(performance.now() - t0);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  console.log(
    `report input (${DEMO_UNIVERSE.length} demo symbols, last 250 closes): median ${med(wall).toFixed(0)} ms wall, ${med(cpu).toFixed(0)} ms CPU; max ${Math.max(...wall).toFixed(0)} ms wall`,
  );
}
