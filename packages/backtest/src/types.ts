import { z } from 'zod';

/** One daily bar. Prices are split/dividend-adjusted as stored (see README "Backtests"). */
export interface DailyBar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export const BACKTEST_MARKETS = ['CN', 'HK', 'US'] as const;
export type BacktestMarket = (typeof BACKTEST_MARKETS)[number];

/** The instrument a run trades: the market rules need the code (growth boards) and the name (ST). */
export interface Instrument {
  market: BacktestMarket;
  symbol: string;
  /** Display name; CN names starting with ST / *ST get the ±5 % limit. */
  name?: string;
}

/** Trading costs a user sets; market descriptors give the defaults. */
export const ZCosts = z.object({
  commissionBps: z
    .number({ error: 'commissionBps must be a number' })
    .min(0, 'commissionBps must be ≥ 0')
    .max(500, 'commissionBps must be ≤ 500'),
  minCommission: z
    .number({ error: 'minCommission must be a number' })
    .min(0, 'minCommission must be ≥ 0')
    .max(10_000, 'minCommission must be ≤ 10000'),
  slippageBps: z
    .number({ error: 'slippageBps must be a number' })
    .min(0, 'slippageBps must be ≥ 0')
    .max(1_000, 'slippageBps must be ≤ 1000'),
  /** US: fee per share (e.g. 0.005), with `perShareMin` per order and capped at 1 % of the order value. */
  perShare: z.number().min(0, 'perShare must be ≥ 0').max(1, 'perShare must be ≤ 1'),
  perShareMin: z.number().min(0, 'perShareMin must be ≥ 0').max(100, 'perShareMin must be ≤ 100'),
});
export type TCosts = z.infer<typeof ZCosts>;

export type Side = 'buy' | 'sell';

export interface Fill {
  date: string;
  side: Side;
  shares: number;
  /** Fill price after slippage (and capped at the price limit). */
  price: number;
  value: number;
  commission: number;
  stampDuty: number;
  /** Exchange/transfer/levy fees and US per-share fees. */
  otherFees: number;
  reason: 'signal' | 'stop';
}

export type BlockReason = 'limit-up' | 'limit-down' | 'suspended' | 't+1' | 'cash' | 'lot';

export interface Blocked {
  date: string;
  side: Side;
  reason: BlockReason;
}
