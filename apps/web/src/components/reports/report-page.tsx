'use client';
import type { ReportView } from '@investiq/api/reports';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { formatDateTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { reportsDict } from '~/lib/i18n/reports';
import { useTRPC } from '~/lib/trpc';
import { ReportBody } from './report-body';
import './reports.css';

/** A report, live while it runs (SSE snapshots), with export and print. */
export function ReportPage({ id, print = false }: { id: string; print?: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const d = useDict(reportsDict);
  const { t, lang } = usePrefs();
  // polling is the fallback when the report runs in another server process (no live snapshots here)
  const stored = useQuery(
    trpc.reports.get.queryOptions(
      { id },
      { refetchInterval: (q) => (q.state.data?.status === 'running' ? 2000 : false) },
    ),
  );
  const [live, setLive] = useState<ReportView | null>(null);
  const [joined, setJoined] = useState(false);
  useEffect(() => {
    setJoined(new URLSearchParams(window.location.search).has('joined'));
  }, []);
  const running = stored.data?.status === 'running' && (live?.status ?? 'running') === 'running';
  useSubscription(
    trpc.reports.progress.subscriptionOptions(
      { id },
      { enabled: stored.data?.status === 'running', onData: (snap) => setLive(snap as ReportView) },
    ),
  );
  // a finished stored report wins over the last live snapshot
  const report = (stored.data && stored.data.status !== 'running' ? stored.data : (live ?? stored.data)) as
    | ReportView
    | undefined;

  useEffect(() => {
    if (print && report && report.status !== 'running') {
      const timer = setTimeout(() => window.print(), 600);
      return () => clearTimeout(timer);
    }
  }, [print, report]);

  if (stored.isPending) return <p className="muted">{t.loading}</p>;
  if (stored.isError)
    return (
      <p className="error" data-testid="report-error">
        {t.error}: {stored.error.message}
      </p>
    );
  if (!report) return null;

  const exportMd = async () => {
    const { filename, markdown } = await qc.fetchQuery({
      ...trpc.reports.markdown.queryOptions({ id }),
      staleTime: 0,
    });
    const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  };

  return (
    <>
      {!print && (
        <Link href="/reports" className="back-link no-print">
          {d.back}
        </Link>
      )}
      <header className="card report-head">
        <div>
          <h1>
            <Link href={`/symbol/${report.market}/${encodeURIComponent(report.symbol)}`}>
              {report.market}:{report.symbol}
            </Link>
          </h1>
          <p className="muted small">
            {formatDateTime(report.createdAt, lang)} {report.createdBy ? `· ${report.createdBy}` : ''}
            {report.lineage?.backtestAsOf ? ` · ${d.backtest(report.lineage.backtestAsOf)}` : ''}
          </p>
        </div>
        <div className="report-head-side">
          <span
            className={`rstatus rstatus-${report.status}`}
            data-testid="report-status"
            data-status={report.status}
          >
            {report.status === 'running'
              ? d.statusRunning
              : report.status === 'complete'
                ? d.statusComplete
                : d.statusFailed}
          </span>
          {!running && (
            <span className="muted small">
              {report.durationMs} ms · {d.degraded}:{' '}
              <span data-testid="degraded-count">{report.degradedSections}</span> · {d.ungrounded}:{' '}
              <span data-testid="ungrounded-count">{report.ungroundedNumbers ?? '—'}</span>
            </span>
          )}
          {!print && (
            <span className="report-actions no-print">
              <button
                type="button"
                onClick={() => void exportMd()}
                disabled={running}
                data-testid="export-md"
              >
                {d.exportMd}
              </button>
              <Link href={`/reports/${id}/print`} className="button" data-testid="print-link">
                {d.print}
              </Link>
            </span>
          )}
        </div>
      </header>
      {joined && running && (
        <p className="muted" data-testid="joined-note">
          {d.joined}
        </p>
      )}
      {report.error && (
        <p className="error">
          {d.reportFailed} {report.error}
        </p>
      )}
      <ReportBody report={report} print={print} />
    </>
  );
}
