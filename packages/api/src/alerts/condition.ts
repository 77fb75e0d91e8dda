import type { TQuote } from '@investiq/contracts';
import { z } from 'zod';

const value = (what: string) =>
  z
    .number({ error: (i) => (i.input === undefined ? `${what} is required` : `${what} must be a number`) })
    .finite(`${what} must be a finite number`);

/**
 * What an alert watches. Prices compare with the quote's last price; `change_pct_*` compare the day move
 * against the previous close, in percent (`value: 3` = up 3 %, `value: -3` with `change_pct_below` = down 3 %).
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
  ],
  {
    error: () => 'type must be one of price_above, price_below, change_pct_above, change_pct_below',
  },
);
export type TAlertCondition = z.infer<typeof ZAlertCondition>;

export type TAlertState = 'armed' | 'triggered';

export interface AlertRuntimeState {
  lastState: TAlertState;
  lastFiredAt: Date | null;
  cooldownSeconds: number;
}

export interface Evaluation {
  /** Send now. */
  fire: boolean;
  /** The state to store (unchanged when equal to the input's). */
  state: TAlertState;
  /** Why a crossing did not fire. */
  suppressed?: 'cooldown';
  /** The quote's day move in percent, when the quote has a previous close. */
  changePct: number | null;
}

export function dayChangePct(quote: Pick<TQuote, 'price' | 'prevClose'>): number | null {
  if (quote.prevClose === null || !(quote.prevClose > 0)) return null;
  // rounded to 1e-6 %: 103 over 100 is 3 %, not 3.0000000000000027 % (which would cross 3)
  return Math.round(((quote.price - quote.prevClose) / quote.prevClose) * 1e8) / 1e6;
}

/** Whether the condition holds for the quote; null when it cannot be judged (no previous close). */
export function conditionHolds(
  c: TAlertCondition,
  quote: Pick<TQuote, 'price' | 'prevClose'>,
): boolean | null {
  switch (c.type) {
    case 'price_above':
      return quote.price > c.value;
    case 'price_below':
      return quote.price < c.value;
    case 'change_pct_above':
    case 'change_pct_below': {
      const pct = dayChangePct(quote);
      if (pct === null) return null;
      return c.type === 'change_pct_above' ? pct > c.value : pct < c.value;
    }
  }
}

/**
 * Crossing semantics: an armed alert fires when its condition becomes true and is then `triggered`; it re-arms
 * when the condition is false again. A crossing within `cooldownSeconds` of the last firing does not fire (the
 * alert still turns `triggered`, so it fires on the next crossing after the cooldown, not while it stays true).
 */
export function evaluate(
  condition: TAlertCondition,
  quote: Pick<TQuote, 'price' | 'prevClose'>,
  state: AlertRuntimeState,
  now: Date,
): Evaluation {
  const changePct = dayChangePct(quote);
  const holds = conditionHolds(condition, quote);
  if (holds === null) return { fire: false, state: state.lastState, changePct };
  if (!holds) return { fire: false, state: 'armed', changePct };
  if (state.lastState === 'triggered') return { fire: false, state: 'triggered', changePct };
  if (state.lastFiredAt && now.getTime() - state.lastFiredAt.getTime() < state.cooldownSeconds * 1000)
    return { fire: false, state: 'triggered', suppressed: 'cooldown', changePct };
  return { fire: true, state: 'triggered', changePct };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) < 1 ? 4 : 2));

/** "price above 200", "day move below -3%". */
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
  }
}
