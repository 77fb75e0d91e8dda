import type { DatabaseHandle } from '@investiq/db';
import { dailyBars } from '@investiq/db/schema';
import { and, asc, gte, inArray, sql } from 'drizzle-orm';
import type { FreshnessOptions } from '../quotes/decide-freshness';
import { getLatestQuotes } from '../quotes/get-latest-quotes';
import { fxHistoryConverter, listFxHistory } from './fx-history';
import { listFxRates } from './fx-rates';
import { computeLedger, type TPosition } from './ledger';
import { ownedPortfolio, readTransactions } from './portfolios';
import { findFxRate, valuePortfolio, valueSeries } from './value-portfolio';

export async function getPortfolioView(
  db: DatabaseHandle,
  userId: string,
  id: string,
  opts: { maxAgeSeconds: number; now: Date; freshness?: FreshnessOptions },
) {
  const p = await ownedPortfolio(db.db, userId, id);
  const txs = await readTransactions(db.db, id);
  const ledger = computeLedger(txs);
  const open = ledger.positions.filter((x) => x.quantity > 0);
  const refs = open.map((x) => ({ market: x.market, symbol: x.symbol }));
  const latest = await getLatestQuotes(db, refs, opts.maxAgeSeconds, opts.now, opts.freshness);
  const stale = latest.filter((l) => l.status === 'stale');
  const lastPrices = new Map<string, { price: number; ts: string }>();
  if (stale.length > 0) {
    // the newest price whatever its age, for showing a stale holding as "last seen", never as current
    const any = await getLatestQuotes(db, stale, 10 * 365 * 24 * 3600, opts.now, opts.freshness);
    for (const a of any)
      if (a.status === 'fresh' || a.status === 'delayed' || a.status === 'closed')
        lastPrices.set(`${a.market}:${a.symbol}`, { price: a.quote.price, ts: a.quote.ts });
  }
  const rates = await listFxRates(db);
  const { holdings, totals } = valuePortfolio(ledger.positions, latest, lastPrices, rates, p.baseCurrency);
  const currencies = [...new Set(ledger.positions.map((x) => x.currency))].filter(
    (c) => c !== p.baseCurrency,
  );
  return {
    portfolio: p,
    holdings,
    closed: ledger.positions.filter((x) => x.quantity <= 0),
    totals,
    fx: currencies.map((c) => findFxRate(rates, c, p.baseCurrency)),
    notes: ledger.notes,
    checkedAt: opts.now.toISOString(),
  };
}

/** Daily portfolio value in the base currency from stored daily closes (see valueSeries). */
export async function getPortfolioHistory(
  db: DatabaseHandle,
  userId: string,
  id: string,
  opts: { days: number; now: Date },
) {
  const p = await ownedPortfolio(db.db, userId, id);
  const txs = await readTransactions(db.db, id);
  if (txs.length === 0)
    return {
      baseCurrency: p.baseCurrency,
      points: [],
      fxAsOf: null as string | null,
      missingFx: [] as string[],
      fxLaterRateUntil: null as string | null,
    };
  const first = txs[0]!.tradeDate;
  const from = new Date(opts.now.getTime() - opts.days * 86_400_000).toISOString().slice(0, 10);
  const start = first > from ? first : from;
  const keys = [...new Set(txs.map((t) => `${t.market}:${t.symbol}`))];
  const bars = await db.db
    .select({
      market: dailyBars.market,
      symbol: dailyBars.symbol,
      date: dailyBars.date,
      close: dailyBars.close,
    })
    .from(dailyBars)
    .where(
      and(inArray(sql`${dailyBars.market} || ':' || ${dailyBars.symbol}`, keys), gte(dailyBars.date, start)),
    )
    .orderBy(asc(dailyBars.date));
  const closes = new Map<string, [string, number][]>();
  const dates = new Set<string>();
  for (const b of bars) {
    const k = `${b.market}:${b.symbol}`;
    const d = String(b.date).slice(0, 10);
    dates.add(d);
    let list = closes.get(k);
    if (!list) {
      list = [];
      closes.set(k, list);
    }
    list.push([d, Number(b.close)]);
  }
  // each day at that day's FX rate (fx_rates keeps every as-of)
  const fx = fxHistoryConverter(await listFxHistory(db), p.baseCurrency);
  const sortedDates = [...dates].sort();
  const positionsAt = (d: string): TPosition[] =>
    computeLedger(txs.filter((t) => t.tradeDate <= d)).positions;
  const closeOnOrBefore = (k: string, d: string) => {
    const list = closes.get(k);
    if (!list) return null;
    let c: number | null = null;
    for (const [x, v] of list) {
      if (x > d) break;
      c = v;
    }
    return c;
  };
  const points = valueSeries(sortedDates, positionsAt, closeOnOrBefore, fx.rate);
  return { baseCurrency: p.baseCurrency, points, ...fx.summary() };
}
