import type { DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import type { Fundamentals } from '@investiq/market';
import { FUNDAMENTALS_COLUMNS } from '@investiq/market/csv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { type CsvImportErrorDetails, importCsv } from './csv-import';

let db: DatabaseHandle & { close(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const HEADER = 'market,symbol,date,open,high,low,close,volume';
const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0]?.n);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('importCsv (bars)', () => {
  it('a file with one bad row writes nothing and names the row and field', async () => {
    const csv = [
      HEADER,
      'CN,688981.SH,2024-01-02,52.1,53.0,51.8,52.5,1000',
      'CN,688981.SH,2024-01-03,52.5,51.0,53.0,52.0,1000', // high < low
      'CN,688981.SH,2024-01-04,52.0,52.6,51.9,52.3,1000',
    ].join('\n');
    const err = await rejection(importCsv(db, csv, { kind: 'bars', actor: 'user:admin' }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.status).toBe(400);
    expect(err.message).toBe('row 3, high: high 51 is below low 53; nothing was imported');
    const details = err.details as CsvImportErrorDetails;
    expect(details.errorCount).toBe(1);
    expect(details.errors).toEqual([{ row: 3, field: 'high', message: 'high 51 is below low 53' }]);
    expect(await count(`SELECT count(*) AS n FROM daily_bars WHERE symbol = '688981.SH'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM symbols WHERE symbol = '688981.SH'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'market.import'`)).toBe(0);
  });

  it('a good file writes bars (source csv), registers unknown symbols and audits, in one go', async () => {
    const csv = [
      HEADER,
      'CN,688981.SH,2024-01-02,52.1,53.0,51.8,52.5,1000',
      'CN,688981.SH,2024-01-03,52.5,53.0,51.0,52.0,2000',
      'HK,9988.HK,2024-01-02,68.0,69.1,67.5,68.8,300000',
    ].join('\r\n');
    const progress: string[] = [];
    const result = await importCsv(db, csv, {
      kind: 'bars',
      actor: 'user:admin',
      ip: '127.0.0.1',
      fileName: 'bars.csv',
      onProgress: (p) => progress.push(p.phase),
    });
    expect(result).toEqual({ kind: 'bars', rows: 3, inserted: 3, updated: 0, symbolsRegistered: 2 });
    expect(progress).toContain('writing');
    const bars = await db.query<{
      symbol: string;
      date: string;
      close: string;
      volume: string;
      source: string;
    }>(
      `SELECT symbol, to_char(date, 'YYYY-MM-DD') AS date, close::text, volume::text, source FROM daily_bars
        WHERE source = 'csv' ORDER BY symbol, date`,
    );
    expect(bars).toEqual([
      { symbol: '688981.SH', date: '2024-01-02', close: '52.500000', volume: '1000', source: 'csv' },
      { symbol: '688981.SH', date: '2024-01-03', close: '52.000000', volume: '2000', source: 'csv' },
      { symbol: '9988.HK', date: '2024-01-02', close: '68.800000', volume: '300000', source: 'csv' },
    ]);
    const sym = await db.query<Record<string, unknown>>(
      `SELECT market, symbol, currency, exchange, source, is_demo FROM symbols WHERE source = 'csv' ORDER BY symbol`,
    );
    expect(sym).toEqual([
      { market: 'CN', symbol: '688981.SH', currency: 'CNY', exchange: 'SSE', source: 'csv', is_demo: false },
      { market: 'HK', symbol: '9988.HK', currency: 'HKD', exchange: 'HKEX', source: 'csv', is_demo: false },
    ]);
    const audit = await db.query<{
      actor: string;
      target: string;
      new_value: Record<string, unknown>;
      ip: string;
    }>(`SELECT actor, target, new_value, ip FROM audit_log WHERE action = 'market.import'`);
    expect(audit).toEqual([
      {
        actor: 'user:admin',
        target: 'csv:bars',
        ip: '127.0.0.1',
        new_value: { file: 'bars.csv', kind: 'bars', rows: 3, inserted: 3, updated: 0, symbolsRegistered: 2 },
      },
    ]);
  });

  it('re-importing a corrected row updates it instead of duplicating', async () => {
    const result = await importCsv(db, `${HEADER}\nCN,688981.SH,2024-01-03,52.5,53.0,51.0,52.2,2100\n`, {
      kind: 'bars',
      actor: 'user:admin',
    });
    expect(result).toMatchObject({ inserted: 0, updated: 1, symbolsRegistered: 0 });
    const [row] = await db.query<{ close: string }>(
      `SELECT close::text FROM daily_bars WHERE symbol = '688981.SH' AND date = '2024-01-03' AND source = 'csv'`,
    );
    expect(row?.close).toBe('52.200000');
  });
});

describe('importCsv (fundamentals)', () => {
  const line = (symbol: string, roe: string) =>
    FUNDAMENTALS_COLUMNS.map(
      (c) =>
        ({
          market: 'US',
          symbol,
          currency: 'USD',
          fiscal_period_end: '2023-09-30',
          as_of: '2023-11-03T20:30:00Z',
          roe,
          pe: '',
        })[c as string] ?? '100',
    ).join(',');

  it('stores the Fundamentals object as jsonb', async () => {
    const result = await importCsv(db, [FUNDAMENTALS_COLUMNS.join(','), line('AAPL', '1.56')].join('\n'), {
      kind: 'fundamentals',
      actor: 'user:admin',
    });
    expect(result).toEqual({ kind: 'fundamentals', rows: 1, inserted: 1, updated: 0, symbolsRegistered: 1 });
    const [row] = await db.query<{ fiscal_period_end: string; as_of: Date; data: Fundamentals }>(
      `SELECT to_char(fiscal_period_end, 'YYYY-MM-DD') AS fiscal_period_end, as_of, data FROM fundamentals WHERE symbol = 'AAPL'`,
    );
    expect(row?.fiscal_period_end).toBe('2023-09-30');
    expect(new Date(row!.as_of).toISOString()).toBe('2023-11-03T20:30:00.000Z');
    expect(row?.data.ratios).toMatchObject({ roe: 1.56, pe: null });
    expect(row?.data.income.revenue).toBe(100);
  });

  it('a bad fundamentals row writes nothing', async () => {
    const err = await rejection(
      importCsv(db, [FUNDAMENTALS_COLUMNS.join(','), line('MSFT', '0.3'), line('MSFT.', 'x')].join('\n'), {
        kind: 'fundamentals',
        actor: 'user:admin',
      }),
    );
    const details = err.details as CsvImportErrorDetails;
    expect(details.errors.map((e) => `${e.row}:${e.field}`)).toEqual(['3:symbol', '3:roe']);
    expect(await count(`SELECT count(*) AS n FROM fundamentals WHERE symbol = 'MSFT'`)).toBe(0);
  });
});
