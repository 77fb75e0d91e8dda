import { type MarketRules, roundToTick, totalFees } from './markets';
import type { Blocked, BlockReason, DailyBar, Fill, Instrument, Side, TCosts } from './types';

export interface SimulateInput {
  inst: Instrument;
  rules: MarketRules;
  costs: TCosts;
  /** The calendar of the run (sorted ISO dates). */
  dates: readonly string[];
  /** Aligned to `dates`; null = no bar that day (suspended or not listed yet). */
  bars: readonly (DailyBar | null)[];
  /**
   * Aligned to `dates`: target fraction of equity in the stock, decided at that day's close from bars up to
   * and including it; NaN = no decision. Orders execute at the next tradable open.
   */
  target: Float64Array;
  /** First and one-past-last calendar index simulated; bars before `start` are history only. */
  start: number;
  end: number;
  initialCash: number;
  /** Protective stop below the average cost (0.08 = 8 %); 0 = none. Checked intraday against the low. */
  stopLossPct?: number;
  /** Overrides the market's lot size (HK board lots of names not in the built-in table). */
  lotSize?: number;
}

export interface RoundTrip {
  entryDate: string;
  exitDate: string;
  pnl: number;
  returnPct: number;
}

export interface SimulateResult {
  /** Mark-to-market equity at each close of [start, end). */
  equity: Float64Array;
  /** Shares held at each close. */
  shares: Float64Array;
  fills: Fill[];
  blocked: Blocked[];
  roundTrips: RoundTrip[];
  cash: number;
  /** Sum of |traded value| (turnover numerator). */
  traded: number;
  costs: number;
}

const EPS = 1e-9;

/**
 * Event loop over one instrument's daily bars. Per tradable day (a bar with volume > 0):
 *  1. the pending order (from the last decision) executes at the open, unless the open sits at the limit
 *     (buy at limit-up / sell at limit-down is refused and the order waits);
 *  2. the stop, if any, is checked against the day's low; T+1 keeps shares bought today from being sold;
 *  3. equity is marked at the close; the day's decision (target) becomes the pending order.
 * A day without a tradable bar is a suspension: nothing trades, equity is marked at the last close.
 */
