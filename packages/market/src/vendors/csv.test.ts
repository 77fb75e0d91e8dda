import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FUNDAMENTALS_COLUMNS, parseBarsCsv, parseFundamentalsCsv } from './csv';

const HEADER = 'market,symbol,date,open,high,low,close,volume';
const GOOD = [
  HEADER,
  'CN,600519.SH,2024-01-02,1715.00,1718.19,1678.10,1685.01,3215596',
  'CN,600519.SH,2024-01-03,1681.11,1686.00,1667.00,1681.00,2071055',
  'HK,0700.HK,2024-01-02,292.0,293.6,285.2,288.6,15800000',
  'us,aapl,2024-01-02,187.15,188.44,183.89,185.64,82488700',
].join('\n');

describe('parseBarsCsv', () => {
  it('reads a good file (market/symbol upper-cased)', async () => {
    const r = await parseBarsCsv(GOOD);
    expect(r.errors).toEqual([]);
    expect(r.errorCount).toBe(0);
    expect(r.rowCount).toBe(4);
    expect(r.rows[0]).toEqual({
      market: 'CN',
      symbol: '600519.SH',
      date: '2024-01-02',
      open: 1715,
      high: 1718.19,
      low: 1678.1,
      close: 1685.01,
      volume: 3215596,
    });
    expect(r.rows[3]).toMatchObject({ market: 'US', symbol: 'AAPL' });
  });

  it('accepts a UTF-8 BOM, CRLF line ends, a reordered header and a stream', async () => {
    const text =
      '\uFEFFsymbol,market,date,open,high,low,close,volume\r\n600519.SH,CN,2024-01-02,1715,1718.19,1678.1,1685.01,100\r\n';
    const r = await parseBarsCsv(Readable.from([Buffer.from(text, 'utf8')]));
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]?.symbol).toBe('600519.SH');
  });

  const bad: Array<[string, string, string, RegExp]> = [
    ['unknown market', 'XX,600519.SH,2024-01-02,1,2,1,1,1', 'market', /market must be one of CN, HK, US/],
    ['symbol format', 'CN,600519,2024-01-02,1,2,1,1,1', 'symbol', /not a valid CN symbol/],
    ['missing symbol', 'CN,,2024-01-02,1,2,1,1,1', 'symbol', /symbol is required/],
    ['date format', 'CN,600519.SH,02/01/2024,1,2,1,1,1', 'date', /YYYY-MM-DD/],
    ['impossible date', 'CN,600519.SH,2024-02-30,1,2,1,1,1', 'date', /YYYY-MM-DD/],
    [
      'non-numeric open',
      'CN,600519.SH,2024-01-02,abc,2,1,1,1',
      'open',
      /open must be a number \(got 'abc'\)/,
    ],
    ['seven decimals', 'CN,600519.SH,2024-01-02,1.0000001,2,1,1.5,1', 'open', /more than 6 decimal places/],
    ['zero close', 'CN,600519.SH,2024-01-02,1,2,1,0,1', 'close', /close must be positive/],
    ['negative low', 'CN,600519.SH,2024-01-02,1,2,-1,1,1', 'low', /low must be positive/],
    ['high below low', 'CN,600519.SH,2024-01-02,1,1,2,1,1', 'high', /high 1 is below low 2/],
    ['close above high', 'CN,600519.SH,2024-01-02,1,2,1,3,1', 'close', /outside low–high/],
    ['fractional volume', 'CN,600519.SH,2024-01-02,1,2,1,1,1.5', 'volume', /whole number/],
    ['negative volume', 'CN,600519.SH,2024-01-02,1,2,1,1,-5', 'volume', /whole number/],
    ['column count', 'CN,600519.SH,2024-01-02,1,2,1,1', '', /expected 8 values, found 7/],
  ];
  it.each(bad)('%s → row 3, field %s', async (_name, line, field, message) => {
    const ok = 'CN,600519.SH,2023-12-29,1,2,1,1,1';
    const r = await parseBarsCsv([HEADER, ok, line].join('\n'));
    expect(r.rows).toHaveLength(1); // the good row still parses; the caller decides to write nothing
    expect(r.errorCount).toBe(1);
    expect(r.errors[0]).toMatchObject({ row: 3, field });
    expect(r.errors[0]?.message).toMatch(message);
  });

  it('reports every bad field of a row, and every bad row', async () => {
    const r = await parseBarsCsv(
      [HEADER, 'XX,,2024-13-01,x,1,1,1,1', 'CN,600519.SH,2024-01-02,1,2,1,1,-1'].join('\n'),
    );
    expect(r.errors.map((e) => `${e.row}:${e.field}`)).toEqual([
      '2:market',
      '2:symbol',
      '2:date',
      '2:open',
      '3:volume',
    ]);
  });

  it('flags duplicate dates of a symbol with the first row', async () => {
    const r = await parseBarsCsv(
      [
        HEADER,
        'CN,600519.SH,2024-01-02,1,2,1,1,1',
        'CN,600519.SZ,2024-01-02,1,2,1,1,1',
        'cn,600519.sh,2024-01-02,1,2,1,1,1',
      ].join('\n'),
    );
    expect(r.errors).toEqual([
      { row: 4, field: 'date', message: 'duplicate 600519.SH 2024-01-02 (first on row 2)' },
    ]);
  });

  it('rejects a bad header: missing, unknown and duplicate columns', async () => {
    const r = await parseBarsCsv(
      'market,symbol,date,open,high,low,close,price,price\nCN,600519.SH,2024-01-02,1,2,1,1,1,1',
    );
    expect(r.errors).toEqual([
      { row: 1, field: 'volume', message: "header lacks column 'volume'" },
      { row: 1, field: 'price', message: expect.stringMatching(/unknown column 'price'/) },
      { row: 1, field: 'price', message: expect.stringMatching(/unknown column 'price'/) },
      { row: 1, field: 'price', message: "column 'price' appears twice" },
    ]);
    expect(r.rows).toEqual([]);
  });

  it('rejects an empty file and a header-only file', async () => {
    expect((await parseBarsCsv('')).errors[0]?.message).toMatch(/empty/);
    expect((await parseBarsCsv(`${HEADER}\n`)).errors[0]?.message).toMatch(/no data rows/);
  });

  it('reports malformed quoting with its line', async () => {
    const r = await parseBarsCsv(`${HEADER}\nCN,"600519.SH,2024-01-02,1,2,1,1,1\n`);
    expect(r.errorCount).toBe(1);
    expect(r.errors[0]?.message).toMatch(/malformed CSV/);
  });

  it('caps the error list but counts every error', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 300; i++) lines.push(`CN,600519.SH,2024-01-02,x,2,1,1,${i}`);
    const r = await parseBarsCsv(lines.join('\n'), { maxErrors: 200 });
    expect(r.errors).toHaveLength(200);
    // 300 bad opens + 299 duplicates of row 2's key
    expect(r.errorCount).toBe(599);
  });

  it('reports progress', async () => {
    const seen: number[] = [];
    const lines = [HEADER];
    for (let d = 1; d <= 25; d++) lines.push(`CN,600519.SH,2024-01-${String(d).padStart(2, '0')},1,2,1,1,1`);
    await parseBarsCsv(lines.join('\n'), { progressEvery: 10, onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([10, 20]);
  });
});

