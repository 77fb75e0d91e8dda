import { afterEach, describe, expect, it } from 'vitest';
import {
  instantOfTradingSecond,
  isMarketOpen,
  isTradingDay,
  lastClose,
  marketPhase,
  nextOpen,
  previousTradingDay,
  sessionsOn,
  tradingClock,
} from '../sessions';
import { CN_HOLIDAYS, calendarDay, calendarYears, HK_HOLIDAYS, setCalendarOverride, US_HOLIDAYS } from '.';

afterEach(() => setCalendarOverride('CN', []));

describe('shipped holiday tables', () => {
  it('cover 2024–2027 for every market', () => {
    for (const m of ['CN', 'HK', 'US'] as const) expect(calendarYears(m)).toEqual([2024, 2025, 2026, 2027]);
  });

  it('list only weekdays, each inside its own year, with a source', () => {
    for (const table of [CN_HOLIDAYS, HK_HOLIDAYS, US_HOLIDAYS]) {
      for (const y of table.years) {
        expect(y.source.length).toBeGreaterThan(10);
        for (const d of [...Object.keys(y.holidays), ...Object.keys(y.halfDays ?? {})]) {
          expect(d.slice(0, 4)).toBe(String(y.year));
          const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
          expect([0, 6], `${d} is a weekend day`).not.toContain(wd);
        }
      }
    }
  });
});

describe('CN (SSE/SZSE)', () => {
  it('is closed for Spring Festival 2025 from Jan 28 to Feb 4 and reopens Feb 5', () => {
    expect(isTradingDay('CN', '2025-01-27')).toBe(true);
    for (const d of ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-03', '2025-02-04']) {
      expect(isTradingDay('CN', d), d).toBe(false);
      expect(calendarDay('CN', d)).toMatchObject({ kind: 'holiday', basis: 'table' });
    }
    // 2025-01-26 (Sun) and 2025-02-08 (Sat) are make-up working days, but the exchanges stay closed
    expect(isTradingDay('CN', '2025-01-26')).toBe(false);
    expect(isTradingDay('CN', '2025-02-08')).toBe(false);
    expect(isTradingDay('CN', '2025-02-05')).toBe(true);
  });

  it('nextOpen across the long holiday is Feb 5 09:30 Shanghai (01:30 UTC)', () => {
    // 2025-01-27 15:00 CST = 07:00 UTC, the last close before the holiday
    const after = new Date('2025-01-27T08:00:00Z');
    expect(nextOpen('CN', after).toISOString()).toBe('2025-02-05T01:30:00.000Z');
    expect(lastClose('CN', new Date('2025-02-03T04:00:00Z')).toISOString()).toBe('2025-01-27T07:00:00.000Z');
    expect(marketPhase('CN', new Date('2025-02-03T04:00:00Z')).phase).toBe('non_trading_day');
  });

  it('has a lunch break 11:30–13:00', () => {
    // 2025-03-04 (Tue) 11:30 CST = 03:30 UTC
    expect(isMarketOpen('CN', new Date('2025-03-04T03:29:59Z'))).toBe(true);
    expect(isMarketOpen('CN', new Date('2025-03-04T03:30:00Z'))).toBe(false);
    const lunch = new Date('2025-03-04T04:00:00Z');
    expect(marketPhase('CN', lunch)).toMatchObject({ phase: 'break' });
    expect(lastClose('CN', lunch).toISOString()).toBe('2025-03-04T03:30:00.000Z');
    expect(nextOpen('CN', lunch).toISOString()).toBe('2025-03-04T05:00:00.000Z');
    expect(tradingClock('CN', lunch)).toEqual({
      date: '2025-03-04',
      elapsed: 7200,
      total: 14400,
      open: false,
    });
  });

  it('takes a provider calendar (Tushare trade_cal) over the shipped table', () => {
    expect(isTradingDay('CN', '2025-02-05')).toBe(true);
    setCalendarOverride('CN', [
      { date: '2025-02-05', open: false },
      { date: '2025-01-28', open: true },
    ]);
    expect(isTradingDay('CN', '2025-02-05')).toBe(false);
    expect(calendarDay('CN', '2025-02-05').basis).toBe('override');
    expect(isTradingDay('CN', '2025-01-28')).toBe(true);
    // dates the override does not name keep the table
    expect(isTradingDay('CN', '2025-01-29')).toBe(false);
    expect(() => setCalendarOverride('CN', [{ date: '2025/02/05', open: true }])).toThrow(/YYYY-MM-DD/);
  });
});

