import { z } from 'zod';
import { simulate } from './engine';
import { MARKET_RULES } from './markets';
import { computeMetrics, drawdownSeries, type Metrics } from './metrics';
import { getStrategy, STRATEGY_IDS, type StrategyDescriptor } from './strategies';
import {
  type BACKTEST_MARKETS,
  type Blocked,
  type DailyBar,
  type Fill,
  type Instrument,
  ZCosts,
} from './types';

export const BACKTEST_LIMITS = { maxSymbols: 20, maxCombos: 36, maxFolds: 8 } as const;
/** Shortest walk-forward segment (a month of trading days): shorter ones give meaningless metrics. */
const MIN_SEGMENT_BARS = 20;

const ZDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });

/** Everything a run needs besides the bars. Strategy parameters are checked against the strategy's schema. */
export const ZBacktestSpec = z
  .object({
    strategy: z.enum(STRATEGY_IDS, { error: () => `strategy must be one of ${STRATEGY_IDS.join(', ')}` }),
    params: z.record(z.string(), z.unknown()).default({}),
    from: ZDate,
    to: ZDate,
    initialCash: z
      .number({ error: 'initialCash must be a number' })
      .min(1_000, 'initialCash must be ≥ 1000')
      .max(1e12, 'initialCash must be ≤ 1e12')
      .default(1_000_000),
    /** Overrides of the market's default costs (each market keeps its own defaults for the rest). */
    costs: ZCosts.partial().default({}),
    stopLossPct: z
      .number()
      .min(0, 'stopLossPct must be ≥ 0')
      .max(0.5, 'stopLossPct must be ≤ 0.5')
      .default(0),
    sweep: z
      .object({
        folds: z
          .number()
          .int('folds must be an integer')
          .min(2, 'folds must be ≥ 2')
          .max(BACKTEST_LIMITS.maxFolds, `folds must be ≤ ${BACKTEST_LIMITS.maxFolds}`)
          .default(4),
        /** Values per parameter; missing parameters use the strategy's default grid. */
        grid: z
          .record(
            z.string(),
            z
              .array(z.number({ error: 'grid values must be numbers' }))
              .min(1, 'grid lists need a value')
              .max(10),
          )
          .default({}),
      })
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.from > v.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
    const s = getStrategy(v.strategy);
    if (!s) return;
    const parsed = s.params.safeParse(v.params);
    if (!parsed.success) {
      for (const i of parsed.error.issues)
        ctx.addIssue({ code: 'custom', path: ['params', ...i.path.map(String)], message: i.message });
    }
    if (v.sweep) {
      for (const k of Object.keys(v.sweep.grid)) {
        if (!(k in (s.sweep as object)) && !paramKeys(s).includes(k))
          ctx.addIssue({
            code: 'custom',
            path: ['sweep', 'grid', k],
            message: `${k} is not a parameter of ${s.id}`,
          });
      }
      const combos = gridCombos(s, v.params, v.sweep.grid).length;
      if (combos > BACKTEST_LIMITS.maxCombos)
        ctx.addIssue({
          code: 'custom',
          path: ['sweep', 'grid'],
          message: `the grid has ${combos} combinations; at most ${BACKTEST_LIMITS.maxCombos}`,
        });
    }
  });
export type TBacktestSpec = z.input<typeof ZBacktestSpec>;
export type TBacktestSpecParsed = z.output<typeof ZBacktestSpec>;

export interface SymbolSeries {
  inst: Instrument;
  bars: DailyBar[];
}

export interface SymbolResult {
  market: (typeof BACKTEST_MARKETS)[number];
  symbol: string;
  name?: string | undefined;
  metrics: Metrics;
  buyHold: Metrics;
  fills: Fill[];
  blocked: Blocked[];
  blockedCounts: Record<string, number>;
  lotSize: number;
  priceLimit: number | null;
}

export interface SweepRow {
  params: Record<string, number>;
  inSample: { sharpe: number | null; cagr: number; maxDrawdown: number };
  outOfSample: { sharpe: number | null; cagr: number; maxDrawdown: number };
}

export interface SweepFold {
  fold: number;
  inSample: { from: string; to: string };
  outOfSample: { from: string; to: string };
  chosen: Record<string, number>;
  isSharpe: number | null;
  oosSharpe: number | null;
  isCagr: number;
  oosCagr: number;
}

