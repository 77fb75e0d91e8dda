import { describe, expect, it } from 'vitest';
import { type AlertRuntimeState, type TQuoteCondition, transition, ZAlertCondition } from './condition';
import { DailyIndicators } from './indicator-state';
import { judgeQuote, type QuoteFacts } from './judge-quote';
import { SymbolMemory } from './symbol-memory';

const T0 = Date.UTC(2026, 11, 3, 15, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const cond = (c: unknown) => ZAlertCondition.parse(c) as TQuoteCondition;
const facts = (price: number, over: Partial<QuoteFacts> = {}, volume: number | null = null): QuoteFacts => ({
  quote: { price, prevClose: 100, volume, ts: iso(T0) },
  daily: null,
  priceAtOrBefore: () => null,
  ...over,
});

/** Run a condition over a sequence of judgements with the crossing rule; which steps fired. */
function fires(c: TQuoteCondition, steps: QuoteFacts[]): number[] {
  let s: AlertRuntimeState = { lastState: 'armed', lastFiredAt: null, cooldownSeconds: 0 };
  const out: number[] = [];
  steps.forEach((f, i) => {
    const ev = transition(judgeQuote(c, f).holds, s, new Date(T0 + i * 1000));
    if (ev.fire) out.push(i);
    s = { ...s, lastState: ev.state, lastFiredAt: ev.fire ? new Date(T0 + i * 1000) : s.lastFiredAt };
  });
  return out;
}

describe('change_pct_window', () => {
  const mem = new SymbolMemory('US', 'AAPL');
  // 100 at 15:00, 101 at 15:05, 103 at 15:10 (samples 5 min apart)
  mem.push(T0, 100, 3_600_000);
  mem.push(T0 + 300_000, 101, 3_600_000);
  mem.push(T0 + 600_000, 103, 3_600_000);
  const at = (ms: number, price: number): QuoteFacts => ({
    quote: { price, prevClose: 100, volume: null, ts: iso(ms) },
    daily: null,
    priceAtOrBefore: (t) => mem.priceAtOrBefore(t),
  });

  it('compares with the newest price at or before the window start (up and down)', () => {
    const up = cond({ type: 'change_pct_window', windowMinutes: 10, value: 2.5 });
    expect(judgeQuote(up, at(T0 + 600_000, 103))).toEqual({ holds: true, observed: 3 }); // vs 100
    expect(judgeQuote(up, at(T0 + 600_000, 102))).toEqual({ holds: false, observed: 2 });
    const down = cond({ type: 'change_pct_window', windowMinutes: 5, value: -1 });
    // 5 min before 15:10 is 15:05 (101): 99.99 is −1.0 %
    expect(judgeQuote(down, at(T0 + 600_000, 99.99))).toEqual({ holds: true, observed: -1 });
    expect(judgeQuote(down, at(T0 + 600_000, 100.5)).holds).toBe(false);
  });

  it('no price that old: no judgement', () => {
    const c = cond({ type: 'change_pct_window', windowMinutes: 30, value: 1 });
    expect(judgeQuote(c, at(T0 + 600_000, 120))).toEqual({ holds: null, observed: null });
    // 10 min before 15:09:59 is before the first sample
    const ten = cond({ type: 'change_pct_window', windowMinutes: 10, value: 1 });
    expect(judgeQuote(ten, at(T0 + 599_000, 120)).holds).toBeNull();
  });

  it('rejects 0 and out-of-range windows, naming the field', () => {
    const r = ZAlertCondition.safeParse({ type: 'change_pct_window', windowMinutes: 0, value: 0 });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['windowMinutes', 'value']);
  });
});

describe('volume_spike', () => {
  const daily = new DailyIndicators([10, 10, 10], [1000, 2000, 3000]); // 20-day is too long, 2-day avg 2500
  it('today’s volume so far against multiple × the average', () => {
    const c = cond({ type: 'volume_spike', multiple: 2, lookbackDays: 2 });
    expect(judgeQuote(c, facts(10, { daily }, 5001))).toEqual({ holds: true, observed: 2.0004 });
    expect(judgeQuote(c, facts(10, { daily }, 5000)).holds).toBe(false);
    expect(judgeQuote(c, facts(10, { daily }, null)).holds).toBeNull();
    expect(
      judgeQuote(cond({ type: 'volume_spike', multiple: 2 }), facts(10, { daily }, 9e9)).holds,
    ).toBeNull();
  });
});

