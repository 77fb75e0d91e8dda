import type { TMarket } from '@investiq/contracts';
import { isTradingDay, MARKET_CALENDAR, marketDate, previousTradingDay } from '@investiq/market';
import { DateTime } from 'luxon';

/** One occurrence of a schedule: the market-local trading date and the instant its local time falls on. */
export interface ScheduleSlot {
  date: string;
  at: Date;
}

const TIME_RE = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

/** `HH:MM` wall-clock time in the market's zone on local `date` (a DST gap moves it forward, as luxon does). */
export function slotInstant(market: TMarket, date: string, localTime: string): Date {
  const m = TIME_RE.exec(localTime);
  if (!m) throw new RangeError(`local time '${localTime}' is not HH:MM`);
  return DateTime.fromISO(date, { zone: MARKET_CALENDAR[market].zone })
    .set({ hour: Number(m[1]), minute: Number(m[2]), second: 0, millisecond: 0 })
    .toJSDate();
}

/**
 * The newest slot at or before `now`: today's (market-local) when today trades and its time has passed,
 * else the previous trading day's. Weekends and exchange holidays have no slot.
 */
export function latestSlot(market: TMarket, localTime: string, now: Date): ScheduleSlot {
  const today = marketDate(market, now);
  if (isTradingDay(market, today)) {
    const at = slotInstant(market, today, localTime);
    if (at.getTime() <= now.getTime()) return { date: today, at };
  }
  const prev = previousTradingDay(market, today);
  return { date: prev, at: slotInstant(market, prev, localTime) };
}

/** The first slot strictly after `now` (what the UI shows as "next run"). */
export function nextSlot(market: TMarket, localTime: string, now: Date): ScheduleSlot {
  let d = DateTime.fromISO(marketDate(market, now), { zone: 'UTC' });
  for (let i = 0; i < 370; i++) {
    const date = d.toISODate()!;
    if (isTradingDay(market, date)) {
      const at = slotInstant(market, date, localTime);
      if (at.getTime() > now.getTime()) return { date, at };
    }
    d = d.plus({ days: 1 });
  }
  throw new RangeError(`no ${market} trading day within a year after ${now.toISOString()}`);
}

/**
 * Whether a schedule whose newest claimed slot is `lastSlot` has a slot to run at `now`, and which: only the
 * newest one, so after a long stop the missed slots are caught up once, not one run per missed day.
 */
export function dueSlot(
  market: TMarket,
  localTime: string,
  lastSlot: string | null,
  now: Date,
): ScheduleSlot | null {
  const slot = latestSlot(market, localTime, now);
  return lastSlot !== null && slot.date <= lastSlot ? null : slot;
}
