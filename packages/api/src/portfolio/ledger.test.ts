import { describe, expect, it } from 'vitest';
import { computeLedger, type TLedgerTx } from './ledger';

const us = (
  type: TLedgerTx['type'],
  tradeDate: string,
  quantity: number,
  price: number,
  fee = 0,
): TLedgerTx => ({
  type,
  market: 'US',
  symbol: 'AAPL',
  tradeDate,
  quantity,
  price,
  fee,
  currency: 'USD',
});
const cn = (
  type: TLedgerTx['type'],
  tradeDate: string,
  quantity: number,
  price: number,
  fee = 0,
): TLedgerTx => ({
  type,
  market: 'CN',
  symbol: '600519.SH',
  tradeDate,
  quantity,
  price,
  fee,
  currency: 'CNY',
});

describe('computeLedger: average cost', () => {
  it('averages buys with their fees and realises sells against the average', () => {
    const r = computeLedger([
      us('buy', '2026-01-02', 10, 100, 1), // cost 1001
      us('buy', '2026-01-05', 10, 120, 1), // cost 1001 + 1201 = 2202, 20 shares, avg 110.1
      us('sell', '2026-01-06', 5, 130, 2), // proceeds 650 − cost 5×110.1 = 550.5 − fee 2 → realised 97.5
    ]);
    expect(r.errors).toEqual([]);
    expect(r.positions).toEqual([
      {
        market: 'US',
        symbol: 'AAPL',
        currency: 'USD',
        quantity: 15,
        costBasis: 1651.5, // 2202 − 550.5
        avgCost: 110.1,
        realisedPnl: 97.5,
        dividends: 0,
        fees: 4,
      },
    ]);
  });

  it('closing the position leaves no cost behind', () => {
    const r = computeLedger([us('buy', '2026-01-02', 3, 10), us('sell', '2026-01-03', 3, 9, 0.5)]);
    // 27 − 30 − 0.5 = −3.5
    expect(r.positions[0]).toMatchObject({ quantity: 0, costBasis: 0, avgCost: null, realisedPnl: -3.5 });
  });

  it('orders by trade date whatever the input order', () => {
    const r = computeLedger([us('sell', '2026-01-03', 2, 12), us('buy', '2026-01-02', 2, 10)]);
    expect(r.errors).toEqual([]);
    expect(r.positions[0]!.realisedPnl).toBe(4); // 2 × (12 − 10)
  });
});

describe('computeLedger: splits, dividends, fees', () => {
  it('a 2-for-1 split doubles the quantity and halves the cost per share, keeping the cost basis', () => {
    const r = computeLedger([us('buy', '2026-01-02', 10, 100), us('split', '2026-02-01', 2, 0)]);
    expect(r.positions[0]).toMatchObject({ quantity: 20, costBasis: 1000, avgCost: 50 });
  });

  it('a 1-for-4 reverse split', () => {
    const r = computeLedger([us('buy', '2026-01-02', 8, 5), us('split', '2026-02-01', 0.25, 0)]);
    expect(r.positions[0]).toMatchObject({ quantity: 2, costBasis: 40, avgCost: 20 });
  });

  it('dividends are cash income net of withholding and do not change the cost basis', () => {
    const r = computeLedger([us('buy', '2026-01-02', 10, 100), us('dividend', '2026-03-01', 10, 0.24, 0.36)]);
    // 10 × 0.24 = 2.4, less 0.36 withheld = 2.04
    expect(r.positions[0]).toMatchObject({
      quantity: 10,
      costBasis: 1000,
      dividends: 2.04,
      fees: 0.36,
      realisedPnl: 0,
    });
  });

  it('a standalone fee is a realised loss', () => {
    const r = computeLedger([us('buy', '2026-01-02', 1, 100), us('fee', '2026-04-01', 0, 0, 1.5)]);
    expect(r.positions[0]).toMatchObject({ costBasis: 100, realisedPnl: -1.5, fees: 1.5 });
  });
});

describe('computeLedger: rules', () => {
  it('selling more than held names the row and field', () => {
    const r = computeLedger([us('buy', '2026-01-02', 5, 10), us('sell', '2026-01-03', 6, 10)]);
    expect(r.errors).toEqual([
      { index: 1, field: 'quantity', message: 'selling 6 AAPL on 2026-01-03 but only 5 held' },
    ]);
    expect(r.positions[0]!.quantity).toBe(5);
  });

  it('A-share buys are in lots of 100', () => {
    const r = computeLedger([cn('buy', '2026-01-05', 150, 1500)]);
    expect(r.errors).toEqual([
      { index: 0, field: 'quantity', message: 'A-share buys are in lots of 100 shares (got 150)' },
    ]);
  });

  it('A-share odd-lot sells only close a position', () => {
    // 300 bought, a 3-for-2 split leaves 450: 400 in lots, then the odd 50 closes the position
    const ok = computeLedger([
      cn('buy', '2026-01-05', 300, 10),
      cn('split', '2026-01-06', 1.5, 0),
      cn('sell', '2026-01-07', 400, 11),
      cn('sell', '2026-01-08', 50, 12),
    ]);
    expect(ok.errors).toEqual([]);
    expect(ok.positions[0]!.quantity).toBe(0);
    const bad = computeLedger([cn('buy', '2026-01-05', 300, 10), cn('sell', '2026-01-07', 150, 11)]);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatchObject({ index: 1, field: 'quantity' });
    expect(bad.errors[0]!.message).toContain('lots of 100');
  });

  it('T+1: an A-share bought on day D cannot be sold on D, but shares held before can', () => {
    const sameDay = computeLedger([cn('buy', '2026-01-05', 100, 10), cn('sell', '2026-01-05', 100, 11)]);
    expect(sameDay.errors).toHaveLength(1);
    expect(sameDay.errors[0]).toMatchObject({ index: 1, field: 'tradeDate' });
    expect(sameDay.errors[0]!.message).toContain('T+1');
    const held = computeLedger([
      cn('buy', '2026-01-02', 100, 10),
      cn('buy', '2026-01-05', 100, 10),
      cn('sell', '2026-01-05', 100, 11),
    ]);
    expect(held.errors).toEqual([]);
    // nothing like T+1 for US shares
    expect(computeLedger([us('buy', '2026-01-05', 1, 10), us('sell', '2026-01-05', 1, 11)]).errors).toEqual(
      [],
    );
  });

  it('currency must be the symbol’s trading currency; amounts must be positive', () => {
    const r = computeLedger([
      { ...us('buy', '2026-01-02', 1, 10), currency: 'CNY' },
      us('buy', '2026-01-02', 0, 10),
      us('buy', '2026-01-02', 1, -1),
      us('buy', '2026-13-40', 1, 1),
    ]);
    expect(r.errors.map((e) => [e.index, e.field])).toEqual([
      [0, 'currency'],
      [1, 'quantity'],
      [2, 'price'],
      [3, 'tradeDate'],
    ]);
  });

  it('HK lot sizes are unknown: not checked, with a note', () => {
    const r = computeLedger([
      {
        type: 'buy',
        market: 'HK',
        symbol: '0700.HK',
        tradeDate: '2026-01-02',
        quantity: 150,
        price: 400,
        fee: 0,
        currency: 'HKD',
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.notes).toEqual(['0700.HK: board lot size is not known, so HK lot sizes were not checked']);
  });
});
