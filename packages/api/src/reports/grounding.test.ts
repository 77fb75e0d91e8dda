import { describe, expect, it } from 'vitest';
import { checkGrounding, extractNumbers, type Fact, formatFact } from './grounding';

const fact = (key: string, value: number, o: Partial<Fact> = {}): Fact => ({
  key,
  label: key,
  value,
  unit: 'plain',
  scale: 1,
  decimals: 2,
  ...o,
});

const facts: Fact[] = [
  fact('lastClose', 1690.37),
  fact('roe', 0.25341, { unit: 'pct', scale: 100, decimals: 1 }),
  fact('change1dPct', -2.134, { unit: 'pct', decimals: 2 }),
  fact('rsiPeriod', 14, { decimals: 0 }),
  fact('revenue', 123_456_000_000, { scale: 1e-9 }),
  fact('positive', 5, { decimals: 0 }),
];

describe('extractNumbers', () => {
  it('finds figures with their precision and unit, skipping dates, codes and model orders', () => {
    const text =
      'On 2026-11-20 600519.SH closed at 1,690.37 (−2.13%); ARIMA(1,1,0) and GARCH(1,1) fit; RSI(14); revenue 1,234.56亿, Q3 up.';
    const got = extractNumbers(text).map((n) => [n.text, n.value, n.tolerance, n.percent]);
    expect(got).toEqual([
      ['1,690.37', 1690.37, 0.005, false],
      ['−2.13%', 2.13, 0.005, true],
      ['14', 14, 0.5, false],
      ['1,234.56亿', 1234.56e8, 0.005e8, false],
    ]);
    // start/end point at the stated text, for highlighting
    const [first] = extractNumbers(text);
    expect(text.slice(first!.start, first!.end)).toBe('1,690.37');
  });
});

describe('checkGrounding', () => {
  it('accepts numbers equal to an input within the rounding shown', () => {
    const text =
      'Closed at 1690.37, about 1,690 or 1.7K; ROE 25.3% (0.25); down 2.13% (2.1%); RSI(14); revenue 123.46 billion; 5 positive.';
    expect(checkGrounding(text, facts)).toEqual({ numbers: 10, unmatched: [] });
  });

  it('flags invented figures and says where they are', () => {
    const text = 'ROE 25.3%, a target price of 2,000 and ROE of 26.3%; 1690.4 is fine but 1690.38 is not.';
    const r = checkGrounding(text, facts);
    expect(r.unmatched.map((u) => u.text)).toEqual(['2,000', '26.3%', '1690.38']);
    for (const u of r.unmatched) expect(text.slice(u.start, u.end)).toBe(u.text);
    expect(r.numbers).toBe(5);
  });

  it('formats facts the way the check reads them back', () => {
    for (const f of facts) expect(checkGrounding(formatFact(f), facts).unmatched).toEqual([]);
    expect(formatFact(facts[1]!)).toBe('25.3%');
    expect(formatFact(facts[4]!)).toBe('123.46');
  });
});
