import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { autoArima } from './arima';
import { QuantInputError } from './errors';
import { fitGarch } from './garch';
import { reference, seriesOf } from './reference';
import {
  runArimaRequest,
  runGarchRequest,
  runIndicatorsRequest,
  ZArimaRequest,
  ZGarchRequest,
  ZIndicatorsRequest,
} from './schemas';

// Request bodies as helper A's cpu-timeseries routes receive them (parsed JSON).
const b = reference.bars;
const bars = b.close.slice(0, 60).map((close, i) => ({
  open: b.open[i],
  high: b.high[i],
  low: b.low[i],
  close,
  volume: b.volume[i],
}));

describe('request schemas', () => {
  it('indicators: valid body runs; unknown kind and 1e400 (JSON → Infinity) are rejected', () => {
    const out = runIndicatorsRequest({ bars, indicators: [{ kind: 'sma', period: 5 }, { kind: 'kdj' }] });
    expect(Object.keys(out)).toEqual(['sma_5', 'kdj_9_3_3']);
    expect(ZIndicatorsRequest.safeParse({ bars, indicators: [{ kind: 'vwap' }] }).success).toBe(false);
    const inf = JSON.parse(
      JSON.stringify({ bars, indicators: [{ kind: 'obv' }] }).replace(/"close":[0-9.]+/, '"close":1e400'),
    );
    const res = ZIndicatorsRequest.safeParse(inf);
    expect(res.success).toBe(false);
    expect(res.error?.issues[0]?.path).toEqual(['bars', 0, 'close']);
    expect(res.error?.issues[0]?.message).toMatch(/Infinity/);
  });

  it('arima: length and horizon bounds; usable-input errors are QuantInputError', () => {
    expect(() => runArimaRequest({ series: [1, 2, 3], horizon: 5 })).toThrow(ZodError);
    expect(ZArimaRequest.safeParse({ series: seriesOf('arma11'), horizon: 5000 }).success).toBe(false);
    expect(ZArimaRequest.safeParse({ series: new Array(3001).fill(1), horizon: 5 }).success).toBe(false);
    expect(() => runArimaRequest({ series: new Array(40).fill(1), horizon: 5 })).toThrow(QuantInputError);
    const r = runArimaRequest({ series: seriesOf('arima011').slice(0, 120), horizon: 3, maxP: 1, maxQ: 1 });
    expect(r.forecast).toHaveLength(3);
  });

  it('an absent horizon (or series, bars, indicators) is named as missing, not as a type error', () => {
    const messages = (r: {
      success: boolean;
      error?: { issues: { path: PropertyKey[]; message: string }[] };
    }) => r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    const series = seriesOf('arima011').slice(0, 60);
    expect(messages(ZArimaRequest.safeParse({ series }))).toEqual(['horizon: horizon is required']);
    expect(messages(ZArimaRequest.safeParse({ horizon: 5 }))).toEqual(['series: series is required']);
    expect(messages(ZArimaRequest.safeParse({ series, horizon: 'ten' }))[0]).toMatch(/^horizon: .*number/);
    expect(messages(ZGarchRequest.safeParse({ prices: series }))).toEqual(['horizon: horizon is required']);
    expect(messages(ZIndicatorsRequest.safeParse({}))).toEqual([
      'bars: bars is required',
      'indicators: indicators is required',
    ]);
    // the library calls say the same to a JavaScript caller that leaves it out
    const noHorizon = {} as { horizon: number };
    expect(() => autoArima(series, noHorizon)).toThrow(new QuantInputError('horizon is required', 'horizon'));
    expect(() => fitGarch(series, noHorizon)).toThrow('horizon is required');
    expect(() => autoArima(series, { horizon: 0 })).toThrow('horizon must be an integer between 1 and 1000');
  });

  it('garch: exactly one of returns/prices; prices become percent log returns', () => {
    expect(ZGarchRequest.safeParse({ horizon: 5 }).success).toBe(false);
    expect(
      ZGarchRequest.safeParse({
        returns: reference.garch.returns,
        prices: seriesOf('arima110_drift'),
        horizon: 5,
      }).success,
    ).toBe(false);
    const fromPrices = runGarchRequest({ prices: seriesOf('arima110_drift'), horizon: 5 });
    expect(fromPrices.returnsFrom).toBe('prices');
    expect(fromPrices.forecastVolatility).toHaveLength(5);
    const neg = [...seriesOf('arima110_drift')];
    neg[10] = -1;
    expect(() => runGarchRequest({ prices: neg, horizon: 5 })).toThrow(/prices\[10\] is -1/);
  });
});
