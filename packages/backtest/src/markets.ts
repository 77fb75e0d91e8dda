import type { BacktestMarket, Instrument, Side, TCosts } from './types';

export interface FeeBreakdown {
  commission: number;
  stampDuty: number;
  otherFees: number;
}

/**
 * What a market's rules do to an order. One descriptor per market; the engine knows nothing market-specific.
 * Sources (rates in force on the dates given; a run uses the rate in force on each trade's date):
 * - CN: SSE/SZSE rules — 100-share lots for buys, T+1, daily limits ±10 % (ChiNext 300xxx / STAR 688xxx
 *   ±20 %, ST ±5 %, BSE ±30 %); stamp duty on sells only, 0.1 % until 2023-08-27 and 0.05 % from
 *   2023-08-28; transfer fee 0.001 % both sides.
 * - HK: board lots per stock; stamp duty on both sides, 0.13 % until 2023-11-16 and 0.1 % from 2023-11-17,
 *   rounded up to a whole dollar; trading fee 0.00565 % + SFC levy 0.0027 % + AFRC levy 0.00015 % both sides;
 *   no price limits, T+0.
 * - US: 1-share lots, no limits, T+0 for the backtest (cash account settlement is not modelled); broker fee per
 *   share with a minimum per order, capped at 1 % of the order value (IBKR "fixed" style).
 */
export interface MarketRules {
  market: BacktestMarket;
  currency: string;
  /** Shares per lot for buys (sells may close an odd remainder). */
  lotSize(inst: Instrument): number;
  /** 1 = shares bought today can be sold from the next trading day (A-shares), 0 = same day. */
  settlementDays: 0 | 1;
  /** Daily price limit as a fraction of the previous close, or null for none. */
  priceLimit(inst: Instrument): number | null;
  /** Tick used to round limit prices. */
  tick: number;
  defaultCosts: TCosts;
  fees(side: Side, shares: number, price: number, date: string, costs: TCosts): FeeBreakdown;
}

const commission = (value: number, c: TCosts): number =>
  value > 0 ? Math.max((value * c.commissionBps) / 10_000, c.minCommission) : 0;

/** Stamp duty halved to 0.05 % on 2023-08-28 (Ministry of Finance announcement 2023 No. 39). */
export function cnStampDutyRate(date: string): number {
  return date >= '2023-08-28' ? 0.0005 : 0.001;
}

/** Cut to 0.1 % on 2023-11-17 (Stamp Duty (Amendment) Ordinance 2023). */
export function hkStampDutyRate(date: string): number {
  return date >= '2023-11-17' ? 0.001 : 0.0013;
}

export const CN_TRANSFER_FEE = 0.00001;
/** Trading fee 0.00565 % + SFC levy 0.0027 % + AFRC levy 0.00015 %. */
export const HK_EXCHANGE_FEES = 0.0000565 + 0.000027 + 0.0000015;

/** Board lots of the demo HK names (HKEX); anything else defaults to 100 unless the run overrides it. */
const HK_BOARD_LOTS: Record<string, number> = {
  '0700.HK': 100,
  '9988.HK': 100,
  '0005.HK': 400,
  '1299.HK': 200,
};

export function isCnSt(inst: Instrument): boolean {
  return /^\*?S?\*?ST/i.test((inst.name ?? '').trim());
}

export function cnPriceLimit(inst: Instrument): number {
  const code = inst.symbol.slice(0, 6);
  if (isCnSt(inst)) return 0.05;
  if (inst.symbol.endsWith('.BJ')) return 0.3;
  if (code.startsWith('300') || code.startsWith('301') || code.startsWith('688') || code.startsWith('689'))
    return 0.2;
  return 0.1;
}

export const MARKET_RULES: Record<BacktestMarket, MarketRules> = {
  CN: {
    market: 'CN',
    currency: 'CNY',
    lotSize: () => 100,
    settlementDays: 1,
    priceLimit: cnPriceLimit,
    tick: 0.01,
    defaultCosts: { commissionBps: 2.5, minCommission: 5, slippageBps: 5, perShare: 0, perShareMin: 0 },
    fees(side, shares, price, date, c) {
      const value = shares * price;
      return {
        commission: commission(value, c),
        stampDuty: side === 'sell' ? value * cnStampDutyRate(date) : 0,
        otherFees: value * CN_TRANSFER_FEE,
      };
    },
  },
  HK: {
    market: 'HK',
    currency: 'HKD',
    lotSize: (inst) => HK_BOARD_LOTS[inst.symbol] ?? 100,
    settlementDays: 0,
    priceLimit: () => null,
    tick: 0.001,
    defaultCosts: { commissionBps: 3, minCommission: 50, slippageBps: 5, perShare: 0, perShareMin: 0 },
    fees(_side, shares, price, date, c) {
      const value = shares * price;
      return {
        commission: commission(value, c),
        // rounded up to the nearest whole dollar (IRD stamp duty on stock transfers)
        stampDuty: value > 0 ? Math.ceil(value * hkStampDutyRate(date) - 1e-9) : 0,
        otherFees: value * HK_EXCHANGE_FEES,
      };
    },
  },
  US: {
    market: 'US',
    currency: 'USD',
    lotSize: () => 1,
    settlementDays: 0,
    priceLimit: () => null,
    tick: 0.01,
    defaultCosts: { commissionBps: 0, minCommission: 0, slippageBps: 5, perShare: 0.005, perShareMin: 1 },
    fees(_side, shares, price, _date, c) {
      const value = shares * price;
      const perShare =
        shares > 0 && c.perShare > 0
          ? Math.min(Math.max(shares * c.perShare, c.perShareMin), value * 0.01)
          : 0;
      return {
        commission: c.commissionBps > 0 ? commission(value, c) : 0,
        stampDuty: 0,
        otherFees: perShare,
      };
    },
  },
};

export function totalFees(f: FeeBreakdown): number {
  return f.commission + f.stampDuty + f.otherFees;
}

/** Limit price rounded to the market tick (exchanges round to the nearest tick). */
export function roundToTick(x: number, tick: number): number {
  return Number((Math.round(x / tick) * tick).toFixed(6));
}
