import type { TQuote } from '@investiq/contracts';
import { dayChangePct, type Judgement, type TQuoteCondition } from './condition';
import type { DailyIndicators } from './indicator-state';

/** What a quote condition is judged on: the quote, the symbol's daily indicators and its recent prices. */
export interface QuoteFacts {
  quote: Pick<TQuote, 'price' | 'prevClose' | 'volume' | 'ts'>;
  /** Null when the condition needs none or the bars are not loaded. */
  daily: DailyIndicators | null;
  /** The newest price seen at or before `tsMs` (recent quotes of the symbol), or null. */
  priceAtOrBefore: (tsMs: number) => number | null;
}

const pct = (from: number, to: number) => Math.round(((to - from) / from) * 1e8) / 1e6;
const unknown: Judgement = { holds: null, observed: null };

/** Whether the condition holds for this quote (null when it cannot be judged), and the value compared. */
export function judgeQuote(c: TQuoteCondition, f: QuoteFacts): Judgement {
  const price = f.quote.price;
  switch (c.type) {
    case 'price_above':
      return { holds: price > c.value, observed: price };
    case 'price_below':
      return { holds: price < c.value, observed: price };
    case 'change_pct_above':
    case 'change_pct_below': {
      const p = dayChangePct(f.quote);
      if (p === null) return unknown;
      return { holds: c.type === 'change_pct_above' ? p > c.value : p < c.value, observed: p };
    }
    case 'change_pct_window': {
      const then = f.priceAtOrBefore(Date.parse(f.quote.ts) - c.windowMinutes * 60_000);
      if (then === null || !(then > 0)) return unknown;
      const move = pct(then, price);
      return { holds: c.value > 0 ? move >= c.value : move <= c.value, observed: move };
    }
    case 'volume_spike': {
      const avg = f.daily?.averageVolume(c.lookbackDays) ?? null;
      if (avg === null || f.quote.volume === null) return unknown;
      const multiple = f.quote.volume / avg;
      return { holds: multiple > c.multiple, observed: Math.round(multiple * 1e4) / 1e4 };
    }
    case 'rsi_above':
    case 'rsi_below': {
      const r = f.daily?.rsi(c.period, price) ?? null;
      if (r === null) return unknown;
      return { holds: c.type === 'rsi_above' ? r.now > c.value : r.now < c.value, observed: r.now };
    }
    case 'ma_cross': {
      const fast = f.daily?.sma(c.fast, price) ?? null;
      const slow = f.daily?.sma(c.slow, price) ?? null;
      if (fast === null || slow === null) return unknown;
      const crossed =
        c.direction === 'up'
          ? fast.prev <= slow.prev && fast.now > slow.now
          : fast.prev >= slow.prev && fast.now < slow.now;
      return { holds: crossed, observed: fast.now - slow.now };
    }
    case 'macd_cross': {
      const m = f.daily?.macd(c.fast, c.slow, c.signal, price) ?? null;
      if (m === null) return unknown;
      const crossed =
        c.direction === 'up'
          ? m.macd.prev <= m.signal.prev && m.macd.now > m.signal.now
          : m.macd.prev >= m.signal.prev && m.macd.now < m.signal.now;
      return { holds: crossed, observed: m.macd.now - m.signal.now };
    }
  }
}
