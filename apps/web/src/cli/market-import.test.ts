import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.resolve(here, '../../../../node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'market-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], databaseUrl = ''): Promise<{ code: number | null; output: string }> {
  const child = spawn(tsx, [path.join(here, 'market-import.ts'), ...args], {
    // by default the embedded database in a fresh data dir (DATABASE_URL empty)
    env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

const HEADER = 'market,symbol,date,open,high,low,close,volume';

describe('npm run market:import (its own process, embedded database)', () => {
  it('prints the row report and exits 1 on a bad file, then imports a good one', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(
      bad,
      `${HEADER}\nCN,601988.SH,2024-01-02,3.0,3.1,2.9,3.05,100\nCN,601988.SH,2024-01-03,3.0,3.1,2.9,x,100\n`,
    );
    const r1 = await run(['--file', bad]);
    expect(r1.code, r1.output).toBe(1);
    expect(r1.output).toContain('1 problem in 2 rows; nothing was imported');
    expect(r1.output).toMatch(/^3\tclose\tclose must be a number \(got 'x'\)$/m);

    const good = path.join(dir, 'good.csv');
    writeFileSync(
      good,
      `\uFEFF${HEADER}\r\nCN,601988.SH,2024-01-02,3.0,3.1,2.9,3.05,100\r\nCN,601988.SH,2024-01-03,3.05,3.1,3.0,3.08,120\r\n`,
    );
    const r2 = await run(['--file', good, '--kind', 'bars']);
    expect(r2.code, r2.output).toBe(0);
    expect(r2.output).toContain('imported 2 rows: 2 new, 0 updated, 1 symbols registered');

    const db = await createDatabase({ dataDir: path.join(dir, 'pglite') });
    try {
      const rows = await db.query<{ d: string; close: string }>(
        `SELECT to_char(date, 'YYYY-MM-DD') AS d, close::text FROM daily_bars WHERE symbol = '601988.SH' AND source = 'csv' ORDER BY date`,
      );
      expect(rows).toEqual([
        { d: '2024-01-02', close: '3.050000' },
        { d: '2024-01-03', close: '3.080000' },
      ]);
      const audit = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'market.import'`,
      );
      expect(audit[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
  }, 180_000);

  it('exits 1 with a message for a missing --file', async () => {
    const r = await run([]);
    expect(r.code).toBe(1);
    expect(r.output).toContain('--file is required');
  }, 60_000);

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'imports fundamentals into PostgreSQL (DATABASE_URL)',
    async () => {
      const db = await createTestDatabase();
      try {
        const cols =
          'market,symbol,currency,fiscal_period_end,as_of,revenue,gross_profit,operating_income,net_income,eps,total_assets,total_liabilities,equity,cash,shares_outstanding,pe,pb,roe,gross_margin,operating_margin,net_margin,revenue_growth,earnings_growth,debt_to_equity';
        const file = path.join(dir, 'fund.csv');
        writeFileSync(
          file,
          `${cols}\nHK,0005.HK,USD,2023-12-31,2024-02-21,66058000000,66058000000,30348000000,24559000000,1.15,3038677000000,2847623000000,185329000000,285925000000,18737000000,7.1,0.8,0.128,1,0.459,0.372,0.31,0.78,15.37\n`,
        );
        const r = await run(['--file', file, '--kind', 'fundamentals'], db.url!);
        expect(r.code, r.output).toBe(0);
        expect(r.output).toContain('imported 1 rows: 1 new, 0 updated, 1 symbols registered');
        const rows = await db.query<{ symbol: string; roe: number }>(
          `SELECT symbol, (data->'ratios'->>'roe')::float8 AS roe FROM fundamentals WHERE source = 'csv'`,
        );
        expect(rows).toEqual([{ symbol: '0005.HK', roe: 0.128 }]);
      } finally {
        await db.close();
      }
    },
    120_000,
  );
});