export function simulate(input: SimulateInput): SimulateResult {
  const { inst, rules, costs, dates, bars, target, start, end } = input;
  const n = Math.max(0, end - start);
  const equity = new Float64Array(n);
  const held = new Float64Array(n);
  const fills: Fill[] = [];
  const blocked: Blocked[] = [];
  const roundTrips: RoundTrip[] = [];
  const lot = input.lotSize ?? rules.lotSize(inst);
  const limitPct = rules.priceLimit(inst);
  const slip = costs.slippageBps / 10_000;
  const stop = input.stopLossPct ?? 0;

  let cash = input.initialCash;
  let shares = 0;
  let boughtToday = 0;
  let avgCost = 0;
  let traded = 0;
  let paid = 0;
  let tripCost = 0;
  let tripProceeds = 0;
  let tripEntry = '';
  let pending: number | null = null;
  let active = 0;
  let lastClose = Number.NaN;

  // history before the window: the last close, and the last decision becomes the first order
  for (let i = start - 1; i >= 0; i--) {
    const b = bars[i];
    if (b && Number.isNaN(lastClose)) lastClose = b.close;
    if (b && b.volume > 0 && !Number.isNaN(target[i] as number)) {
      pending = target[i] as number;
      active = pending;
      break;
    }
  }
  if (pending === 0) pending = null;

  const block = (date: string, side: Side, reason: BlockReason) => blocked.push({ date, side, reason });

  const trade = (date: string, side: Side, qty: number, price: number, reason: Fill['reason']) => {
    const f = rules.fees(side, qty, price, date, costs);
    const fee = totalFees(f);
    const value = qty * price;
    if (side === 'buy') {
      if (shares === 0) {
        tripEntry = date;
        tripCost = 0;
        tripProceeds = 0;
      }
      avgCost = (avgCost * shares + value) / (shares + qty);
      cash -= value + fee;
      shares += qty;
      boughtToday += qty;
      tripCost += value + fee;
    } else {
      cash += value - fee;
      shares -= qty;
      tripProceeds += value - fee;
      if (shares === 0) {
        roundTrips.push({
          entryDate: tripEntry,
          exitDate: date,
          pnl: tripProceeds - tripCost,
          returnPct: tripCost > 0 ? tripProceeds / tripCost - 1 : 0,
        });
        avgCost = 0;
      }
    }
    traded += value;
    paid += fee;
    fills.push({ date, side, shares: qty, price, value, ...f, reason });
  };

  /** Moves toward `t` at `open`; returns false when the order must wait (limit). */
  const execute = (date: string, t: number, open: number, up: number, down: number): boolean => {
    const desired = (t * (cash + shares * open)) / open;
    if (desired > shares + EPS) {
      if (open >= up - EPS) {
        block(date, 'buy', 'limit-up');
        return false;
      }
      const px = Math.min(open * (1 + slip), up);
      let qty = Math.floor((desired - shares) / lot + EPS) * lot;
      if (qty <= 0) {
        block(date, 'buy', 'lot');
        return true;
      }
      qty = Math.min(qty, Math.floor(cash / px / lot + EPS) * lot);
      while (qty > 0 && qty * px + totalFees(rules.fees('buy', qty, px, date, costs)) > cash + EPS)
        qty -= lot;
      if (qty <= 0) {
        block(date, 'buy', 'cash');
        return true;
      }
      trade(date, 'buy', qty, px, 'signal');
      return true;
    }
    if (desired < shares - EPS) {
      if (open <= down + EPS) {
        block(date, 'sell', 'limit-down');
        return false;
      }
      const sellable = shares - (rules.settlementDays > 0 ? boughtToday : 0);
      const qty = t <= 0 ? sellable : Math.min(sellable, Math.floor((shares - desired) / lot + EPS) * lot);
      if (qty <= 0) {
        block(date, 'sell', sellable <= 0 ? 't+1' : 'lot');
        return sellable > 0;
      }
      trade(date, 'sell', qty, Math.max(open * (1 - slip), down), 'signal');
      return qty === sellable || t > 0;
    }
    return true;
  };

  // today's limit prices, computed only when something may trade (no closure is created per bar: tsx's
  // keepNames makes each one costly)
  let up = Number.POSITIVE_INFINITY;
  let down = 0;
  let limitsFor = Number.NaN;
  const setLimits = () => {
    if (limitPct === null || Number.isNaN(limitsFor)) return;
    up = roundToTick(limitsFor * (1 + limitPct), rules.tick);
    down = roundToTick(limitsFor * (1 - limitPct), rules.tick);
    limitsFor = Number.NaN;
  };

  for (let i = start; i < end; i++) {
    const date = dates[i] as string;
    const bar = bars[i];
    const tradable = bar != null && bar.volume > 0;
    if (tradable) {
      boughtToday = 0;
      // limit prices only matter when something may trade today (rounding them is the costly part)
      up = Number.POSITIVE_INFINITY;
      down = 0;
      limitsFor = Number.isNaN(lastClose) ? bar.open : lastClose;
      if (pending !== null) {
        setLimits();
        if (execute(date, pending, bar.open, up, down)) pending = null;
      }
      if (stop > 0 && shares > 0 && bar.low <= avgCost * (1 - stop) + EPS) {
        setLimits();
        const sellable = shares - (rules.settlementDays > 0 ? boughtToday : 0);
        if (sellable <= 0) {
          block(date, 'sell', 't+1');
          pending = 0;
        } else if (bar.high <= down + EPS) {
          block(date, 'sell', 'limit-down');
          pending = 0;
        } else {
          const trigger = Math.min(bar.open, avgCost * (1 - stop));
          trade(date, 'sell', sellable, Math.max(trigger * (1 - slip), down), 'stop');
          pending = shares > 0 ? 0 : null;
        }
      }
      lastClose = bar.close;
    } else if (pending !== null) {
      block(date, pending > 0 ? 'buy' : 'sell', 'suspended');
    } else if (bar) {
      lastClose = bar.close;
    }
    equity[i - start] = cash + shares * (Number.isNaN(lastClose) ? 0 : lastClose);
    held[i - start] = shares;
    const t = target[i] as number;
    if (tradable && !Number.isNaN(t) && t !== active) {
      active = t;
      pending = t;
    }
  }
  return { equity, shares: held, fills, blocked, roundTrips, cash, traded, costs: paid };
}