describe('parseFundamentalsCsv', () => {
  const header = FUNDAMENTALS_COLUMNS.join(',');
  const row = (over: Record<string, string> = {}) => {
    const base: Record<string, string> = {
      market: 'CN',
      symbol: '600519.SH',
      currency: 'CNY',
      fiscal_period_end: '2023-12-31',
      as_of: '2024-04-03',
      revenue: '150560330316.45',
      gross_profit: '138693056464.67',
      operating_income: '103916245616.02',
      net_income: '74734071550.75',
      eps: '59.49',
      total_assets: '272699660092.25',
      total_liabilities: '49034109182.23',
      equity: '215668571607.36',
      cash: '69070856370.16',
      shares_outstanding: '1256197800',
      pe: '29.33',
      pb: '9.07',
      roe: '0.3419',
      gross_margin: '0.9196',
      operating_margin: '0.6902',
      net_margin: '0.4964',
      revenue_growth: '0.1804',
      earnings_growth: '0.1916',
      debt_to_equity: '0.2273',
      ...over,
    };
    return FUNDAMENTALS_COLUMNS.map((c) => base[c]).join(',');
  };

  it('maps a good row onto the Fundamentals type', async () => {
    const r = await parseFundamentalsCsv(
      [header, row(), row({ symbol: '000001.SZ', pe: '', pb: '' })].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.rows[0]).toMatchObject({
      market: 'CN',
      symbol: '600519.SH',
      currency: 'CNY',
      fiscalPeriodEnd: '2023-12-31',
      asOf: '2024-04-03T00:00:00.000Z',
      income: { revenue: 150560330316.45, eps: 59.49 },
      balance: { sharesOutstanding: 1256197800 },
      ratios: { pe: 29.33, roe: 0.3419, debtToEquity: 0.2273 },
      isDemo: false,
    });
    expect(r.rows[1]?.ratios).toMatchObject({ pe: null, pb: null });
  });

  it('reports bad fields and duplicate periods', async () => {
    const r = await parseFundamentalsCsv(
      [header, row(), row({ roe: 'high', cash: '-1', as_of: 'yesterday', currency: 'RMBX' }), row()].join(
        '\n',
      ),
    );
    expect(r.errors.map((e) => `${e.row}:${e.field}`)).toEqual([
      '3:currency',
      '3:as_of',
      '3:cash',
      '3:roe',
      '3:fiscal_period_end',
      '4:fiscal_period_end',
    ]);
  });
});