export interface BacktestResult {
  strategy: string;
  params: Record<string, unknown>;
  from: string;
  to: string;
  dates: string[];
  equity: number[];
  buyHold: number[];
  benchmark: number[] | null;
  benchmarkLabel: string;
  drawdown: number[];
  metrics: Metrics;
  buyHoldMetrics: Metrics;
  benchmarkMetrics: Metrics | null;
  symbols: SymbolResult[];
  sweep: { folds: SweepFold[]; rows: SweepRow[] } | null;
  assumptions: string[];
}

export type ProgressFn = (done: number, total: number, label: string) => void;

function paramKeys(s: StrategyDescriptor): string[] {
  const parsed = s.params.safeParse({});
  return parsed.success && parsed.data && typeof parsed.data === 'object' ? Object.keys(parsed.data) : [];
}

/** Cartesian product of the grid (user lists over the strategy's defaults), keeping valid combinations only. */
export function gridCombos(
  s: StrategyDescriptor,
  base: Record<string, unknown>,
  grid: Record<string, number[]>,
): Record<string, number>[] {
  const lists: [string, number[]][] = Object.entries({ ...s.sweep, ...grid }) as [string, number[]][];
  let combos: Record<string, unknown>[] = [{ ...base }];
  for (const [k, values] of lists) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  const keys = lists.map(([k]) => k);
  const seen = new Set<string>();
  const out: Record<string, number>[] = [];
  for (const c of combos) {
    if (!s.params.safeParse(c).success) continue;
    const picked = Object.fromEntries(keys.map((k) => [k, c[k] as number]));
    const key = JSON.stringify(picked);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(picked);
  }
  return out;
}

interface Prepared {
  inst: Instrument;
  aligned: (DailyBar | null)[];
  /** calendar index of each tradable bar */
  tradableIdx: number[];
  tradable: DailyBar[];
}

function prepare(series: SymbolSeries, dates: string[], index: Map<string, number>): Prepared {
  const aligned: (DailyBar | null)[] = new Array(dates.length).fill(null);
  for (const b of series.bars) {
    const i = index.get(b.date);
    if (i !== undefined) aligned[i] = b;
  }
  const tradableIdx: number[] = [];
  const tradable: DailyBar[] = [];
  aligned.forEach((b, i) => {
    if (b && b.volume > 0) {
      tradableIdx.push(i);
      tradable.push(b);
    }
  });
  return { inst: series.inst, aligned, tradableIdx, tradable };
}

function targetsFor(
  p: Prepared,
  s: StrategyDescriptor,
  params: Record<string, unknown>,
  n: number,
): Float64Array {
  const sig = s.signal(p.tradable, params);
  const t = new Float64Array(n).fill(Number.NaN);
  p.tradableIdx.forEach((ci, k) => {
    t[ci] = sig[k] as number;
  });
  return t;
}

function runSleeves(
  prepared: Prepared[],
  targets: Float64Array[],
  spec: TBacktestSpecParsed,
  dates: string[],
  start: number,
  end: number,
) {
  const cashEach = spec.initialCash / prepared.length;
  const total = new Float64Array(end - start);
  const exposed = new Uint8Array(end - start);
  const sims = prepared.map((p, k) => {
    const rules = MARKET_RULES[p.inst.market];
    const sim = simulate({
      inst: p.inst,
      rules,
      costs: { ...rules.defaultCosts, ...spec.costs },
      dates,
      bars: p.aligned,
      target: targets[k] as Float64Array,
      start,
      end,
      initialCash: cashEach,
      stopLossPct: spec.stopLossPct,
    });
    for (let i = 0; i < total.length; i++) {
      total[i] = (total[i] as number) + (sim.equity[i] as number);
      if ((sim.shares[i] as number) > 0) exposed[i] = 1;
    }
    return sim;
  });
  const metrics = computeMetrics(total, {
    traded: sims.reduce((a, s) => a + s.traded, 0),
    exposedDays: exposed.reduce((a, x) => a + x, 0),
    trades: sims.reduce((a, s) => a + s.fills.length, 0),
    costs: sims.reduce((a, s) => a + s.costs, 0),
    tripPnls: sims.flatMap((s) => s.roundTrips.map((r) => r.pnl)),
  });
  return { total, sims, metrics };
}

function sleeveMetrics(sim: ReturnType<typeof simulate>): Metrics {
  let exposed = 0;
  for (const s of sim.shares) if (s > 0) exposed++;
  return computeMetrics(sim.equity, {
    traded: sim.traded,
    exposedDays: exposed,
    trades: sim.fills.length,
    costs: sim.costs,
    tripPnls: sim.roundTrips.map((r) => r.pnl),
  });
}

