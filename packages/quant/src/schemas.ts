import { z } from 'zod';
import { autoArima, MIN_AUTO_ARIMA_LENGTH } from './arima';
import { QuantInputError } from './errors';
import { fitGarch, MIN_GARCH_LENGTH, percentLogReturns } from './garch';
import { computeIndicators } from './indicators';

/** Bounds shared with the cpu-timeseries service (request bodies are rejected with 400 beyond them). */
export const QUANT_LIMITS = {
  maxBars: 20_000,
  maxSeries: 20_000,
  /** auto-ARIMA fits 16–32 models by exact ML: ~1–3 s per 500 points on one core, linear in length */
  maxArimaSeries: 3_000,
  maxIndicators: 32,
  maxPeriod: 1_000,
  maxHorizon: 365,
  maxOrder: 5,
} as const;

/** An absent required field is named ("horizon is required"); other type errors keep zod's message. */
const named = (field: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `${field} is required` : undefined),
});
const horizon = z.number(named('horizon')).int().min(1).max(QUANT_LIMITS.maxHorizon);

// zod v4's z.number() already rejects NaN and ±Infinity (e.g. 1e400 in JSON parses to Infinity)
const finite = z.number();
const period = z.number().int().min(1).max(QUANT_LIMITS.maxPeriod);
const level = z.number().gt(0).lt(1);

export const ZBar = z.object({
  open: finite,
  high: finite,
  low: finite,
  close: finite,
  volume: finite.min(0),
});

export const ZIndicatorSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['sma', 'ema', 'rsi']), period }),
  z.object({
    kind: z.literal('macd'),
    fast: period.optional(),
    slow: period.optional(),
    signal: period.optional(),
  }),
  z.object({
    kind: z.literal('bollinger'),
    period: period.optional(),
    stdDev: z.number().gt(0).max(10).optional(),
  }),
  z.object({ kind: z.literal('atr'), period: period.optional() }),
  z.object({ kind: z.literal('obv') }),
  z.object({
    kind: z.literal('kdj'),
    period: period.optional(),
    kSmoothing: period.optional(),
    dSmoothing: period.optional(),
  }),
]);

export const ZIndicatorsRequest = z.object({
  bars: z.array(ZBar, named('bars')).min(1).max(QUANT_LIMITS.maxBars),
  indicators: z.array(ZIndicatorSpec, named('indicators')).min(1).max(QUANT_LIMITS.maxIndicators),
});

export const ZArimaRequest = z.object({
  series: z.array(finite, named('series')).min(MIN_AUTO_ARIMA_LENGTH).max(QUANT_LIMITS.maxArimaSeries),
  horizon,
  maxP: z.number().int().min(0).max(QUANT_LIMITS.maxOrder).optional(),
  maxD: z.number().int().min(0).max(2).optional(),
  maxQ: z.number().int().min(0).max(QUANT_LIMITS.maxOrder).optional(),
  levels: z.array(level).min(1).max(5).optional(),
  seasonal: z.literal(false).optional(),
});

export const ZGarchRequest = z
  .object({
    returns: z.array(finite).min(MIN_GARCH_LENGTH).max(QUANT_LIMITS.maxSeries).optional(),
    /** prices are turned into percent log returns 100·ln(p_t/p_{t−1}) */
    prices: z
      .array(finite)
      .min(MIN_GARCH_LENGTH + 1)
      .max(QUANT_LIMITS.maxSeries + 1)
      .optional(),
    horizon,
    varLevels: z.array(level).min(1).max(5).optional(),
  })
  .refine((r) => (r.returns === undefined) !== (r.prices === undefined), {
    message: 'give exactly one of returns or prices',
    path: ['returns'],
  });

export type TIndicatorsRequest = z.infer<typeof ZIndicatorsRequest>;
export type TArimaRequest = z.infer<typeof ZArimaRequest>;
export type TGarchRequest = z.infer<typeof ZGarchRequest>;

/** Validated request → result. zod errors (shape) and QuantInputError (usability) are both client errors. */
export function runIndicatorsRequest(body: unknown) {
  const req = ZIndicatorsRequest.parse(body);
  return computeIndicators(req.bars, req.indicators);
}

export function runArimaRequest(body: unknown) {
  const req = ZArimaRequest.parse(body);
  const { series, ...opts } = req;
  return autoArima(series, { ...opts, seasonal: false });
}

export function runGarchRequest(body: unknown) {
  const req = ZGarchRequest.parse(body);
  const returns = req.returns ?? percentLogReturns(req.prices ?? []);
  if (returns.length < MIN_GARCH_LENGTH) {
    throw new QuantInputError(`need at least ${MIN_GARCH_LENGTH} returns`, 'returns');
  }
  return {
    ...fitGarch(returns, { horizon: req.horizon, ...(req.varLevels ? { varLevels: req.varLevels } : {}) }),
    returnsFrom: req.returns ? ('returns' as const) : ('prices' as const),
  };
}
