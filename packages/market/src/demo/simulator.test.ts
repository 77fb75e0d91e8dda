import { describe, expect, it } from 'vitest';
import { isMarketOpen, tradingClock } from '../sessions';
import { createDemoMarket, DEMO_UNIVERSE } from './index';

const range = { from: '2022-01-01', to: '2024-12-31' };

function logReturns(closes: number[]): number[] {
  return closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
}

function autocorrelation(xs: number[], lag: number): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - mean;
    den += d * d;
    if (i >= lag) num += d * (xs[i - lag]! - mean);
  }
  return num / den;
}

describe('demo market determinism', () => {
  it('gives identical history for the same seed, different history for another seed', () => {
    const a = createDemoMarket({ seed: 7 }).dailyBars('AAPL', range);
    const b = createDemoMarket({ seed: 7 }).dailyBars('AAPL', range);
    const c = createDemoMarket({ seed: 8 }).dailyBars('AAPL', range);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(700);
    expect(a.map((x) => x.close)).not.toEqual(c.map((x) => x.close));
  });

  it('gives the same quote for the same instant regardless of query order or history of the instance', async () => {
    const at = new Date('2024-03-05T02:15:30Z'); // 10:15:30 in Shanghai, in session
    const fresh = createDemoMarket({ seed: 1, now: () => at });
    const [q1] = await fresh.getQuotes([{ market: 'CN', symbol: '600519.SH' }]);

    let t = new Date('2024-03-05T01:31:00Z');
    const walked = createDemoMarket({ seed: 1, now: () => t });
    await walked.getQuotes([{ market: 'CN', symbol: '600519.SH' }]);
    t = at;
    const [q2] = await walked.getQuotes([{ market: 'CN', symbol: '600519.SH' }]);
    expect(q2).toEqual(q1);
    // and going backwards in time recomputes rather than drifting
    t = new Date('2024-03-05T01:45:00Z');
    const [earlier] = await walked.getQuotes([{ market: 'CN', symbol: '600519.SH' }]);
    const [earlierFresh] = await createDemoMarket({ seed: 1, now: () => t }).getQuotes([
      { market: 'CN', symbol: '600519.SH' },
    ]);
    expect(earlier).toEqual(earlierFresh);
  });

  it('moves prices second by second in session and freezes them outside', async () => {
    let t = new Date('2024-03-05T15:00:00Z'); // 10:00 New York
    const m = createDemoMarket({ seed: 3, now: () => t });
    const [a] = await m.getQuotes([{ market: 'US', symbol: 'AAPL' }]);
    t = new Date('2024-03-05T15:00:30Z');
    const [b] = await m.getQuotes([{ market: 'US', symbol: 'AAPL' }]);
    expect(b!.ts.getTime() - a!.ts.getTime()).toBe(30_000);
    expect(b!.volume!).toBeGreaterThan(a!.volume!);

    // Saturday: the quote is Friday's close, stamped at Friday 16:00 New York
    t = new Date('2024-03-09T15:00:00Z');
    const [sat] = await m.getQuotes([{ market: 'US', symbol: 'AAPL' }]);
    expect(sat!.ts.toISOString()).toBe('2024-03-08T21:00:00.000Z');
  });

  it('respects the CN lunch break and trades around the clock in always-open mode', async () => {
    const lunch = new Date('2024-03-05T04:30:00Z'); // 12:30 Shanghai
    expect(isMarketOpen('CN', lunch)).toBe(false);
    const [q] = await createDemoMarket({ seed: 1, now: () => lunch }).getQuotes([
      { market: 'CN', symbol: '000001.SZ' },
    ]);
    expect(q!.ts.toISOString()).toBe('2024-03-05T03:30:00.000Z'); // 11:30 Shanghai, the morning close
    const [open] = await createDemoMarket({ seed: 1, alwaysOpen: true, now: () => lunch }).getQuotes([
      { market: 'CN', symbol: '000001.SZ' },
    ]);
    expect(open!.ts.toISOString()).toBe(lunch.toISOString());
    expect(tradingClock('HK', new Date('2024-03-05T07:59:59Z')).open).toBe(true);
    expect(tradingClock('HK', new Date('2024-03-05T08:00:00Z')).open).toBe(false); // 16:00 HKT is the close
  });
});

describe('demo market statistics', () => {
  const market = createDemoMarket({ seed: 20240101 });
  for (const inst of DEMO_UNIVERSE.slice(0, 13)) {
    it(`${inst.symbol}: realistic returns (vol near target, fat tails, clustered volatility)`, () => {
      const bars = market.dailyBars(inst.symbol, { from: '2020-01-01', to: '2025-12-31' });
      const r = logReturns(bars.map((b) => b.close));
      const mean = r.reduce((a, b) => a + b, 0) / r.length;
      const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1);
      const annualVol = Math.sqrt(variance * 252);
      const kurtosis = r.reduce((a, b) => a + (b - mean) ** 4, 0) / r.length / variance ** 2;
      // CN price limits clip the tails, so allow a wide band around the configured vol
      expect(annualVol).toBeGreaterThan(inst.annualVol * 0.6);
      expect(annualVol).toBeLessThan(inst.annualVol * 1.5);
      expect(kurtosis).toBeGreaterThan(3.3); // Gaussian = 3
      // volatility clustering: squared returns autocorrelate, returns themselves barely do
      const acfSq = [1, 2, 3, 4, 5].map((l) =>
        autocorrelation(
          r.map((x) => x * x),
          l,
        ),
      );
      expect(acfSq.reduce((a, b) => a + b, 0) / 5).toBeGreaterThan(0.05);
      expect(Math.abs(autocorrelation(r, 1))).toBeLessThan(0.1);
      for (const b of bars) {
        expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
        expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
        expect(b.low).toBeGreaterThan(0);
        expect(b.volume).toBeGreaterThan(0);
      }
    });
  }

  it('has at least 12 symbols across CN, HK and US and two years of history', () => {
    expect(DEMO_UNIVERSE.length).toBeGreaterThanOrEqual(12);
    expect(new Set(DEMO_UNIVERSE.map((i) => i.market))).toEqual(new Set(['CN', 'HK', 'US']));
    const bars = market.dailyBars('0700.HK', { from: '2023-01-01', to: '2024-12-31' });
    expect(bars.length).toBeGreaterThanOrEqual(2 * 250);
  });
});
