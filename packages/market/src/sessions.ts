import type { TMarket } from '@investiq/contracts';
import { DateTime } from 'luxon';
import { calendarDay } from './calendars';

type Sessions = readonly (readonly [number, number])[];

/**
 * Exchange time zone and continuous-trading sessions (local wall-clock minutes since midnight); half days
 * trade only `halfDaySessions`. Which days trade comes from the holiday tables in calendars/.
 */
export const MARKET_CALENDAR: Record<
  TMarket,
  { zone: string; sessions: Sessions; halfDaySessions: Sessions }
> = {
  // SSE/SZSE: 09:30–11:30, 13:00–15:00 China Standard Time (no half days)
  CN: {
    zone: 'Asia/Shanghai',
    sessions: [
      [9 * 60 + 30, 11 * 60 + 30],
      [13 * 60, 15 * 60],
    ],
    halfDaySessions: [
      [9 * 60 + 30, 11 * 60 + 30],
      [13 * 60, 15 * 60],
    ],
  },
  // HKEX: 09:30–12:00, 13:00–16:00 Hong Kong Time; half days (eves of LNY, Christmas, New Year): morning only
  HK: {
    zone: 'Asia/Hong_Kong',
    sessions: [
      [9 * 60 + 30, 12 * 60],
      [13 * 60, 16 * 60],
    ],
    halfDaySessions: [[9 * 60 + 30, 12 * 60]],
  },
  // NYSE/Nasdaq regular session: 09:30–16:00 America/New_York (DST handled by the zone); early close 13:00
  US: {
    zone: 'America/New_York',
    sessions: [[9 * 60 + 30, 16 * 60]],
    halfDaySessions: [[9 * 60 + 30, 13 * 60]],
  },
};

/** Local trading date (`YYYY-MM-DD`) of an instant in the market's zone. */
export function marketDate(market: TMarket, at: Date): string {
  return DateTime.fromJSDate(at, { zone: MARKET_CALENDAR[market].zone }).toISODate()!;
}

export function isWeekday(isoDate: string): boolean {
  const wd = DateTime.fromISO(isoDate, { zone: 'UTC' }).weekday;
  return wd <= 5;
}

/** Whether the exchange trades on local `date` (`YYYY-MM-DD`): not a weekend, not a holiday. */
export function isTradingDay(market: TMarket, date: string): boolean {
  const kind = calendarDay(market, date).kind;
  return kind === 'regular' || kind === 'half_day';
}

/** The last trading day strictly before local `date` (`YYYY-MM-DD`). */
export function previousTradingDay(market: TMarket, date: string): string {
  let d = DateTime.fromISO(date, { zone: 'UTC' });
  for (let i = 0; i < SEARCH_DAYS; i++) {
    d = d.minus({ days: 1 });
    const iso = d.toISODate()!;
    if (isTradingDay(market, iso)) return iso;
  }
  throw new RangeError(`no ${market} trading day within ${SEARCH_DAYS} days before ${date}`);
}

/** The sessions of local `date` (minutes since local midnight); empty on weekends and holidays. */
export function sessionsOn(market: TMarket, date: string): Sessions {
  const kind = calendarDay(market, date).kind;
  if (kind === 'regular') return MARKET_CALENDAR[market].sessions;
  if (kind === 'half_day') return MARKET_CALENDAR[market].halfDaySessions;
  return [];
}

const totalOf = (sessions: Sessions) => sessions.reduce((s, [a, b]) => s + (b - a) * 60, 0);

/**
 * Seconds of continuous trading elapsed on the market's local day at `at`, and that day's session length.
 * Weekends and exchange holidays have no session (elapsed 0, the regular length as `total`); half days
 * have a shorter `total`.
 */
export function tradingClock(
  market: TMarket,
  at: Date,
): { date: string; elapsed: number; total: number; open: boolean } {
  const cal = MARKET_CALENDAR[market];
  const local = DateTime.fromJSDate(at, { zone: cal.zone });
  const date = local.toISODate()!;
  const sessions = sessionsOn(market, date);
  if (sessions.length === 0) return { date, elapsed: 0, total: totalOf(cal.sessions), open: false };
  const secOfDay = local.hour * 3600 + local.minute * 60 + local.second;
  let elapsed = 0;
  let open = false;
  for (const [a, b] of sessions) {
    const start = a * 60;
    const end = b * 60;
    if (secOfDay >= end) elapsed += end - start;
    else if (secOfDay >= start) {
      elapsed += secOfDay - start;
      open = true;
    }
  }
  return { date, elapsed, total: totalOf(sessions), open };
}

