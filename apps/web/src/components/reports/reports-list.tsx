'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useDict, usePrefs } from '~/lib/i18n';
import { reportsDict } from '~/lib/i18n/reports';
import { useTRPC } from '~/lib/trpc';
import { StatusBadge } from './sections/section-frame';
import './reports.css';

export function ReportsList() {
  const trpc = useTRPC();
  const d = useDict(reportsDict);
  const { t, lang } = usePrefs();
  const [symbol, setSymbol] = useState('');
  const [status, setStatus] = useState<'' | 'running' | 'complete' | 'failed'>('');
  const list = useQuery(
    trpc.reports.list.queryOptions(
      { symbol: symbol.trim() || undefined, status: status || undefined, limit: 100 },
      { refetchInterval: 3000 },
    ),
  );
  return (
    <section className="card">
      <div className="card-head">
        <h1>{d.reports}</h1>
        <Link href="/reports/new" className="button" data-testid="new-report-link">
          {d.newReport}
        </Link>
      </div>
      <div className="rfilters">
        <input
          aria-label={d.filterSymbol}
          placeholder={d.filterSymbol}
          value={symbol}
          onChange={(e) => setSymbol(e.target.value)}
          data-testid="filter-symbol"
        />
        <select
          aria-label={d.status}
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
          data-testid="filter-status"
        >
          <option value="">{d.allStatuses}</option>
          <option value="running">{d.statusRunning}</option>
          <option value="complete">{d.statusComplete}</option>
          <option value="failed">{d.statusFailed}</option>
        </select>
      </div>
      {list.isPending && <p className="muted">{t.loading}</p>}
      {list.isError && (
        <p className="error">
          {t.error}: {list.error.message}
        </p>
      )}
      {list.data && list.data.length === 0 && <p className="muted">{d.noReports}</p>}
      {list.data && list.data.length > 0 && (
        <div className="table-scroll">
          <table className="rtable reports-table" data-testid="reports-table">
            <thead>
              <tr>
                <th>{t.symbol}</th>
                <th>{d.status}</th>
                <th>{d.created}</th>
                <th className="hide-sm">{d.by}</th>
                <th className="hide-sm">{d.duration}</th>
                <th className="hide-sm">{d.degraded}</th>
                <th className="hide-sm">{d.ungrounded}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((r) => (
                <tr key={r.id} data-testid="report-row">
                  <td>
                    <Link href={`/reports/${r.id}`}>
                      {r.market}:{r.symbol}
                    </Link>
                    {r.backtestAsOf && <span className="muted small"> · {d.backtest(r.backtestAsOf)}</span>}
                  </td>
                  <td>
                    <StatusBadge status={r.status} d={d} />
                  </td>
                  <td className="small">{new Date(r.createdAt).toLocaleString(lang)}</td>
                  <td className="small hide-sm">{r.createdBy ?? '—'}</td>
                  <td className="num hide-sm">{r.durationMs === null ? '—' : `${r.durationMs} ms`}</td>
                  <td className="num hide-sm">{r.degradedSections}</td>
                  <td className="num hide-sm">{r.ungroundedNumbers ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
