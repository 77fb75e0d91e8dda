import type { BacktestRecord } from './types';

export type ExportFormat = 'json' | 'equity-csv' | 'trades-csv';

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  // quote when needed; a leading = + - @ is prefixed so spreadsheets do not run it as a formula
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const csv = (rows: unknown[][]): string => `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;

/** A finished backtest as a download: the whole record (JSON), the daily series or the trade list (CSV). */
export function exportBacktest(
  r: BacktestRecord,
  format: ExportFormat,
): { filename: string; contentType: string; body: string } {
  const base = `investiq-backtest-${r.strategy}-${r.id.slice(0, 8)}`;
  if (format === 'json')
    return { filename: `${base}.json`, contentType: 'application/json', body: JSON.stringify(r, null, 1) };
  const res = r.result;
  if (format === 'equity-csv') {
    const rows: unknown[][] = [['date', 'equity', 'buy_and_hold', 'benchmark', 'drawdown']];
    if (res)
      for (const [i, d] of res.dates.entries())
        rows.push([d, res.equity[i], res.buyHold[i], res.benchmark?.[i] ?? '', res.drawdown[i]]);
    return { filename: `${base}-equity.csv`, contentType: 'text/csv', body: csv(rows) };
  }
  const rows: unknown[][] = [
    [
      'date',
      'market',
      'symbol',
      'side',
      'shares',
      'price',
      'value',
      'commission',
      'stamp_duty',
      'other_fees',
      'reason',
    ],
  ];
  for (const s of res?.symbols ?? [])
    for (const f of s.fills)
      rows.push([
        f.date,
        s.market,
        s.symbol,
        f.side,
        f.shares,
        f.price,
        f.value,
        f.commission,
        f.stampDuty,
        f.otherFees,
        f.reason,
      ]);
  rows.sort((a, b) =>
    a[0] === 'date' ? -1 : b[0] === 'date' ? 1 : String(a[0]).localeCompare(String(b[0])),
  );
  return { filename: `${base}-trades.csv`, contentType: 'text/csv', body: csv(rows) };
}
