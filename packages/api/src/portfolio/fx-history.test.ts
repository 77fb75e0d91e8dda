import { describe, expect, it } from 'vitest';
import { fxHistoryConverter, fxRateOn } from './fx-history';
import { valueSeries } from './value-portfolio';

const r = (base: string, quote: string, rate: number, asOf: string) => ({
  base,
  quote,
  rate,
  asOf: `${asOf}T00:00:00.000Z`,
  source: 'admin',
});
const RATES = [
  r('USD', 'CNY', 7.0, '2026-11-02'),
  r('USD', 'CNY', 7.2, '2026-11-04'),
  r('HKD', 'CNY', 0.9, '2026-11-03'),
];

describe('FX history for the value chart', () => {
  it("converts each day at that day's rate (newest as of the end of the day)", () => {
    expect(fxRateOn(RATES, 'USD', 'CNY', '2026-11-03')).toEqual({
      rate: 7.0,
      asOf: '2026-11-02T00:00:00.000Z',
      later: false,
    });
    expect(fxRateOn(RATES, 'USD', 'CNY', '2026-11-04').rate).toBe(7.2);
    expect(fxRateOn(RATES, 'USD', 'CNY', '2026-12-01').rate).toBe(7.2);
    // inverse pair: 1 CNY = 1/7.2 USD
    expect(fxRateOn(RATES, 'CNY', 'USD', '2026-11-05').rate).toBeCloseTo(1 / 7.2, 12);
  });

  it('before the history starts: the earliest rate, flagged; an unknown pair: null', () => {
    expect(fxRateOn(RATES, 'USD', 'CNY', '2026-10-30')).toEqual({
      rate: 7.0,
      asOf: '2026-11-02T00:00:00.000Z',
      later: true,
    });
    expect(fxRateOn(RATES, 'USD', 'HKD', '2026-11-05')).toEqual({ rate: null, asOf: null, later: false });
    expect(fxRateOn(RATES, 'CNY', 'CNY', '2026-11-05')).toEqual({ rate: 1, asOf: null, later: false });
  });

  it('a USD holding valued in CNY moves with the rate of each day, not today', () => {
    const fx = fxHistoryConverter(RATES, 'CNY');
    const pos = [{ market: 'US', symbol: 'AAPL', currency: 'USD', quantity: 10 }] as never;
    const points = valueSeries(
      ['2026-11-01', '2026-11-03', '2026-11-04'],
      () => pos,
      () => 100, // a flat close: only FX moves the value
      fx.rate,
    );
    // 10 × 100 × 7.0 (the earliest rate, flagged), 10 × 100 × 7.0, 10 × 100 × 7.2
    expect(points).toEqual([
      { date: '2026-11-01', value: 7000 },
      { date: '2026-11-03', value: 7000 },
      { date: '2026-11-04', value: 7200 },
    ]);
    expect(fx.summary()).toEqual({
      fxAsOf: '2026-11-04T00:00:00.000Z',
      missingFx: [],
      fxLaterRateUntil: '2026-11-01',
    });
  });
});