/**
 * The instant at which `elapsed` trading seconds had passed on local `date` (that day's sessions; the
 * regular sessions when `date` does not trade). Past the last session: its close.
 */
export function instantOfTradingSecond(market: TMarket, date: string, elapsed: number): Date {
  const cal = MARKET_CALENDAR[market];
  const own = sessionsOn(market, date);
  const sessions = own.length > 0 ? own : cal.sessions;
  const midnight = DateTime.fromISO(date, { zone: cal.zone }).startOf('day');
  let rest = elapsed;
  for (const [a, b] of sessions) {
    const len = (b - a) * 60;
    if (rest <= len) return midnight.plus({ seconds: a * 60 + rest }).toJSDate();
    rest -= len;
  }
  const last = sessions[sessions.length - 1]!;
  return midnight.plus({ minutes: last[1] }).toJSDate();
}

export function isMarketOpen(market: TMarket, at: Date): boolean {
  return tradingClock(market, at).open;
}

/** How far nextOpen/lastClose look for a trading day (longest closures are ~10 days; tables may be sparse). */
const SEARCH_DAYS = 370;

function sessionInstants(market: TMarket, date: string): { open: Date; close: Date }[] {
  const midnight = DateTime.fromISO(date, { zone: MARKET_CALENDAR[market].zone }).startOf('day');
  // plus({ minutes }) on a zoned DateTime keeps wall-clock time across DST changes of that day
  return sessionsOn(market, date).map(([a, b]) => ({
    open: midnight.set({ hour: Math.floor(a / 60), minute: a % 60 }).toJSDate(),
    close: midnight.set({ hour: Math.floor(b / 60), minute: b % 60 }).toJSDate(),
  }));
}

/** Start of the first session that begins strictly after `at` (the afternoon session during a lunch break). */
export function nextOpen(market: TMarket, at: Date): Date {
  let day = DateTime.fromJSDate(at, { zone: MARKET_CALENDAR[market].zone }).startOf('day');
  for (let i = 0; i < SEARCH_DAYS; i++, day = day.plus({ days: 1 })) {
    for (const s of sessionInstants(market, day.toISODate()!)) if (s.open > at) return s.open;
  }
  throw new RangeError(`no ${market} session within ${SEARCH_DAYS} days after ${at.toISOString()}`);
}

/** End of the last session that ended at or before `at` (the morning close during a lunch break). */
export function lastClose(market: TMarket, at: Date): Date {
  let day = DateTime.fromJSDate(at, { zone: MARKET_CALENDAR[market].zone }).startOf('day');
  for (let i = 0; i < SEARCH_DAYS; i++, day = day.minus({ days: 1 })) {
    const sessions = sessionInstants(market, day.toISODate()!);
    for (let j = sessions.length - 1; j >= 0; j--) if (sessions[j]!.close <= at) return sessions[j]!.close;
  }
  throw new RangeError(`no ${market} session within ${SEARCH_DAYS} days before ${at.toISOString()}`);
}

export type MarketPhase = 'open' | 'break' | 'pre_open' | 'after_close' | 'non_trading_day';

/**
 * Where the market stands at `at`: open, in a midday break, before the first or after the last session
 * of a trading day, or on a weekend/holiday — with the surrounding close and open instants.
 */
export function marketPhase(
  market: TMarket,
  at: Date,
): { phase: MarketPhase; date: string; lastClose: Date; nextOpen: Date } {
  const date = marketDate(market, at);
  const sessions = sessionInstants(market, date);
  const last = lastClose(market, at);
  const next = nextOpen(market, at);
  let phase: MarketPhase;
  if (sessions.length === 0) phase = 'non_trading_day';
  else if (sessions.some((s) => s.open <= at && at < s.close)) phase = 'open';
  else if (at < sessions[0]!.open) phase = 'pre_open';
  else if (at >= sessions[sessions.length - 1]!.close) phase = 'after_close';
  else phase = 'break';
  return { phase, date, lastClose: last, nextOpen: next };
}
