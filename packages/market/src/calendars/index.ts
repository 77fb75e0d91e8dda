import type { TMarket } from '@investiq/contracts';
import type { TradeCalendarDay } from '../provider';
import { CN_HOLIDAYS } from './cn';
import { HK_HOLIDAYS } from './hk';
import type { ExchangeHolidayTable } from './types';
import { US_HOLIDAYS } from './us';

export type { ExchangeHolidayTable, HolidayYear } from './types';
export { CN_HOLIDAYS, HK_HOLIDAYS, US_HOLIDAYS };

/** The shipped holiday tables (docs/calendars.md says how to add a year). */
export const HOLIDAY_TABLES: Record<TMarket, ExchangeHolidayTable> = {
  CN: CN_HOLIDAYS,
  HK: HK_HOLIDAYS,
  US: US_HOLIDAYS,
};

export type DayKind = 'regular' | 'half_day' | 'holiday' | 'weekend';

export interface CalendarDayInfo {
  date: string;
  kind: DayKind;
  /** Holiday or half-day name from the table, when there is one. */
  name?: string;
  /** Where the answer comes from: the shipped table, a provider override (Tushare trade_cal) or the weekday rule. */
  basis: 'table' | 'override' | 'weekday_rule';
}

interface Index {
  holidays: Map<string, string>;
  halfDays: Map<string, string>;
  years: Set<number>;
}

const indexes = new Map<TMarket, Index>();

function indexOf(market: TMarket): Index {
  let idx = indexes.get(market);
  if (!idx) {
    idx = { holidays: new Map(), halfDays: new Map(), years: new Set() };
    for (const y of HOLIDAY_TABLES[market].years) {
      idx.years.add(y.year);
      for (const [d, n] of Object.entries(y.holidays)) idx.holidays.set(d, n);
      for (const [d, n] of Object.entries(y.halfDays ?? {})) idx.halfDays.set(d, n);
    }
    indexes.set(market, idx);
  }
  return idx;
}

/** Provider calendars (e.g. Tushare `trade_cal`): date → open, taking precedence over the shipped table. */
const overrides = new Map<TMarket, Map<string, boolean>>();

/**
 * Replace the shipped open/closed answer of `market` for the dates in `days` (other dates keep the table).
 * Called with Tushare's `trade_cal` when it is configured (packages/api market/calendar-refresh.ts); an
 * empty list clears the override. Half days still come from the table when an overridden day is open.
 */
export function setCalendarOverride(market: TMarket, days: readonly TradeCalendarDay[]): void {
  if (days.length === 0) {
    overrides.delete(market);
    return;
  }
  const m = new Map<string, boolean>();
  for (const d of days) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date))
      throw new RangeError(`calendar day '${d.date}' is not YYYY-MM-DD`);
    m.set(d.date, d.open);
  }
  overrides.set(market, m);
}

/** Years the shipped table covers for `market`, ascending. */
export function calendarYears(market: TMarket): number[] {
  return [...indexOf(market).years].sort((a, b) => a - b);
}

function weekdayOf(date: string): number {
  // ISO weekday 1..7 of a `YYYY-MM-DD` calendar date (zone-free arithmetic)
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/**
 * What kind of day `date` (`YYYY-MM-DD`, exchange-local) is on `market`. Outside the years the table
 * covers, and without an override, every weekday counts as a regular trading day.
 */
export function calendarDay(market: TMarket, date: string): CalendarDayInfo {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`calendar date '${date}' is not YYYY-MM-DD`);
  const idx = indexOf(market);
  const over = overrides.get(market)?.get(date);
  const weekend = weekdayOf(date) > 5;
  if (over !== undefined) {
    if (!over) {
      const name = idx.holidays.get(date);
      return { date, kind: weekend ? 'weekend' : 'holiday', ...(name ? { name } : {}), basis: 'override' };
    }
    const half = idx.halfDays.get(date);
    return half
      ? { date, kind: 'half_day', name: half, basis: 'override' }
      : { date, kind: 'regular', basis: 'override' };
  }
  if (weekend) return { date, kind: 'weekend', basis: 'weekday_rule' };
  const holiday = idx.holidays.get(date);
  if (holiday) return { date, kind: 'holiday', name: holiday, basis: 'table' };
  const half = idx.halfDays.get(date);
  if (half) return { date, kind: 'half_day', name: half, basis: 'table' };
  const covered = idx.years.has(Number(date.slice(0, 4)));
  return { date, kind: 'regular', basis: covered ? 'table' : 'weekday_rule' };
}
