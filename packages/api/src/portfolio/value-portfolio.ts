import type { TLatestQuote } from '@investiq/contracts';
import { round6, type TPosition } from './ledger';

/** 1 `base` = `rate` `quote` as of `asOf`. */
export interface TFxRate {
  base: string;
  quote: string;
  rate: number;
  asOf: string;
  source: string;
}

/** How one currency converts into the portfolio's base currency (null rate: no rate known). */
export interface TFxUse {
  from: string;
  to: string;
  rate: number | null;
  asOf: string | null;
  source: string | null;
}

/** The quote's freshness answer: `closed` values at the last close, `delayed` at the source's delayed price. */
export type THoldingStatus = 'fresh' | 'delayed' | 'closed' | 'stale' | 'missing';
const PRICED: ReadonlySet<THoldingStatus> = new Set(['fresh', 'delayed', 'closed']);

export interface THolding extends TPosition {
  status: THoldingStatus;
  /** Fresh price, or for a stale holding the last price seen (never presented as current). */
  price: number | null;
  priceAsOf: string | null;
  /** Stale: when the last price was seen. */
  lastSeenAt: string | null;
  marketValue: number | null;
  dayPnl: number | null;
  unrealisedPnl: number | null;
  /** unrealised + realised + dividends */
  totalPnl: number | null;
  fx: TFxUse;
  /** In the base currency; null when the price or the FX rate is unavailable. */
  marketValueBase: number | null;
  dayPnlBase: number | null;
  totalPnlBase: number | null;
  /** Share of the current (fresh) market value; null when not part of the current totals. */
  weight: number | null;
}

export interface TPortfolioTotals {
  baseCurrency: string;
  /** Sums over holdings with a fresh price and a known FX rate only. */
  marketValue: number;
  costBasis: number;
  dayPnl: number;
  unrealisedPnl: number;
  /** Realised P&L and dividends of every position (closed ones included) with a known FX rate. */
  realisedPnl: number;
  dividends: number;
  totalPnl: number;
  /** Holdings left out of the current totals, and why. */
  excluded: { market: string; symbol: string; reason: 'stale' | 'missing' | 'fx-unavailable' }[];
}

/** The rate converting `from` into `to`: direct, inverse, or null (never guessed). Newest as-of wins. */
export function findFxRate(rates: readonly TFxRate[], from: string, to: string): TFxUse {
  if (from === to) return { from, to, rate: 1, asOf: null, source: null };
  let best: TFxUse | null = null;
  for (const r of rates) {
    let rate: number | null = null;
    if (r.base === from && r.quote === to) rate = r.rate;
    else if (r.base === to && r.quote === from && r.rate > 0) rate = 1 / r.rate;
    if (rate === null) continue;
    if (!best || (best.asOf ?? '') < r.asOf) best = { from, to, rate, asOf: r.asOf, source: r.source };
  }
  return best ?? { from, to, rate: null, asOf: null, source: null };
}

/**
 * Value positions with the freshness contract: a fresh quote values a holding currently; a stale one values it
 * at the last price seen, marked stale and left out of the current totals; a missing one has no value.
 * `lastPrices` are the newest prices regardless of age (for the stale display only).
 */
