import { type Fact, shown } from '../prompts/fact';

export { type Fact, formatFact, shown } from '../prompts/fact';

export interface StatedNumber {
  text: string;
  start: number;
  end: number;
  /** Absolute value after the unit multiplier (万 ×1e4, 亿 ×1e8, K/M/B/bn). */
  value: number;
  /** Half a unit in the last shown digit, times the multiplier: how far a rounded input may be. */
  tolerance: number;
  percent: boolean;
}

const MULTIPLIER: Record<string, number> = {
  万: 1e4,
  亿: 1e8,
  K: 1e3,
  k: 1e3,
  M: 1e6,
  B: 1e9,
  bn: 1e9,
  million: 1e6,
  billion: 1e9,
};

// Spans that contain digits but are not stated figures: dates, times, symbol codes, model orders.
const MASKS = [
  /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?/g,
  /\d{4}年\d{1,2}月\d{1,2}日/g,
  /\b\d{1,2}:\d{2}\b/g,
  /\b\d{4,6}\.(?:SH|SZ|BJ|HK)\b/g,
  /\b(?:ARIMA|GARCH)\s*\(\s*\d+(?:\s*,\s*\d+)*\s*\)/g,
];

const NUMBER =
  /[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?(%|万|亿|bn|billion|million|[KkMB](?![A-Za-z])))?/g;

/** Every number the text states, with where it is (for highlighting) and how precisely it is shown. */
export function extractNumbers(text: string): StatedNumber[] {
  let masked = text;
  for (const re of MASKS) masked = masked.replace(re, (m) => ' '.repeat(m.length));
  const out: StatedNumber[] = [];
  for (const m of masked.matchAll(NUMBER)) {
    const raw = m[0];
    const start = m.index;
    // Part of an identifier (e.g. "Q3", "H1", "P/E10x") — not a stated figure.
    const before = masked[start - 1];
    if (before && /[A-Za-z_]/.test(before)) continue;
    const suffix = m[1];
    const numText = raw.replace(/\s?(%|万|亿|bn|billion|million|[KkMB])$/, '');
    const digits = numText.replace(/[-+−,]/g, '');
    const decimals = digits.includes('.') ? digits.split('.')[1]!.length : 0;
    const mult = suffix && suffix !== '%' ? MULTIPLIER[suffix]! : 1;
    out.push({
      text: raw.trim(),
      start,
      end: start + raw.trimEnd().length,
      value: Math.abs(Number(digits)) * mult,
      tolerance: 0.5 * 10 ** -decimals * mult,
      percent: suffix === '%',
    });
  }
  return out;
}

/** Does the stated number match a fact, within the rounding shown (sign-insensitive: "fell 2.1%")? */
export function matchesFact(n: StatedNumber, facts: readonly Fact[]): boolean {
  const eps = 1e-9 * Math.max(1, n.value);
  for (const f of facts) {
    const candidates = n.percent
      ? [shown(f), f.unit === 'pct' ? shown(f) : f.value * 100]
      : [shown(f), f.value];
    for (const c of candidates) if (Math.abs(Math.abs(c) - n.value) <= n.tolerance + eps) return true;
  }
  return false;
}

/** The grounding check: every number stated must match an input number; the rest are listed. */
export function checkGrounding(
  text: string,
  facts: readonly Fact[],
): { numbers: number; unmatched: { text: string; start: number; end: number }[] } {
  const stated = extractNumbers(text);
  const unmatched = stated
    .filter((n) => !matchesFact(n, facts))
    .map(({ text: t, start, end }) => ({ text: t, start, end }));
  return { numbers: stated.length, unmatched };
}
