/**
 * Backtest engine speed (issue 13 "Strategy backtests"): a 10-year daily MA-cross (20/60) backtest over 500
 * generated symbols, time per symbol-year, against a plain vectorised loop over the same arrays in the same
 * run (SMA → position shifted one day → daily P&L minus proportional costs → equity; no lots, limits, T+1,
 * suspension or minimum fees — the floor of what any backtest must do).
 *   engine:      signals (strategy registry) + simulate() with the A-share rules + metrics, per symbol
 *   runBacktest: the whole run as the API does it (also buy-and-hold under the same rules and the benchmark)
 * Run: npx tsx bench/backtest.ts [--symbols 500] [--years 10]
 */
import {
  computeMetrics,
  type DailyBar,
  getStrategy,
  MARKET_RULES,
  runBacktest,
  simulate,
} from '@investiq/backtest';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const SYMBOLS = arg('symbols', 500);
const YEARS = arg('years', 10);
const DAYS = YEARS * 252;
const FAST = 20;
const SLOW = 60;

/** Deterministic random walk with gaps (≈ 0.5 % zero-volume days) — same arrays for every contender. */
function generate(seed: number): DailyBar[] {
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296;
  };
  const bars: DailyBar[] = [];
  let p = 10 + rnd() * 90;
  const d0 = Date.UTC(2014, 0, 1);
  for (let i = 0; i < DAYS; i++) {
    const open = p * (1 + (rnd() - 0.5) * 0.01);
    p = Math.max(0.5, open * (1 + (rnd() - 0.495) * 0.04));
    const date = new Date(d0 + i * 86_400_000).toISOString().slice(0, 10);
    bars.push({
      date,
      open,
      high: Math.max(open, p) * 1.005,
      low: Math.min(open, p) * 0.995,
      close: p,
      volume: rnd() < 0.005 ? 0 : 1e6,
    });
  }
  return bars;
}

function vectorised(close: Float64Array, cost: number): number {
  const n = close.length;
  const fast = new Float64Array(n);
  const slow = new Float64Array(n);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    a += close[i]!;
    b += close[i]!;
    if (i >= FAST) a -= close[i - FAST]!;
    if (i >= SLOW) b -= close[i - SLOW]!;
    fast[i] = a / FAST;
    slow[i] = b / SLOW;
  }
  let equity = 1;
  let prevPos = 0;
  const eq = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const pos = i - 1 >= SLOW - 1 && fast[i - 1]! > slow[i - 1]! ? 1 : 0;
    equity *= 1 + pos * (close[i]! / close[i - 1]! - 1) - cost * Math.abs(pos - prevPos);
    prevPos = pos;
    eq[i] = equity;
  }
  return eq[n - 1]!;
}

function main() {
  const t0 = performance.now();
  const data = Array.from({ length: SYMBOLS }, (_, k) => generate(k + 1));
  const closes = data.map((bars) => Float64Array.from(bars, (b) => b.close));
  const dates = data[0]!.map((b) => b.date);
  console.log(
    `generated ${SYMBOLS} symbols × ${DAYS} bars (${YEARS} years) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const symbolYears = SYMBOLS * YEARS;
  const strategy = getStrategy('ma-cross')!;
  const rules = MARKET_RULES.CN;

  let sink = 0;
  const timeIt = (label: string, fn: () => void): number => {
    fn(); // warm-up on the same input (JIT)
    const t = performance.now();
    fn();
    const ms = performance.now() - t;
    console.log(
      `${label.padEnd(12)} ${ms.toFixed(0).padStart(7)} ms total, ${((ms * 1000) / symbolYears).toFixed(1).padStart(7)} µs per symbol-year`,
    );
    return ms;
  };

  const vec = timeIt('vectorised', () => {
    for (const c of closes) sink += vectorised(c, 0.0005);
  });
  const engine = timeIt('engine', () => {
    for (let k = 0; k < SYMBOLS; k++) {
      const bars = data[k]!;
      const tradable = bars.filter((b) => b.volume > 0);
      const sig = strategy.signal(tradable, { fast: FAST, slow: SLOW });
      const target = new Float64Array(bars.length).fill(Number.NaN);
      let j = 0;
      bars.forEach((b, i) => {
        if (b.volume > 0) target[i] = sig[j++]!;
      });
      const sim = simulate({
        inst: { market: 'CN', symbol: `${String(600000 + k)}.SH` },
        rules,
        costs: rules.defaultCosts,
        dates,
        bars,
        target,
        start: 0,
        end: bars.length,
        initialCash: 1_000_000,
      });
      sink += computeMetrics(sim.equity, {
        traded: sim.traded,
        exposedDays: 0,
        trades: sim.fills.length,
        costs: sim.costs,
        tripPnls: sim.roundTrips.map((r) => r.pnl),
      }).cagr;
    }
  });
  const full = timeIt('runBacktest', () => {
    for (let k = 0; k < SYMBOLS; k++) {
      sink += runBacktest(
        { strategy: 'ma-cross', params: { fast: FAST, slow: SLOW }, from: dates[0]!, to: dates.at(-1)! },
        [{ inst: { market: 'CN', symbol: `${String(600000 + k)}.SH` }, bars: data[k]! }],
      ).metrics.cagr;
    }
  });
  console.log(`ratio engine / vectorised:      ${(engine / vec).toFixed(1)}×`);
  console.log(`ratio runBacktest / vectorised: ${(full / vec).toFixed(1)}×`);
  if (!Number.isFinite(sink)) console.log('(sink)', sink);
}

main();
