import type { TMarket } from '@investiq/contracts';
import { DateTime } from 'luxon';

/** Exchange time zone and continuous-trading sessions (local wall-clock minutes since midnight). */
export const MARKET_CALENDAR: Record<TMarket, { zone: string; sessions: readonly [number, number][] }> = {
  // SSE/SZSE: 09:30–11:30, 13:00–15:00 China Standard Time
  CN: {
    zone: 'Asia/Shanghai',
    sessions: [
      [9 * 60 + 30, 11 * 60 + 30],
      [13 * 60, 15 * 60],
    ],
  },
  // HKEX: 09:30–12:00, 13:00–16:00 Hong Kong Time
  HK: {
    zone: 'Asia/Hong_Kong',
    sessions: [
      [9 * 60 + 30, 12 * 60],
      [13 * 60, 16 * 60],
    ],
  },
  // NYSE/Nasdaq regular session: 09:30–16:00 America/New_York (DST handled by the zone)
  US: { zone: 'America/New_York', sessions: [[9 * 60 + 30, 16 * 60]] },
};

/** Local trading date (`YYYY-MM-DD`) of an instant in the market's zone. */
export function marketDate(market: TMarket, at: Date): string {
  return DateTime.fromJSDate(at, { zone: MARKET_CALENDAR[market].zone }).toISODate()!;
}

export function isWeekday(isoDate: string): boolean {
  const wd = DateTime.fromISO(isoDate, { zone: 'UTC' }).weekday;
  return wd <= 5;
}

/**
 * Seconds of continuous trading elapsed on the market's local day at `at`, and the session length.
 * Weekends have no session (exchange holidays are not modelled).
 */
export function tradingClock(
  market: TMarket,
  at: Date,
): { date: string; elapsed: number; total: number; open: boolean } {
  const cal = MARKET_CALENDAR[market];
  const local = DateTime.fromJSDate(at, { zone: cal.zone });
  const date = local.toISODate()!;
  const total = cal.sessions.reduce((s, [a, b]) => s + (b - a) * 60, 0);
  if (local.weekday > 5) return { date, elapsed: 0, total, open: false };
  const secOfDay = local.hour * 3600 + local.minute * 60 + local.second;
  let elapsed = 0;
  let open = false;
  for (const [a, b] of cal.sessions) {
    const start = a * 60;
    const end = b * 60;
    if (secOfDay >= end) elapsed += end - start;
    else if (secOfDay >= start) {
      elapsed += secOfDay - start;
      open = true;
    }
  }
  return { date, elapsed, total, open };
}

/** The instant at which `elapsed` trading seconds had passed on local `date`. */
export function instantOfTradingSecond(market: TMarket, date: string, elapsed: number): Date {
  const cal = MARKET_CALENDAR[market];
  let rest = elapsed;
  for (const [a, b] of cal.sessions) {
    const len = (b - a) * 60;
    if (rest <= len) {
      return DateTime.fromISO(date, { zone: cal.zone })
        .startOf('day')
        .plus({ seconds: a * 60 + rest })
        .toJSDate();
    }
    rest -= len;
  }
  const last = cal.sessions[cal.sessions.length - 1]!;
  return DateTime.fromISO(date, { zone: cal.zone }).startOf('day').plus({ minutes: last[1] }).toJSDate();
}

export function isMarketOpen(market: TMarket, at: Date): boolean {
  return tradingClock(market, at).open;
}
