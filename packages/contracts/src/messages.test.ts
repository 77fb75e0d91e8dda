import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ZArimaRequest,
  ZChatCompletionRequest,
  ZForecastRequest,
  ZGarchRequest,
  ZIndicatorsRequest,
  ZSentimentRequest,
} from './inference';
import { ZMarketSymbol, ZMaxAgeSeconds } from './market';
import { typeError } from './messages';

/** "path: message" of every issue, as the services and the tRPC formatter print them. */
const issues = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

const series = Array.from({ length: 30 }, (_, i) => i + Math.sin(i));

describe('typeError: an absent field says "required", a wrong type says what is expected', () => {
  it('ARIMA request without horizon names it as missing (it used to say "must be an integer")', () => {
    expect(issues(ZArimaRequest, { series })).toEqual(['horizon: required']);
    expect(issues(ZArimaRequest, { series, horizon: 'ten' })).toEqual(['horizon: must be an integer']);
    expect(issues(ZArimaRequest, { series, horizon: 2.5 })).toEqual(['horizon: must be an integer']);
    expect(issues(ZArimaRequest, { horizon: 5 })).toEqual(['series: required']);
    expect(issues(ZArimaRequest, { series: 'x', horizon: 5 })[0]).toBe('series: must be an array of numbers');
    expect(issues(ZArimaRequest, { series: [1, 'x', ...series], horizon: 5 })).toEqual([
      'series.1: must be a finite number',
    ]);
  });

  it('every inference request names each missing required field', () => {
    expect(issues(ZGarchRequest, {})).toEqual(['returns: required', 'horizon: required']);
    expect(issues(ZIndicatorsRequest, {})).toEqual(['bars: required', 'specs: required']);
    expect(issues(ZSentimentRequest, {})).toEqual(['texts: required']);
    expect(issues(ZForecastRequest, {})).toEqual(['series: required']);
    expect(issues(ZChatCompletionRequest, {})).toEqual(['messages: required']);
    expect(issues(ZChatCompletionRequest, { messages: [{ content: 'hi' }] })).toEqual([
      'messages.0.role: required',
    ]);
    expect(
      issues(ZIndicatorsRequest, {
        bars: [{ open: 1, high: 1, low: 1, close: 1 }],
        specs: [{ kind: 'obv' }],
      }),
    ).toEqual(['bars.0.volume: required']);
  });

  it('a body that is not an object still says so', () => {
    expect(issues(ZArimaRequest, undefined)).toEqual([': body must be a JSON object']);
    expect(issues(ZArimaRequest, [1, 2])).toEqual([': body must be a JSON object']);
  });

  it('market schemas use the field name in both messages', () => {
    expect(issues(ZMarketSymbol, {})).toEqual(['market: market is required', 'symbol: symbol is required']);
    expect(issues(ZMarketSymbol, { market: 'XX', symbol: 1 })).toEqual([
      'market: market must be one of CN, HK, US',
      'symbol: symbol must be a string',
    ]);
    expect(issues(ZMaxAgeSeconds, undefined)).toEqual([': maxAgeSeconds is required']);
    expect(issues(ZMaxAgeSeconds, '5')).toEqual([': maxAgeSeconds must be a number']);
  });

  it('typeError leaves other checks their own message', () => {
    const { error } = typeError('must be a number');
    expect(error({ code: 'invalid_type', expected: 'number', input: undefined } as never)).toBe('required');
    expect(error({ code: 'invalid_type', expected: 'number', input: null } as never)).toBe(
      'must be a number',
    );
  });
});
