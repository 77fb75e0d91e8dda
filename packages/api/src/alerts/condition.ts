import type { TQuote } from '@investiq/contracts';
import { z } from 'zod';
import { ALERT_CONDITION_TYPES } from './condition-types';

export { ALERT_CONDITION_TYPES };

const value = (what: string) =>
  z
    .number({ error: (i) => (i.input === undefined ? `${what} is required` : `${what} must be a number`) })
    .finite(`${what} must be a finite number`);
const int = (what: string, min: number, max: number) =>
  value(what)
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} must be at most ${max}`);
const direction = z.enum(['up', 'down'], { error: 'direction must be up or down' });

/**
 * What an alert watches, one entry per kind. Prices compare with the quote's last price; `change_pct_*`
 * compare the day move against the previous close, in percent; `change_pct_window` the move over the last
 * `windowMinutes` (value 2 = up at least 2 %, -2 = down at least 2 %); `volume_spike` today's volume so far
 * against `multiple` × the average daily volume of the last `lookbackDays` sessions; indicator kinds use the
 * stored daily closes with the live price as today's close; `report_signal_change` the overall signal of the
 * newest complete report; `quote_stale` the freshness decision during the symbol's session;
 * `portfolio_drawdown` the fall of a portfolio's value from its peak.
 */
export const ZAlertCondition = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('price_above'),
      value: value('value').positive('value must be above 0'),
    }),
    z.strictObject({
      type: z.literal('price_below'),
      value: value('value').positive('value must be above 0'),
    }),
    z.strictObject({ type: z.literal('change_pct_above'), value: value('value').min(-100).max(1000) }),
    z.strictObject({ type: z.literal('change_pct_below'), value: value('value').min(-100).max(1000) }),
    z.strictObject({
      type: z.literal('change_pct_window'),
      windowMinutes: int('windowMinutes', 1, 240),
      value: value('value')
        .min(-100, 'value must be at least -100')
        .max(1000, 'value must be at most 1000')
        .refine((v) => v !== 0, 'value must not be 0 (2 = up 2 %, -2 = down 2 %)'),
    }),
    z.strictObject({
      type: z.literal('volume_spike'),
      multiple: value('multiple').gt(1, 'multiple must be above 1').max(100, 'multiple must be at most 100'),
      lookbackDays: int('lookbackDays', 2, 250).default(20),
    }),
    z.strictObject({
      type: z.literal('rsi_above'),
      value: value('value').gt(0, 'value must be above 0').lt(100, 'value must be below 100'),
      period: int('period', 2, 100).default(14),
    }),
    z.strictObject({
      type: z.literal('rsi_below'),
      value: value('value').gt(0, 'value must be above 0').lt(100, 'value must be below 100'),
      period: int('period', 2, 100).default(14),
    }),
    z
      .strictObject({
        type: z.literal('ma_cross'),
        fast: int('fast', 2, 200).default(20),
        slow: int('slow', 3, 250).default(50),
        direction,
      })
      .refine((c) => c.fast < c.slow, { message: 'fast must be shorter than slow', path: ['fast'] }),
    z
      .strictObject({
        type: z.literal('macd_cross'),
        fast: int('fast', 2, 100).default(12),
        slow: int('slow', 3, 200).default(26),
        signal: int('signal', 2, 100).default(9),
        direction,
      })
      .refine((c) => c.fast < c.slow, { message: 'fast must be shorter than slow', path: ['fast'] }),
    z.strictObject({
      type: z.literal('report_signal_change'),
      to: z
        .enum(['any', 'bullish', 'neutral', 'bearish'], {
          error: 'to must be any, bullish, neutral or bearish',
        })
        .default('any'),
    }),
    z.strictObject({
      type: z.literal('quote_stale'),
      /** Default: the quotes' configured maximum age. */
      maxAgeSeconds: int('maxAgeSeconds', 5, 86_400).optional(),
    }),
    z.strictObject({
      type: z.literal('portfolio_drawdown'),
      portfolioId: z.uuid('portfolioId must be a portfolio id (UUID)'),
      limitPct: value('limitPct').gt(0, 'limitPct must be above 0').max(100, 'limitPct must be at most 100'),
      lookbackDays: int('lookbackDays', 5, 3650).default(365),
    }),
  ],
  {
    error: () => `type must be one of ${ALERT_CONDITION_TYPES.join(', ')}`,
  },
);
export type TAlertCondition = z.infer<typeof ZAlertCondition>;
export type TAlertConditionType = TAlertCondition['type'];
// every kind listed once, and nothing else
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _listed: Same<TAlertConditionType, (typeof ALERT_CONDITION_TYPES)[number]> = true;
void _listed;

/** Conditions judged when a quote of the symbol arrives; the others on the engine's periodic sweep. */
export type TQuoteCondition = Extract<
  TAlertCondition,
  {
    type:
      | 'price_above'
      | 'price_below'
      | 'change_pct_above'
      | 'change_pct_below'
      | 'change_pct_window'
      | 'volume_spike'
      | 'rsi_above'
      | 'rsi_below'
      | 'ma_cross'
      | 'macd_cross';
  }
>;
export type TSweepCondition = Exclude<TAlertCondition, TQuoteCondition>;
const SWEPT = new Set<string>(['report_signal_change', 'quote_stale', 'portfolio_drawdown']);
export const isSweepCondition = (c: TAlertCondition): c is TSweepCondition => SWEPT.has(c.type);
/** The conditions that need the symbol's stored daily bars. */
export const needsBars = (c: TAlertCondition): boolean =>
  ['volume_spike', 'rsi_above', 'rsi_below', 'ma_cross', 'macd_cross'].includes(c.type);

export type TAlertState = 'armed' | 'triggered';

export interface AlertRuntimeState {
  lastState: TAlertState;
  lastFiredAt: Date | null;
  cooldownSeconds: number;
}

/** A condition's judgement: null = cannot be judged now (too little history, no previous close…). */
export interface Judgement {
  holds: boolean | null;
  /** The number compared (the price, move %, RSI, volume multiple, drawdown %…), for the history. */
  observed: number | null;
}

export interface Evaluation {
  /** Send now. */
  fire: boolean;
  /** The state to store (unchanged when equal to the input's). */
  state: TAlertState;
  /** Why a crossing did not fire. */
  suppressed?: 'cooldown';
}

export function dayChangePct(quote: Pick<TQuote, 'price' | 'prevClose'>): number | null {
  if (quote.prevClose === null || !(quote.prevClose > 0)) return null;
  // rounded to 1e-6 %: 103 over 100 is 3 %, not 3.0000000000000027 % (which would cross 3)
  return Math.round(((quote.price - quote.prevClose) / quote.prevClose) * 1e8) / 1e6;
}

/**
 * Crossing semantics: an armed alert fires when its condition becomes true and is then `triggered`; it re-arms
 * when the condition is false again. A crossing within `cooldownSeconds` of the last firing does not fire (the
 * alert still turns `triggered`, so it fires on the next crossing after the cooldown, not while it stays true).
 * The cross conditions (moving averages, MACD) hold on the day the lines crossed (yesterday's close on one
 * side, the live values on the other), so they too fire once per crossing.
 */
export function transition(holds: boolean | null, state: AlertRuntimeState, now: Date): Evaluation {
  if (holds === null) return { fire: false, state: state.lastState };
  if (!holds) return { fire: false, state: 'armed' };
  if (state.lastState === 'triggered') return { fire: false, state: 'triggered' };
  if (state.lastFiredAt && now.getTime() - state.lastFiredAt.getTime() < state.cooldownSeconds * 1000)
    return { fire: false, state: 'triggered', suppressed: 'cooldown' };
  return { fire: true, state: 'triggered' };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) < 1 ? 4 : 2));
const signed = (n: number) => `${n > 0 ? '+' : ''}${fmt(n)}`;

/** "price above 200", "RSI(14) below 30", "SMA20 crosses above SMA50". */
export function describeCondition(c: TAlertCondition): string {
  switch (c.type) {
    case 'price_above':
      return `price above ${fmt(c.value)}`;
    case 'price_below':
      return `price below ${fmt(c.value)}`;
    case 'change_pct_above':
      return `day move above ${fmt(c.value)}%`;
    case 'change_pct_below':
      return `day move below ${fmt(c.value)}%`;
    case 'change_pct_window':
      return `move of ${signed(c.value)}% within ${c.windowMinutes} min`;
    case 'volume_spike':
      return `volume above ${fmt(c.multiple)}× its ${c.lookbackDays}-day average`;
    case 'rsi_above':
      return `RSI(${c.period}) above ${fmt(c.value)}`;
    case 'rsi_below':
      return `RSI(${c.period}) below ${fmt(c.value)}`;
    case 'ma_cross':
      return `SMA${c.fast} crosses ${c.direction === 'up' ? 'above' : 'below'} SMA${c.slow}`;
    case 'macd_cross':
      return `MACD(${c.fast},${c.slow},${c.signal}) crosses ${c.direction === 'up' ? 'above' : 'below'} its signal`;
    case 'report_signal_change':
      return c.to === 'any' ? 'report signal changes' : `report signal turns ${c.to}`;
    case 'quote_stale':
      return c.maxAgeSeconds
        ? `quote stale (older than ${c.maxAgeSeconds} s) in session`
        : 'quote stale in session';
    case 'portfolio_drawdown':
      return `portfolio drawdown beyond ${fmt(c.limitPct)}% (${c.lookbackDays}-day peak)`;
  }
}
