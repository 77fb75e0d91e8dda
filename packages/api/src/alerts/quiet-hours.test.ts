import { describe, expect, it } from 'vitest';
import { reportSignal } from '../reports/report-signal';
import { quietUntil, ZQuietHours } from './quiet-hours';

const shanghai = { timeZone: 'Asia/Shanghai', startMinute: 22 * 60, endMinute: 7 * 60 };

describe('quietUntil', () => {
  it('22:00–07:00 Asia/Shanghai spans midnight: inside → the next 07:00 local (23:00 UTC)', () => {
    // 23:30 Shanghai = 15:30 UTC → ends 07:00 Shanghai next day = 23:00 UTC the same day
    expect(quietUntil(shanghai, new Date('2026-12-03T15:30:00Z'))?.toISOString()).toBe(
      '2026-12-03T23:00:00.000Z',
    );
    // 06:59 Shanghai = 22:59 UTC → ends a minute later
    expect(quietUntil(shanghai, new Date('2026-12-03T22:59:00Z'))?.toISOString()).toBe(
      '2026-12-03T23:00:00.000Z',
    );
    // 07:00 Shanghai: over; 21:59: not yet
    expect(quietUntil(shanghai, new Date('2026-12-03T23:00:00Z'))).toBeNull();
    expect(quietUntil(shanghai, new Date('2026-12-03T13:59:00Z'))).toBeNull();
    expect(quietUntil(shanghai, new Date('2026-12-03T14:00:00Z'))?.toISOString()).toBe(
      '2026-12-03T23:00:00.000Z',
    );
  });

  it('a daytime window and a DST zone (New York, 12:00–13:30 on the spring-forward day)', () => {
    const ny = { timeZone: 'America/New_York', startMinute: 12 * 60, endMinute: 13 * 60 + 30 };
    // 2026-03-08 is EDT after 02:00: 12:15 local = 16:15 UTC, ends 13:30 local = 17:30 UTC
    expect(quietUntil(ny, new Date('2026-03-08T16:15:00Z'))?.toISOString()).toBe('2026-03-08T17:30:00.000Z');
    expect(quietUntil(ny, new Date('2026-03-08T17:30:00Z'))).toBeNull();
  });

  it('validates the settings, naming the field', () => {
    const issues = (v: unknown) =>
      ZQuietHours.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(
      issues({ enabled: true, timeZone: 'Asia/Shanghai', start: '22:00', end: '07:00' }),
    ).toBeUndefined();
    expect(issues({ enabled: true, timeZone: 'Mars/Base', start: '22:00', end: '07:00' })).toEqual([
      'timeZone: timeZone must be an IANA time zone such as Asia/Shanghai',
    ]);
    expect(
      issues({ enabled: true, timeZone: 'UTC', start: '24:00', end: '7:00' })?.map((s) => s.split(':')[0]),
    ).toEqual(['start', 'end']);
    expect(issues({ enabled: true, timeZone: 'UTC', start: '08:00', end: '08:00' })).toEqual([
      'end: end must differ from start',
    ]);
  });
});

describe('reportSignal', () => {
  const ind = (rsi: number, macdHist: number) => ({
    module: 'indicators',
    output: { latest: { rsi, macdHist } },
  });
  const fc = (lastClose: number, end: number) => ({
    module: 'forecast',
    output: { lastClose, p50: [lastClose, end] },
  });
  it('votes: MACD histogram, RSI extremes, forecasts beyond ±1 %, sentiment beyond ±0.2', () => {
    expect(reportSignal([ind(50, 0.3), fc(100, 102)])).toMatchObject({ signal: 'bullish', score: 2 });
    expect(reportSignal([ind(50, 0.3), fc(100, 100.5)])).toMatchObject({ signal: 'neutral', score: 1 });
    expect(reportSignal([ind(75, -0.1), fc(100, 100)])).toMatchObject({ signal: 'bearish', score: -2 });
    const sent = { module: 'sentiment', output: { netScore: -0.5, headlines: [{}] } };
    expect(reportSignal([ind(50, 0.3), sent])).toMatchObject({
      signal: 'neutral',
      votes: { macd: 1, rsi: 0, sentiment: -1 },
    });
    expect(reportSignal([])).toMatchObject({ signal: 'neutral', score: 0 });
  });
});