describe('RSI levels', () => {
  // 15 closes rising by 1: average loss 0 → RSI 100 at the last close; a fall today brings it down
  const daily = new DailyIndicators(
    Array.from({ length: 15 }, (_, i) => 100 + i),
    Array.from({ length: 15 }, () => 1),
  );
  it('above / below compare the live RSI', () => {
    const above = cond({ type: 'rsi_above', value: 70 });
    expect(judgeQuote(above, facts(115, { daily }))).toEqual({ holds: true, observed: 100 });
    // a 10-point fall: gain 13/14, loss 10/14 → RSI = 100 − 100/(1 + 13/10) ≈ 56.52
    const j = judgeQuote(above, facts(104, { daily }));
    expect(j.holds).toBe(false);
    expect(j.observed).toBeCloseTo(100 - 100 / (1 + 13 / 10), 10);
    expect(judgeQuote(cond({ type: 'rsi_below', value: 60 }), facts(104, { daily })).holds).toBe(true);
    expect(judgeQuote(above, facts(115)).holds).toBeNull(); // no bars
  });
});

describe('moving-average and MACD crosses fire on the transition only', () => {
  // SMA2 vs SMA3: closes 10, 10, 9 → SMA2 9.5 below SMA3 9.667 at the last close
  const daily = new DailyIndicators([10, 10, 9], [1, 1, 1]);
  const up = cond({ type: 'ma_cross', fast: 2, slow: 3, direction: 'up' });

  it('holds when yesterday’s close had fast ≤ slow and the live values have fast > slow', () => {
    // live 11: SMA2 (9+11)/2 = 10 > SMA3 (10+9+11)/3 = 10 → not above (equal)
    expect(judgeQuote(up, facts(11, { daily })).holds).toBe(false);
    expect(judgeQuote(up, facts(12, { daily })).holds).toBe(true);
    expect(
      judgeQuote(cond({ type: 'ma_cross', fast: 2, slow: 3, direction: 'down' }), facts(12, { daily })).holds,
    ).toBe(false);
  });

  it('fires once while the cross holds, again after it reverts and re-crosses', () => {
    const seq = [8, 12, 12.5, 13, 8, 12].map((p) => facts(p, { daily }));
    expect(fires(up, seq)).toEqual([1, 5]);
  });

  it('MACD cross up: line below signal at yesterday’s close, above with a jump today', () => {
    // a long rise then flat: the MACD line falls below its lagging signal; a jump today crosses it
    const closes = [
      ...Array.from({ length: 40 }, (_, i) => 60 + i * 0.5),
      ...Array.from({ length: 5 }, () => 80),
    ];
    const d = new DailyIndicators(
      closes,
      closes.map(() => 1),
    );
    const c = cond({ type: 'macd_cross', direction: 'up' });
    const prev = d.macd(12, 26, 9, 80)!;
    expect(prev.macd.prev).toBeLessThan(prev.signal.prev);
    expect(judgeQuote(c, facts(80, { daily: d })).holds).toBe(false);
    expect(judgeQuote(c, facts(90, { daily: d })).holds).toBe(true);
    expect(
      fires(
        c,
        [80, 90, 91, 80, 90].map((p) => facts(p, { daily: d })),
      ),
    ).toEqual([1, 4]);
    expect(
      ZAlertCondition.safeParse({ type: 'macd_cross', fast: 30, slow: 26, direction: 'up' }).error?.issues[0]
        ?.path,
    ).toEqual(['fast']);
  });
});

describe('SymbolMemory', () => {
  it('keeps one sample per 5 s and finds the newest at or before a time', () => {
    const m = new SymbolMemory('US', 'X');
    m.push(T0, 1, 60_000);
    m.push(T0 + 1_000, 2, 60_000);
    m.push(T0 + 2_000, 3, 60_000); // replaces the 1 s sample (within 5 s of the one before)
    m.push(T0 + 10_000, 4, 60_000);
    expect(m.priceAtOrBefore(T0 - 1)).toBeNull();
    expect(m.priceAtOrBefore(T0 + 1_500)).toBe(1);
    expect(m.priceAtOrBefore(T0 + 2_000)).toBe(3);
    expect(m.priceAtOrBefore(T0 + 99_000)).toBe(4);
  });
});
