import type { TLatestQuote } from '@investiq/contracts';
import { describe, expect, it } from 'vitest';
import type { TPosition } from './ledger';
import { findFxRate, valuePortfolio } from './value-portfolio';

const pos = (
  market: 'US' | 'HK',
  symbol: string,
  currency: string,
  quantity: number,
  costBasis: number,
): TPosition => ({
  market,
  symbol,
  currency,
  quantity,
  costBasis,
  avgCost: costBasis / quantity,
  realisedPnl: 0,
  dividends: 0,
  fees: 0,
});
const fresh = (market: 'US' | 'HK', symbol: string, price: number, prevClose: number): TLatestQuote => ({
  status: 'fresh',
  market,
  symbol,
  ageSeconds: 1,
  maxAgeSeconds: 30,
  checkedAt: '2026-12-03T10:00:00.000Z',
  quote: {
    market,
    symbol,
    ts: '2026-12-03T09:59:59.000Z',
    source: 't',
    price,
    open: null,
    high: null,
    low: null,
    prevClose,
    volume: null,
    change: null,
    changePercent: null,
    currency: market === 'US' ? 'USD' : 'HKD',
  },
});

describe('findFxRate', () => {
  const rates = [
    { base: 'USD', quote: 'CNY', rate: 7, asOf: '2026-12-01T00:00:00.000Z', source: 'demo' },
    { base: 'USD', quote: 'CNY', rate: 7.2, asOf: '2026-12-02T00:00:00.000Z', source: 'admin' },
  ];
  it('takes the newest rate, inverts when needed, and never guesses', () => {
    expect(findFxRate(rates, 'USD', 'CNY')).toMatchObject({ rate: 7.2, source: 'admin' });
    expect(findFxRate(rates, 'CNY', 'USD').rate).toBeCloseTo(1 / 7.2, 12);
    expect(findFxRate(rates, 'HKD', 'CNY')).toMatchObject({ rate: null, asOf: null });
    expect(findFxRate(rates, 'CNY', 'CNY')).toMatchObject({ rate: 1 });
  });
});

describe('valuePortfolio', () => {
  it('a missing FX rate makes the base value unavailable and leaves the holding out of the totals', () => {
    const rates = [{ base: 'USD', quote: 'CNY', rate: 7, asOf: '2026-12-03T00:00:00.000Z', source: 'demo' }];
    const { holdings, totals } = valuePortfolio(
      [pos('US', 'AAPL', 'USD', 10, 1000), pos('HK', '0700.HK', 'HKD', 100, 30_000)],
      [fresh('US', 'AAPL', 120, 110), fresh('HK', '0700.HK', 400, 390)],
      new Map(),
      rates,
      'CNY',
    );
    const [us, hk] = holdings;
    // 10 × 120 = 1200 USD → 8400 CNY; day 10 × 10 = 100 USD → 700; total P&L 200 USD → 1400
    expect(us).toMatchObject({ marketValueBase: 8400, dayPnlBase: 700, totalPnlBase: 1400, weight: 1 });
    expect(hk).toMatchObject({
      marketValue: 40_000,
      marketValueBase: null,
      totalPnlBase: null,
      weight: null,
    });
    expect(hk!.fx).toMatchObject({ from: 'HKD', to: 'CNY', rate: null });
    expect(totals).toMatchObject({
      marketValue: 8400,
      costBasis: 7000,
      dayPnl: 700,
      unrealisedPnl: 1400,
      totalPnl: 1400,
      excluded: [{ market: 'HK', symbol: '0700.HK', reason: 'fx-unavailable' }],
    });
  });

  it('weights split the current market value', () => {
    const { holdings } = valuePortfolio(
      [pos('US', 'AAPL', 'USD', 10, 1000), pos('US', 'MSFT', 'USD', 1, 300)],
      [fresh('US', 'AAPL', 30, 30), fresh('US', 'MSFT', 100, 100)],
      new Map(),
      [],
      'USD',
    );
    // 300 and 100 of 400
    expect(holdings.map((h) => h.weight)).toEqual([0.75, 0.25]);
  });

  it('a missing quote has no value at all', () => {
    const { holdings, totals } = valuePortfolio(
      [pos('US', 'AAPL', 'USD', 1, 100)],
      [
        {
          status: 'missing',
          market: 'US',
          symbol: 'AAPL',
          maxAgeSeconds: 30,
          checkedAt: '2026-12-03T10:00:00.000Z',
        },
      ],
      new Map(),
      [],
      'USD',
    );
    expect(holdings[0]).toMatchObject({ status: 'missing', price: null, marketValue: null, totalPnl: null });
    expect(totals.marketValue).toBe(0);
    expect(totals.excluded).toEqual([{ market: 'US', symbol: 'AAPL', reason: 'missing' }]);
  });
});
