/** Trading days per year used to annualise (CAGR exponent, volatility, Sharpe, Sortino, turnover). */
export const PERIODS_PER_YEAR = 252;

export interface Metrics {
  startEquity: number;
  endEquity: number;
  totalReturn: number;
  /** (end/start)^(252/periods) − 1, periods = number of daily returns. */
  cagr: number;
  /** Sample std (ddof 1) of daily simple returns × √252. */
  annVol: number;
  /** mean/std(ddof 1) of daily returns × √252, risk-free rate 0. */
  sharpe: number | null;
  /** mean / √(mean(min(r,0)²)) × √252 (downside deviation against 0 over all days). */
  sortino: number | null;
  /** Most negative equity/running-peak − 1 (≤ 0). */
  maxDrawdown: number;
  /** Longest stretch, in trading days, from a peak to the day equity first regains it (or to the last day). */
  maxDrawdownDays: number;
  /** cagr / |maxDrawdown|. */
  calmar: number | null;
  /** Share of closed round trips (buy … flat) with a positive P&L after costs; null without any. */
  winRate: number | null;
  roundTrips: number;
  /** Traded value / mean equity, per year. */
  turnover: number;
  /** Share of days ending with a position. */
  exposure: number;
  trades: number;
  costs: number;
}

export function dailyReturns(equity: ArrayLike<number>): Float64Array {
  const n = Math.max(0, equity.length - 1);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = (equity[i + 1] as number) / (equity[i] as number) - 1;
  return r;
}

export function drawdownSeries(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i] as number;
    if (e > peak) peak = e;
    out[i] = peak > 0 ? e / peak - 1 : 0;
  }
  return out;
}

export function computeMetrics(
  equity: ArrayLike<number>,
  extra: { traded: number; exposedDays: number; trades: number; costs: number; tripPnls: readonly number[] },
): Metrics {
  const n = equity.length;
  const start = n > 0 ? (equity[0] as number) : 0;
  const end = n > 0 ? (equity[n - 1] as number) : 0;
  const r = dailyReturns(equity);
  const m = r.length;
  let mean = 0;
  for (const x of r) mean += x;
  mean = m > 0 ? mean / m : 0;
  let ss = 0;
  let down = 0;
  for (const x of r) {
    ss += (x - mean) * (x - mean);
    if (x < 0) down += x * x;
  }
  const sd = m > 1 ? Math.sqrt(ss / (m - 1)) : 0;
  const dd = m > 0 ? Math.sqrt(down / m) : 0;
  const ann = Math.sqrt(PERIODS_PER_YEAR);
  const years = m / PERIODS_PER_YEAR;
  const cagr = m > 0 && start > 0 && end > 0 ? (end / start) ** (1 / years) - 1 : 0;

  const dds = drawdownSeries(equity);
  let maxDrawdown = 0;
  let longest = 0;
  let since = -1;
  for (let i = 0; i < n; i++) {
    const v = dds[i] as number;
    if (v < maxDrawdown) maxDrawdown = v;
    if (v < 0) {
      if (since < 0) since = i - 1;
    } else if (since >= 0) {
      longest = Math.max(longest, i - since);
      since = -1;
    }
  }
  if (since >= 0) longest = Math.max(longest, n - 1 - since);
  let meanEquity = 0;
  for (let i = 0; i < n; i++) meanEquity += equity[i] as number;
  meanEquity = n > 0 ? meanEquity / n : 0;
  const wins = extra.tripPnls.filter((p) => p > 0).length;
  return {
    startEquity: start,
    endEquity: end,
    totalReturn: start > 0 ? end / start - 1 : 0,
    cagr,
    annVol: sd * ann,
    sharpe: sd > 0 ? (mean / sd) * ann : null,
    sortino: dd > 0 ? (mean / dd) * ann : null,
    maxDrawdown,
    maxDrawdownDays: longest,
    calmar: maxDrawdown < 0 ? cagr / Math.abs(maxDrawdown) : null,
    winRate: extra.tripPnls.length > 0 ? wins / extra.tripPnls.length : null,
    roundTrips: extra.tripPnls.length,
    turnover: meanEquity > 0 && years > 0 ? extra.traded / meanEquity / years : 0,
    exposure: n > 0 ? extra.exposedDays / n : 0,
    trades: extra.trades,
    costs: extra.costs,
  };
}