describe('HK (HKEX)', () => {
  it('is closed for Lunar New Year 2025 (Jan 29–31) with a half day on the eve', () => {
    for (const d of ['2025-01-29', '2025-01-30', '2025-01-31']) expect(isTradingDay('HK', d), d).toBe(false);
    expect(calendarDay('HK', '2025-01-28').kind).toBe('half_day');
    expect(sessionsOn('HK', '2025-01-28')).toEqual([[570, 720]]);
    // 12:00 HKT = 04:00 UTC: the half day closes at noon, no afternoon session
    expect(isMarketOpen('HK', new Date('2025-01-28T03:59:00Z'))).toBe(true);
    expect(isMarketOpen('HK', new Date('2025-01-28T05:30:00Z'))).toBe(false);
    expect(nextOpen('HK', new Date('2025-01-28T05:30:00Z')).toISOString()).toBe('2025-02-03T01:30:00.000Z');
  });

  it('has a lunch break 12:00–13:00', () => {
    expect(isMarketOpen('HK', new Date('2025-03-04T04:30:00Z'))).toBe(false);
    expect(isMarketOpen('HK', new Date('2025-03-04T05:00:00Z'))).toBe(true);
  });
});

describe('US (NYSE/Nasdaq)', () => {
  it('is closed on Thanksgiving 2025 and closes at 13:00 the day after', () => {
    expect(isTradingDay('US', '2025-11-27')).toBe(false);
    expect(calendarDay('US', '2025-11-28')).toMatchObject({
      kind: 'half_day',
      name: 'Day after Thanksgiving',
    });
    // 2025-11-28 is EST (UTC-5): 12:59 → 17:59Z open, 13:00 → 18:00Z closed
    expect(isMarketOpen('US', new Date('2025-11-28T17:59:00Z'))).toBe(true);
    expect(isMarketOpen('US', new Date('2025-11-28T18:00:00Z'))).toBe(false);
    expect(lastClose('US', new Date('2025-11-28T20:00:00Z')).toISOString()).toBe('2025-11-28T18:00:00.000Z');
    expect(tradingClock('US', new Date('2025-11-28T20:00:00Z')).total).toBe(3.5 * 3600);
    expect(instantOfTradingSecond('US', '2025-11-28', 3.5 * 3600).toISOString()).toBe(
      '2025-11-28T18:00:00.000Z',
    );
  });

  it('is closed on July 4th and on the observed Friday when it falls on a Saturday', () => {
    expect(isTradingDay('US', '2025-07-04')).toBe(false);
    expect(calendarDay('US', '2025-07-03').kind).toBe('half_day');
    expect(isTradingDay('US', '2026-07-03')).toBe(false);
    expect(isMarketOpen('US', new Date('2025-07-04T15:00:00Z'))).toBe(false);
  });

  it('follows New York daylight saving time', () => {
    // 2025-03-07 (EST, UTC-5): opens 14:30Z; 2025-03-10 (EDT, UTC-4): opens 13:30Z
    expect(nextOpen('US', new Date('2025-03-07T12:00:00Z')).toISOString()).toBe('2025-03-07T14:30:00.000Z');
    expect(nextOpen('US', new Date('2025-03-07T22:00:00Z')).toISOString()).toBe('2025-03-10T13:30:00.000Z');
    expect(isMarketOpen('US', new Date('2025-03-10T13:45:00Z'))).toBe(true);
    expect(isMarketOpen('US', new Date('2025-03-07T13:45:00Z'))).toBe(false);
    expect(lastClose('US', new Date('2025-03-10T12:00:00Z')).toISOString()).toBe('2025-03-07T21:00:00.000Z');
  });

  it('answers the weekday rule outside the shipped years', () => {
    expect(calendarDay('US', '2031-07-04')).toMatchObject({ kind: 'regular', basis: 'weekday_rule' });
    expect(() => isTradingDay('US', '2025/07/04')).toThrow(/not YYYY-MM-DD/);
    expect(marketPhase('US', new Date('2025-03-08T15:00:00Z')).phase).toBe('non_trading_day');
    expect(marketPhase('US', new Date('2025-03-07T12:00:00Z')).phase).toBe('pre_open');
    expect(marketPhase('US', new Date('2025-03-07T22:00:00Z')).phase).toBe('after_close');
  });
});

describe('the demo market outside sessions', () => {
  it('quotes the last real session close on a holiday, not a close on the holiday itself', async () => {
    const { createDemoMarket } = await import('../demo');
    const now = new Date('2025-02-03T04:00:00Z'); // Mon, CN Spring Festival closure
    const [q] = await createDemoMarket({ seed: 1, now: () => now }).getQuotes([
      { market: 'CN', symbol: '600519.SH' },
    ]);
    expect(q!.ts.toISOString()).toBe('2025-01-27T07:00:00.000Z'); // Mon 2025-01-27 15:00 CST
    expect(previousTradingDay('CN', '2025-02-05')).toBe('2025-01-27');
    // the day after Thanksgiving closes at 13:00 New York: before the next open, that is the last quote
    const sat = new Date('2025-11-29T15:00:00Z');
    const [us] = await createDemoMarket({ seed: 1, now: () => sat }).getQuotes([
      { market: 'US', symbol: 'AAPL' },
    ]);
    expect(us!.ts.toISOString()).toBe('2025-11-28T18:00:00.000Z');
  });
});