/** Price index of the benchmark (no costs), carried over days without a bar, scaled to the initial cash. */
function priceIndex(prepared: Prepared[], start: number, end: number, cash: number): number[] {
  const out = new Array<number>(end - start).fill(0);
  for (const p of prepared) {
    let base = Number.NaN;
    let last = Number.NaN;
    for (let i = 0; i < start; i++) if (p.aligned[i]) last = p.aligned[i]!.close;
    for (let i = start; i < end; i++) {
      const b = p.aligned[i];
      if (b) last = b.close;
      if (Number.isNaN(base) && !Number.isNaN(last)) base = last;
      const v = Number.isNaN(base) ? 1 : last / base;
      out[i - start] = (out[i - start] as number) + (v * cash) / prepared.length;
    }
  }
  return out;
}

const round = (xs: ArrayLike<number>, digits: number): number[] => {
  const f = 10 ** digits;
  return Array.from(xs, (x) => Math.round(x * f) / f);
};

/**
 * A whole run: each symbol is a sleeve with an equal share of the cash and its own market rules; the portfolio
 * is the sum. Then buy-and-hold under the same rules and costs, the benchmark, and — when asked — the
 * walk-forward sweep (anchored: in-sample = start … fold boundary, out-of-sample = the next segment).
 */
export function runBacktest(
  specIn: TBacktestSpec,
  series: SymbolSeries[],
  opts: { benchmark?: SymbolSeries; onProgress?: ProgressFn } = {},
): BacktestResult {
  const spec = ZBacktestSpec.parse(specIn);
  const strategy = getStrategy(spec.strategy) as StrategyDescriptor;
  const params = strategy.params.parse(spec.params) as Record<string, unknown>;
  if (series.length === 0) throw new RangeError('no symbols to backtest');
  const progress = opts.onProgress ?? (() => {});

  const dateSet = new Set<string>();
  for (const s of [...series, ...(opts.benchmark ? [opts.benchmark] : [])])
    for (const b of s.bars) if (b.date <= spec.to) dateSet.add(b.date);
  const dates = [...dateSet].sort();
  const index = new Map(dates.map((d, i) => [d, i]));
  const start = dates.findIndex((d) => d >= spec.from);
  if (start < 0 || dates.length - start < 2)
    throw new RangeError(`fewer than 2 stored daily bars between ${spec.from} and ${spec.to}`);
  const end = dates.length;
  const prepared = series.map((s) => prepare(s, dates, index));

  const combos = spec.sweep ? gridCombos(strategy, params, spec.sweep.grid) : [];
  const folds = spec.sweep?.folds ?? 0;
  if (spec.sweep && end - start < (folds + 1) * MIN_SEGMENT_BARS)
    throw new RangeError(
      `sweep: ${folds} folds need at least ${(folds + 1) * MIN_SEGMENT_BARS} bars in the range; it has ${end - start}`,
    );
  const totalSteps = prepared.length * 2 + combos.length * prepared.length;
  let done = 0;
  const step = (label: string) => progress(++done, totalSteps, label);

  const targets = prepared.map((p) => {
    const t = targetsFor(p, strategy, params, dates.length);
    step(`signals ${p.inst.symbol}`);
    return t;
  });
  const main = runSleeves(prepared, targets, spec, dates, start, end);
  const bhTargets = prepared.map((p) => {
    const t = targetsFor(p, getStrategy('buy-and-hold') as StrategyDescriptor, {}, dates.length);
    step(`buy-and-hold ${p.inst.symbol}`);
    return t;
  });
  const bh = runSleeves(prepared, bhTargets, spec, dates, start, end);

  let benchmark: number[];
  let benchmarkLabel: string;
  if (opts.benchmark) {
    benchmark = priceIndex([prepare(opts.benchmark, dates, index)], start, end, spec.initialCash);
    benchmarkLabel = `${opts.benchmark.inst.market}:${opts.benchmark.inst.symbol} (price, no costs)`;
  } else {
    benchmark = priceIndex(prepared, start, end, spec.initialCash);
    benchmarkLabel = 'equal weight of the run’s symbols (price, no costs)';
  }
  const benchmarkMetrics = computeMetrics(benchmark, {
    traded: 0,
    exposedDays: benchmark.length,
    trades: 0,
    costs: 0,
    tripPnls: [],
  });

  let sweep: BacktestResult['sweep'] = null;
  if (spec.sweep && combos.length > 0) {
    const seg = (end - start) / (folds + 1);
    const bounds = Array.from({ length: folds + 2 }, (_, k) => start + Math.round(k * seg));
    const perCombo = combos.map((c) => {
      const t = prepared.map((p) => {
        const out = targetsFor(p, strategy, { ...params, ...c }, dates.length);
        step(`sweep ${JSON.stringify(c)} ${p.inst.symbol}`);
        return out;
      });
      const foldsOut = Array.from({ length: folds }, (_, k) => {
        const isM = runSleeves(prepared, t, spec, dates, start, bounds[k + 1] as number).metrics;
        const oosM = runSleeves(
          prepared,
          t,
          spec,
          dates,
          bounds[k + 1] as number,
          bounds[k + 2] as number,
        ).metrics;
        return { isM, oosM };
      });
      return { c, foldsOut };
    });
    const avg = (xs: (number | null)[]) => {
      const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
    };
    const summary = (ms: Metrics[]) => ({
      sharpe: avg(ms.map((m) => m.sharpe)),
      cagr: avg(ms.map((m) => m.cagr)) ?? 0,
      maxDrawdown: Math.min(...ms.map((m) => m.maxDrawdown)),
    });
    const rows: SweepRow[] = perCombo.map(({ c, foldsOut }) => ({
      params: c,
      inSample: summary(foldsOut.map((f) => f.isM)),
      outOfSample: summary(foldsOut.map((f) => f.oosM)),
    }));
    const foldRows: SweepFold[] = Array.from({ length: folds }, (_, k) => {
      let best = perCombo[0]!;
      const score = (x: (typeof perCombo)[number]) => x.foldsOut[k]!.isM.sharpe ?? Number.NEGATIVE_INFINITY;
      for (const x of perCombo) if (score(x) > score(best)) best = x;
      const f = best.foldsOut[k]!;
      return {
        fold: k + 1,
        inSample: { from: dates[start] as string, to: dates[(bounds[k + 1] as number) - 1] as string },
        outOfSample: {
          from: dates[bounds[k + 1] as number] as string,
          to: dates[(bounds[k + 2] as number) - 1] as string,
        },
        chosen: best.c,
        isSharpe: f.isM.sharpe,
        oosSharpe: f.oosM.sharpe,
        isCagr: f.isM.cagr,
        oosCagr: f.oosM.cagr,
      };
    });
    sweep = { folds: foldRows, rows };
  }

  const symbols: SymbolResult[] = prepared.map((p, k) => {
    const sim = main.sims[k]!;
    const blockedCounts: Record<string, number> = {};
    for (const b of sim.blocked) blockedCounts[b.reason] = (blockedCounts[b.reason] ?? 0) + 1;
    const rules = MARKET_RULES[p.inst.market];
    return {
      market: p.inst.market,
      symbol: p.inst.symbol,
      name: p.inst.name,
      metrics: sleeveMetrics(sim),
      buyHold: sleeveMetrics(bh.sims[k]!),
      fills: sim.fills,
      blocked: sim.blocked.slice(0, 500),
      blockedCounts,
      lotSize: rules.lotSize(p.inst),
      priceLimit: rules.priceLimit(p.inst),
    };
  });

  return {
    strategy: strategy.id,
    params,
    from: dates[start] as string,
    to: dates[end - 1] as string,
    dates: dates.slice(start),
    equity: round(main.total, 2),
    buyHold: round(bh.total, 2),
    benchmark: round(benchmark, 2),
    benchmarkLabel,
    drawdown: round(drawdownSeries(main.total), 6),
    metrics: main.metrics,
    buyHoldMetrics: bh.metrics,
    benchmarkMetrics,
    symbols,
    sweep,
    assumptions: [
      `Strategy ${strategy.id} uses ${strategy.uses}.`,
      'Decisions are taken at a close and filled at the next trading day’s open, with slippage; nothing uses later bars.',
      'Prices are the stored daily bars as they are: split- and dividend-adjusted when the provider stores adjusted bars, so dividends and splits enter only through those prices (the demo market has none).',
      'Each symbol trades its own equal share of the initial cash; the portfolio is the sum.',
      'Buy-and-hold pays the same costs and obeys the same rules; the benchmark is a price index without costs.',
      'Annualised with 252 trading days; Sharpe and Sortino use a risk-free rate of 0.',
    ],
  };
}