export function valuePortfolio(
  positions: readonly TPosition[],
  latest: readonly TLatestQuote[],
  lastPrices: ReadonlyMap<string, { price: number; ts: string }>,
  rates: readonly TFxRate[],
  baseCurrency: string,
): { holdings: THolding[]; totals: TPortfolioTotals } {
  const byKey = new Map(latest.map((l) => [`${l.market}:${l.symbol}`, l]));
  const totals: TPortfolioTotals = {
    baseCurrency,
    marketValue: 0,
    costBasis: 0,
    dayPnl: 0,
    unrealisedPnl: 0,
    realisedPnl: 0,
    dividends: 0,
    totalPnl: 0,
    excluded: [],
  };
  const holdings: THolding[] = [];
  for (const p of positions) {
    const key = `${p.market}:${p.symbol}`;
    const fx = findFxRate(rates, p.currency, baseCurrency);
    if (fx.rate !== null) {
      totals.realisedPnl += p.realisedPnl * fx.rate;
      totals.dividends += p.dividends * fx.rate;
    }
    if (p.quantity <= 0) continue;
    const l = byKey.get(key);
    let status: THoldingStatus = l?.status ?? 'missing';
    let price: number | null = null;
    let priceAsOf: string | null = null;
    let lastSeenAt: string | null = null;
    let dayPnl: number | null = null;
    if (l && (l.status === 'fresh' || l.status === 'delayed' || l.status === 'closed')) {
      price = l.quote.price;
      priceAsOf = l.quote.ts;
      dayPnl = l.quote.prevClose !== null ? p.quantity * (l.quote.price - l.quote.prevClose) : null;
    } else if (l?.status === 'stale') {
      lastSeenAt = l.lastSeenAt;
      const last = lastPrices.get(key);
      if (last) {
        price = last.price;
        priceAsOf = last.ts;
      }
    } else status = 'missing';
    const marketValue = price === null ? null : p.quantity * price;
    const unrealisedPnl = marketValue === null ? null : marketValue - p.costBasis;
    const totalPnl = unrealisedPnl === null ? null : unrealisedPnl + p.realisedPnl + p.dividends;
    const conv = (x: number | null) => (x === null || fx.rate === null ? null : round6(x * fx.rate));
    const h: THolding = {
      ...p,
      status,
      price,
      priceAsOf,
      lastSeenAt,
      marketValue: marketValue === null ? null : round6(marketValue),
      dayPnl: dayPnl === null ? null : round6(dayPnl),
      unrealisedPnl: unrealisedPnl === null ? null : round6(unrealisedPnl),
      totalPnl: totalPnl === null ? null : round6(totalPnl),
      fx,
      marketValueBase: conv(marketValue),
      dayPnlBase: conv(dayPnl),
      totalPnlBase: conv(totalPnl),
      weight: null,
    };
    holdings.push(h);
    if (status === 'stale' || status === 'missing')
      totals.excluded.push({ market: p.market, symbol: p.symbol, reason: status });
    else if (fx.rate === null)
      totals.excluded.push({ market: p.market, symbol: p.symbol, reason: 'fx-unavailable' });
    else {
      totals.marketValue += marketValue! * fx.rate;
      totals.costBasis += p.costBasis * fx.rate;
      totals.dayPnl += (dayPnl ?? 0) * fx.rate;
      totals.unrealisedPnl += unrealisedPnl! * fx.rate;
    }
  }
  for (const h of holdings)
    if (PRICED.has(h.status) && h.marketValueBase !== null && totals.marketValue > 0)
      h.weight = round6(h.marketValueBase / totals.marketValue);
  totals.totalPnl = totals.unrealisedPnl + totals.realisedPnl + totals.dividends;
  for (const k of [
    'marketValue',
    'costBasis',
    'dayPnl',
    'unrealisedPnl',
    'realisedPnl',
    'dividends',
    'totalPnl',
  ] as const)
    totals[k] = round6(totals[k]);
  return { holdings, totals };
}

/**
 * Portfolio value per day from daily closes: positions replayed up to each date, each valued at its last close
 * on or before that date, converted at the FX rate of that date (fx-history.ts).
 */
export function valueSeries(
  dates: readonly string[],
  positionsAt: (date: string) => readonly TPosition[],
  closeOnOrBefore: (key: string, date: string) => number | null,
  fxRate: (currency: string, date: string) => number | null,
): { date: string; value: number }[] {
  const out: { date: string; value: number }[] = [];
  for (const d of dates) {
    let v = 0;
    let ok = true;
    for (const p of positionsAt(d)) {
      if (p.quantity <= 0) continue;
      const c = closeOnOrBefore(`${p.market}:${p.symbol}`, d);
      const r = fxRate(p.currency, d);
      if (c === null || r === null) {
        ok = false;
        break;
      }
      v += p.quantity * c * r;
    }
    if (ok) out.push({ date: d, value: round6(v) });
  }
  return out;
}
