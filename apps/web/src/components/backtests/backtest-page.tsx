'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useDict, usePrefs } from '~/lib/i18n';
import { backtestsDict } from '~/lib/i18n/backtests';
import { useTRPC } from '~/lib/trpc';
import { DrawdownChart, EquityChart } from '../lazy-charts';
import { fmtNum, fmtPct } from './format';
import { SERIES_COLORS } from './series-colors';
import './backtests.css';
import '../reports/reports.css';

const MAX_TRADES_SHOWN = 200;

type MetricKind = 'pct' | 'num' | 'int' | 'money';
const METRIC_ROWS: [string, MetricKind][] = [
  ['totalReturn', 'pct'],
  ['cagr', 'pct'],
  ['annVol', 'pct'],
  ['sharpe', 'num'],
  ['sortino', 'num'],
  ['maxDrawdown', 'pct'],
  ['maxDrawdownDays', 'int'],
  ['calmar', 'num'],
  ['winRate', 'pct'],
  ['roundTrips', 'int'],
  ['turnover', 'num'],
  ['exposure', 'pct'],
  ['trades', 'int'],
  ['costs', 'money'],
  ['endEquity', 'money'],
];

export function BacktestPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const d = useDict(backtestsDict);
  const { lang } = usePrefs();
  const q = useQuery(
    trpc.backtests.get.queryOptions(
      { id },
      { refetchInterval: (query) => (query.state.data?.status === 'running' ? 700 : false) },
    ),
  );
  const b = q.data;
  const fmt = (v: unknown, kind: MetricKind) => {
    const x = typeof v === 'number' ? v : null;
    if (kind === 'pct') return fmtPct(x, lang);
    if (kind === 'int') return fmtNum(x, lang, 0);
    return fmtNum(x, lang);
  };

  const download = async (format: 'json' | 'equity-csv' | 'trades-csv') => {
    const file = await qc.fetchQuery(trpc.backtests.export.queryOptions({ id, format }));
    const url = URL.createObjectURL(new Blob([file.body], { type: file.contentType }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.filename;
    a.click();
    URL.revokeObjectURL(url);
  };

  if (q.error)
    return (
      <section className="card">
        <p className="error">{q.error.message}</p>
      </section>
    );
  if (!b)
    return (
      <section className="card">
        <p className="muted">…</p>
      </section>
    );
  const r = b.result;
  const allFills = (r?.symbols ?? [])
    .flatMap((s) => s.fills.map((f) => ({ ...f, symbol: s.symbol })))
    .sort((x, y) => x.date.localeCompare(y.date));

  return (
    <>
      <p className="back-link">
        <Link href="/backtests">{d.back}</Link>
      </p>
      <section className="card" data-testid="bt-result">
        <div className="report-head">
          <div>
            <h1>{d.strategyName[b.strategy] ?? b.strategy}</h1>
            <p className="muted">
              {b.symbols.map((s) => `${s.market}:${s.symbol}`).join(', ')} · {b.from} – {b.to}
              {r ? ` · ${JSON.stringify(r.params)}` : ''}
            </p>
          </div>
          <div className="report-head-side">
            <span className={`rstatus rstatus-${b.status}`} data-testid="bt-status">
              {d.status[b.status] ?? b.status}
            </span>
            {b.status === 'complete' && (
              <div className="bt-actions">
                <button type="button" className="button" onClick={() => void download('json')}>
                  {d.exportJson}
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => void download('equity-csv')}
                  data-testid="bt-export-equity"
                >
                  {d.exportEquity}
                </button>
                <button type="button" className="button" onClick={() => void download('trades-csv')}>
                  {d.exportTrades}
                </button>
              </div>
            )}
          </div>
        </div>
        {b.status === 'running' && (
          <label>
            {d.progress}: {Math.round(b.progress * 100)}% {b.progressLabel ? `· ${b.progressLabel}` : ''}
            <progress className="bt-progress" value={b.progress} max={1} data-testid="bt-progress" />
          </label>
        )}
        {b.status === 'failed' && (
          <p className="error" data-testid="bt-failed">
            {d.failed}
            {b.error}
          </p>
        )}
      </section>

      {r && (
        <>
          <section className="card">
            <h2>{d.equity}</h2>
            <div className="bt-legend">
              <span>
                <i style={{ background: SERIES_COLORS.strategy }} />
                {d.series.strategy}
              </span>
              <span>
                <i style={{ background: SERIES_COLORS.buyHold }} />
                {d.series.buyHold}
              </span>
              {r.benchmark && (
                <span>
                  <i style={{ background: SERIES_COLORS.benchmark }} />
                  {d.series.benchmark}:{' '}
                  {b.benchmark
                    ? d.benchmarkOf(`${b.benchmark.market}:${b.benchmark.symbol}`)
                    : d.benchmarkEqual}
                </span>
              )}
            </div>
            <EquityChart dates={r.dates} equity={r.equity} buyHold={r.buyHold} benchmark={r.benchmark} />
            <h2>{d.drawdown}</h2>
            <DrawdownChart dates={r.dates} drawdown={r.drawdown} />
          </section>

          <section className="card">
            <h2>{d.metrics}</h2>
            <div className="table-scroll">
              <table className="rtable" data-testid="bt-metrics">
                <thead>
                  <tr>
                    <th />
                    <th>{d.series.strategy}</th>
                    <th>{d.series.buyHold}</th>
                    <th>{d.series.benchmark}</th>
                  </tr>
                </thead>
                <tbody>
                  {METRIC_ROWS.map(([k, kind]) => {
                    const get = (m: unknown) => (m as Record<string, unknown> | null)?.[k];
                    const bench = [
                      'trades',
                      'costs',
                      'turnover',
                      'winRate',
                      'roundTrips',
                      'exposure',
                    ].includes(k)
                      ? '—'
                      : fmt(get(r.benchmarkMetrics), kind);
                    return (
                      <tr key={k} data-testid={`bt-metric-${k}`}>
                        <th>{d.metric[k] ?? k}</th>
                        <td className="num">{fmt(get(r.metrics), kind)}</td>
                        <td className="num">{fmt(get(r.buyHoldMetrics), kind)}</td>
                        <td className="num">{bench}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>

          <section className="card">
            <h2>{d.perSymbol}</h2>
            <div className="table-scroll">
              <table className="rtable" data-testid="bt-symbols">
                <thead>
                  <tr>
                    <th>{d.symbols}</th>
                    <th>{d.metric.cagr}</th>
                    <th>{d.metric.sharpe}</th>
                    <th>{d.metric.maxDrawdown}</th>
                    <th className="hide-sm">{d.metric.trades}</th>
                    <th className="hide-sm">
                      {d.lot} / {d.limit}
                    </th>
                    <th>{d.blocked}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.symbols.map((s) => (
                    <tr key={`${s.market}:${s.symbol}`}>
                      <td>
                        <Link href={`/symbol/${s.market}/${encodeURIComponent(s.symbol)}`}>{s.symbol}</Link>
                      </td>
                      <td className="num">{fmtPct(s.metrics.cagr, lang)}</td>
                      <td className="num">{fmtNum(s.metrics.sharpe, lang)}</td>
                      <td className="num">{fmtPct(s.metrics.maxDrawdown, lang)}</td>
                      <td className="num hide-sm">{s.metrics.trades}</td>
                      <td className="hide-sm">
                        {s.lotSize} / {s.priceLimit === null ? '—' : `±${Math.round(s.priceLimit * 100)}%`}
                      </td>
                      <td>
                        {Object.entries(s.blockedCounts)
                          .map(([k, n]) => `${d.blockedReason[k] ?? k} ${n}`)
                          .join(', ') || '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          {r.sweep && (
            <section className="card" data-testid="bt-sweep">
              <h2>{d.sweepTitle}</h2>
              <p className="muted small">{d.sweepHelp}</p>
              <div className="table-scroll">
                <table className="rtable">
                  <thead>
                    <tr>
                      <th>{d.params}</th>
                      <th>{d.isSharpe}</th>
                      <th>{d.oosSharpe}</th>
                      <th>{d.isCagr}</th>
                      <th>{d.oosCagr}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.sweep.rows.map((row) => (
                      <tr key={JSON.stringify(row.params)}>
                        <td>
                          {Object.entries(row.params)
                            .map(([k, v]) => `${k}=${v}`)
                            .join(' ')}
                        </td>
                        <td className="num">{fmtNum(row.inSample.sharpe, lang)}</td>
                        <td className="num">{fmtNum(row.outOfSample.sharpe, lang)}</td>
                        <td className="num">{fmtPct(row.inSample.cagr, lang)}</td>
                        <td className="num">{fmtPct(row.outOfSample.cagr, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="table-scroll">
                <table className="rtable">
                  <thead>
                    <tr>
                      <th>{d.fold}</th>
                      <th>{d.chosen}</th>
                      <th>{d.isSharpe}</th>
                      <th>{d.oosSharpe}</th>
                      <th className="hide-sm">OOS</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.sweep.folds.map((f) => (
                      <tr key={f.fold}>
                        <td>{f.fold}</td>
                        <td>
                          {Object.entries(f.chosen)
                            .map(([k, v]) => `${k}=${v}`)
                            .join(' ')}
                        </td>
                        <td className="num">{fmtNum(f.isSharpe, lang)}</td>
                        <td className="num">{fmtNum(f.oosSharpe, lang)}</td>
                        <td className="hide-sm">
                          {f.outOfSample.from} – {f.outOfSample.to}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )}

          <section className="card">
            <h2>{d.trades}</h2>
            {allFills.length > MAX_TRADES_SHOWN && (
              <p className="muted small">{d.tradesShown(MAX_TRADES_SHOWN, allFills.length)}</p>
            )}
            <div className="table-scroll">
              <table className="rtable" data-testid="bt-trades">
                <thead>
                  <tr>
                    <th>{d.date}</th>
                    <th>{d.symbols}</th>
                    <th>{d.side}</th>
                    <th>{d.shares}</th>
                    <th>{d.price}</th>
                    <th className="hide-sm">{d.fees}</th>
                    <th className="hide-sm">{d.reason}</th>
                  </tr>
                </thead>
                <tbody>
                  {allFills.slice(0, MAX_TRADES_SHOWN).map((f) => (
                    <tr key={`${f.symbol}-${f.date}-${f.side}-${f.reason}`}>
                      <td>{f.date}</td>
                      <td>{f.symbol}</td>
                      <td className={f.side === 'sell' ? 'bt-neg' : ''}>
                        {f.side === 'buy' ? d.buy : d.sell}
                      </td>
                      <td className="num">{fmtNum(f.shares, lang, 0)}</td>
                      <td className="num">{fmtNum(f.price, lang, 3)}</td>
                      <td className="num hide-sm">
                        {fmtNum(f.commission + f.stampDuty + f.otherFees, lang)}
                      </td>
                      <td className="hide-sm">{f.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="card">
            <h2>{d.assumptions}</h2>
            <ul className="small">
              {r.assumptions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}
