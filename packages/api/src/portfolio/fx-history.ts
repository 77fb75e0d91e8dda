import type { DatabaseHandle } from '@investiq/db';
import { findFxRate, type TFxRate } from './value-portfolio';

/** How a day of the value chart was converted into the base currency. */
export interface TFxDayUse {
  rate: number | null;
  asOf: string | null;
  /** true: no rate was known on that day, so the earliest later rate was used (the chart says so). */
  later: boolean;
}

/** Every stored FX rate (all as-of times), oldest first: the history the value chart converts with. */
export async function listFxHistory(db: DatabaseHandle): Promise<TFxRate[]> {
  const rows = await db.query<{
    base: string;
    quote: string;
    rate: string;
    as_of: Date | string;
    source: string;
  }>('SELECT base, quote, rate, as_of, source FROM fx_rates ORDER BY as_of, base, quote, source');
  return rows.map((r) => ({
    base: r.base,
    quote: r.quote,
    rate: Number(r.rate),
    asOf: new Date(r.as_of).toISOString(),
    source: r.source,
  }));
}

/**
 * The rate converting `from` into `to` on `date` (YYYY-MM-DD): the newest rate (direct or inverse) as of the end
 * of that day (UTC), so a past day is converted at that day's rate, not today's. Before the first stored rate of
 * the pair, the earliest rate is used and flagged `later`; no rate of the pair at all → null (never guessed).
 */
export function fxRateOn(rates: readonly TFxRate[], from: string, to: string, date: string): TFxDayUse {
  if (from === to) return { rate: 1, asOf: null, later: false };
  const endOfDay = `${date}T23:59:59.999Z`;
  const known = findFxRate(
    rates.filter((r) => r.asOf <= endOfDay),
    from,
    to,
  );
  if (known.rate !== null) return { rate: known.rate, asOf: known.asOf, later: false };
  let earliest: TFxRate | null = null;
  for (const r of rates) {
    const pair = (r.base === from && r.quote === to) || (r.base === to && r.quote === from && r.rate > 0);
    if (pair && (!earliest || r.asOf < earliest.asOf)) earliest = r;
  }
  if (!earliest) return { rate: null, asOf: null, later: false };
  const rate = earliest.base === from ? earliest.rate : 1 / earliest.rate;
  return { rate, asOf: earliest.asOf, later: true };
}

/**
 * A converter into `base` for the value chart: `rate(currency, date)` per day, recording the currencies with
 * no rate, the newest as-of used, and the days converted with a later rate (before the FX history starts).
 */
export function fxHistoryConverter(rates: readonly TFxRate[], base: string) {
  const missingFx: string[] = [];
  const laterDays = new Set<string>();
  let fxAsOf: string | null = null;
  return {
    rate(currency: string, date: string): number | null {
      const f = fxRateOn(rates, currency, base, date);
      if (f.rate === null && !missingFx.includes(currency)) missingFx.push(currency);
      if (f.later) laterDays.add(date);
      if (f.asOf && (!fxAsOf || f.asOf > fxAsOf)) fxAsOf = f.asOf;
      return f.rate;
    },
    summary() {
      const days = [...laterDays].sort();
      return {
        fxAsOf,
        missingFx,
        /** Days (if any) before the FX history begins, converted at the earliest rate known. */
        fxLaterRateUntil: days.length ? days[days.length - 1]! : null,
      };
    },
  };
}
