import { describe, expect, it } from 'vitest';
import {
  type AlertRuntimeState,
  dayChangePct,
  describeCondition,
  type TQuoteCondition,
  transition,
  ZAlertCondition,
} from './condition';
import { judgeQuote } from './judge-quote';

/** A quote condition judged on a quote, then the crossing rule: what the engine does per alert. */
const evaluate = (
  c: TQuoteCondition,
  quote: { price: number; prevClose: number | null },
  state: AlertRuntimeState,
  now: Date,
) => {
  const j = judgeQuote(c, {
    quote: { ...quote, volume: null, ts: now.toISOString() },
    daily: null,
    priceAtOrBefore: () => null,
  });
  return { ...transition(j.holds, state, now), changePct: dayChangePct(quote) };
};

const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 15, 0, s));
const q = (price: number, prevClose: number | null = 100) => ({ price, prevClose });
const armed: AlertRuntimeState = { lastState: 'armed', lastFiredAt: null, cooldownSeconds: 900 };

describe('evaluate', () => {
  const above = { type: 'price_above', value: 200 } as const;

  it('fires when the condition becomes true, then not again while it stays true', () => {
    expect(evaluate(above, q(199), armed, at(0))).toMatchObject({ fire: false, state: 'armed' });
    const first = evaluate(above, q(201), armed, at(1));
    expect(first).toMatchObject({ fire: true, state: 'triggered' });
    const still = evaluate(above, q(205), { ...armed, lastState: 'triggered', lastFiredAt: at(1) }, at(2));
    expect(still).toMatchObject({ fire: false, state: 'triggered' });
  });

  it('the boundary itself is not a crossing (strictly above / below)', () => {
    expect(evaluate(above, q(200), armed, at(0)).fire).toBe(false);
    expect(evaluate({ type: 'price_below', value: 200 }, q(200), armed, at(0)).fire).toBe(false);
    expect(evaluate({ type: 'price_below', value: 200 }, q(199.99), armed, at(0)).fire).toBe(true);
  });

  it('re-arms when the condition turns false, and fires on the next crossing after the cooldown', () => {
    const fired = { lastState: 'triggered', lastFiredAt: at(0), cooldownSeconds: 60 } as const;
    const back = evaluate(above, q(190), fired, at(10));
    expect(back).toMatchObject({ fire: false, state: 'armed' });
    const later = new Date(at(0).getTime() + 61_000);
    expect(evaluate(above, q(210), { ...fired, lastState: 'armed' }, later)).toMatchObject({
      fire: true,
      state: 'triggered',
    });
  });

  it('a crossing within the cooldown does not fire and does not fire later while the condition holds', () => {
    const rearmed = { lastState: 'armed', lastFiredAt: at(0), cooldownSeconds: 900 } as const;
    const inCooldown = evaluate(above, q(210), rearmed, at(30));
    expect(inCooldown).toEqual({ fire: false, state: 'triggered', suppressed: 'cooldown', changePct: 110 });
    // still above after the cooldown: no new crossing, no message
    const after = new Date(at(0).getTime() + 901_000);
    expect(evaluate(above, q(211), { ...rearmed, lastState: 'triggered' }, after).fire).toBe(false);
    // cooldown 0 never suppresses
    expect(evaluate(above, q(210), { ...rearmed, cooldownSeconds: 0 }, at(0)).fire).toBe(true);
  });

  it('day move conditions use the previous close; no previous close means no judgement (state kept)', () => {
    const up3 = { type: 'change_pct_above', value: 3 } as const;
    expect(evaluate(up3, q(103), armed, at(0)).fire).toBe(false);
    expect(evaluate(up3, q(103.5), armed, at(0))).toMatchObject({ fire: true, changePct: 3.5 });
    const down3 = { type: 'change_pct_below', value: -3 } as const;
    expect(evaluate(down3, q(96.9), armed, at(0)).fire).toBe(true);
    expect(evaluate(down3, q(97.5), armed, at(0)).fire).toBe(false);
    const trig = { ...armed, lastState: 'triggered' } as const;
    expect(evaluate(down3, q(50, null), trig, at(0))).toMatchObject({ fire: false, state: 'triggered' });
    expect(evaluate(down3, q(50, 0), armed, at(0))).toMatchObject({ fire: false, state: 'armed' });
  });
});

describe('ZAlertCondition', () => {
  it('accepts the four types and names the bad field', () => {
    expect(ZAlertCondition.parse({ type: 'price_above', value: 200 })).toEqual({
      type: 'price_above',
      value: 200,
    });
    const bad = (v: unknown) => {
      const r = ZAlertCondition.safeParse(v);
      expect(r.success).toBe(false);
      return r
        .error!.issues.map(
          (i: { path: PropertyKey[]; message: string }) => `${i.path.join('.')}: ${i.message}`,
        )
        .join('; ');
    };
    expect(bad({ type: 'price_sideways', value: 1 })).toMatch(/^type: type must be one of/);
    expect(bad({ type: 'price_above' })).toMatch(/^value: value is required/);
    expect(bad({ type: 'price_above', value: '200' })).toMatch(/^value: value must be a number/);
    expect(bad({ type: 'price_below', value: -1 })).toMatch(/^value: /);
    expect(bad({ type: 'price_above', value: 1, extra: true })).toMatch(/extra/);
  });

  it('describes conditions for messages', () => {
    expect(describeCondition({ type: 'price_above', value: 200 })).toBe('price above 200');
    expect(describeCondition({ type: 'change_pct_below', value: -3.5 })).toBe('day move below -3.50%');
  });
});
