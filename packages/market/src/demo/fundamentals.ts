import { CURRENCY } from '@investiq/contracts';
import type { Fundamentals } from '../provider';
import { hashSeed, RandomStream } from './random';
import type { DemoInstrument } from './universe';

const between = (r: RandomStream, lo: number, hi: number) => lo + (hi - lo) * r.uniform();
const round = (x: number, d: number) => (d >= 0 ? Number(x.toFixed(d)) : Math.round(x / 10 ** -d) * 10 ** -d);

/**
 * Simulated annual statements for a demo instrument: deterministic per (seed, symbol, fiscal year), sized
 * from the instrument's epoch price so they do not move with the simulated tape; valuation ratios (PE, PB)
 * use `price`, the latest completed close. Clearly demo (`isDemo: true`).
 */
export function demoFundamentals(seed: number, inst: DemoInstrument, price: number, now: Date): Fundamentals {
  // Annual reports are out by the end of March: before April the latest full year is two years back.
  const year = now.getUTCFullYear() - (now.getUTCMonth() < 3 ? 2 : 1);
  const r = new RandomStream(hashSeed(seed, inst.symbol, year, 'fundamentals'));
  const shares = round(between(r, 1e9, 2e10), -6);
  const capAtEpoch = inst.basePrice * shares;
  const targetPe = between(r, 9, 38);
  const targetPb = between(r, 1.1, 9);
  const netIncome = capAtEpoch / targetPe;
  const netMargin = between(r, 0.06, 0.42);
  const revenue = netIncome / netMargin;
  const grossMargin = Math.min(0.95, netMargin + between(r, 0.12, 0.45));
  const operatingMargin = netMargin + (grossMargin - netMargin) * between(r, 0.25, 0.6);
  const equity = capAtEpoch / targetPb;
  const leverage = between(r, 0.3, 2.4);
  const totalLiabilities = equity * leverage;
  const eps = netIncome / shares;
  const bookPerShare = equity / shares;
  return {
    market: inst.market,
    symbol: inst.symbol,
    currency: CURRENCY[inst.market],
    fiscalPeriodEnd: `${year}-12-31`,
    asOf: `${year + 1}-03-31T00:00:00.000Z`,
    income: {
      revenue: round(revenue, -3),
      grossProfit: round(revenue * grossMargin, -3),
      operatingIncome: round(revenue * operatingMargin, -3),
      netIncome: round(netIncome, -3),
      eps: round(eps, 4),
    },
    balance: {
      totalAssets: round(equity + totalLiabilities, -3),
      totalLiabilities: round(totalLiabilities, -3),
      equity: round(equity, -3),
      cash: round(equity * between(r, 0.05, 0.5), -3),
      sharesOutstanding: shares,
    },
    ratios: {
      pe: eps > 0 ? round(price / eps, 4) : null,
      pb: bookPerShare > 0 ? round(price / bookPerShare, 4) : null,
      roe: round(netIncome / equity, 6),
      grossMargin: round(grossMargin, 6),
      operatingMargin: round(operatingMargin, 6),
      netMargin: round(netMargin, 6),
      revenueGrowth: round(between(r, -0.12, 0.35), 6),
      earningsGrowth: round(between(r, -0.25, 0.45), 6),
      debtToEquity: round(leverage, 6),
    },
    isDemo: true,
  };
}
