import type { DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCloseChecks } from './cross-check';

describe('daily close cross-check', () => {
  let db: DatabaseHandle;
  const bar = (symbol: string, date: string, source: string, close: number) =>
    db.query(
      `INSERT INTO daily_bars (market, symbol, date, source, open, high, low, close, volume)
       VALUES ('US', $1, $2, $3, $4, $4, $4, $4, 100)`,
      [symbol, date, source, close],
    );
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.query(
      `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source, is_demo)
       VALUES ('US', 'AAPL', 'Apple', '苹果', 'USD', 'NASDAQ', 'finnhub', false),
              ('US', 'MSFT', 'Microsoft', '微软', 'USD', 'NASDAQ', 'finnhub', false)`,
    );
    // AAPL: the sources agree on 12-01 and disagree by (102 − 100) / 100 = 2 % on 12-02, the latest shared day
    await bar('AAPL', '2026-12-01', 'finnhub', 100);
    await bar('AAPL', '2026-12-01', 'yahoo', 100);
    await bar('AAPL', '2026-12-02', 'finnhub', 100);
    await bar('AAPL', '2026-12-02', 'yahoo', 102);
    await bar('AAPL', '2026-12-03', 'finnhub', 101); // only one source: not the compared day
    // MSFT: 0.5 % apart; and a demo bar that must never be compared
    await bar('MSFT', '2026-12-02', 'finnhub', 400);
    await bar('MSFT', '2026-12-02', 'yahoo', 402);
    await bar('MSFT', '2026-12-02', 'demo', 300);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('compares the latest shared day and flags gaps above the threshold', async () => {
    const checks = await readCloseChecks(db, { thresholdPercent: 1 });
    expect(checks).toEqual([
      {
        market: 'US',
        symbol: 'AAPL',
        date: '2026-12-02',
        closes: { finnhub: 100, yahoo: 102 },
        diffPercent: 2,
        flagged: true,
      },
      {
        market: 'US',
        symbol: 'MSFT',
        date: '2026-12-02',
        closes: { finnhub: 400, yahoo: 402 },
        diffPercent: 0.5,
        flagged: false,
      },
    ]);
  });

  it('reads one symbol for a report', async () => {
    const [one, ...rest] = await readCloseChecks(db, {
      thresholdPercent: 5,
      ref: { market: 'US', symbol: 'AAPL' },
    });
    expect(rest).toHaveLength(0);
    expect(one).toMatchObject({ symbol: 'AAPL', flagged: false });
  });
});
