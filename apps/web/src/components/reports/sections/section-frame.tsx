'use client';
import type { ReportView, SectionView } from '@investiq/api/reports';
import type { ReactNode } from 'react';
import type { reportsDict } from '~/lib/i18n/reports';

export type D = (typeof reportsDict)['en'];

/** What every section component gets: its section (status `ok`, or `running` with output for a live one). */
export interface SectionProps {
  report: ReportView;
  section: SectionView;
  d: D;
  lang: string;
}

export const num = (v: number | null | undefined, lang: string, d = 2) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : v.toLocaleString(lang, { minimumFractionDigits: d, maximumFractionDigits: d });
export const pct = (v: number | null | undefined, lang: string, d = 1) =>
  v === null || v === undefined ? '—' : `${num(v, lang, d)}%`;

/** The `ok` output of another module of the report (null when it did not run or deliver). */
export function okOutput<T>(report: ReportView, module: string): T | null {
  const s = report.sections.find((x) => x.module === module);
  return s?.status === 'ok' ? (s.output as T) : null;
}

export function StatusBadge({ status, d }: { status: string; d: D }) {
  return (
    <span className={`rstatus rstatus-${status}`} data-testid="section-status">
      {d.sectionStatus[status] ?? status}
    </span>
  );
}

export function Metric({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="rmetric" data-testid={testId}>
      <span className="muted small">{label}</span>
      <span className="num">{value}</span>
    </div>
  );
}

/** A section's card: title, status, time, the error of a degraded one, a skeleton while it runs. */
export function SectionFrame({
  s,
  title,
  d,
  children,
  wide,
  live,
}: {
  s: SectionView;
  title: string;
  d: D;
  children: ReactNode;
  wide?: boolean | undefined;
  /** Show the body while running too (the narrative streams). */
  live?: boolean | undefined;
}) {
  return (
    <section
      className={`card rsection ${wide ? 'rsection-wide' : ''}`}
      data-testid={`section-${s.module}`}
      data-status={s.status}
    >
      <div className="card-head">
        <h2>{title}</h2>
        <span className="rsection-meta">
          <StatusBadge status={s.status} d={d} />
          {s.durationMs !== null && <span className="muted small"> {s.durationMs} ms</span>}
        </span>
      </div>
      {(s.status === 'unavailable' || s.status === 'failed' || s.status === 'skipped') && (
        <p className="rsection-error" data-testid="section-error">
          {s.status === 'unavailable' ? `${d.unavailableBecause} ` : ''}
          {s.error}
        </p>
      )}
      {(s.status === 'ok' || (live && s.status === 'running' && s.output !== null)) && children}
      {(s.status === 'pending' || (s.status === 'running' && !(live && s.output !== null))) && (
        <div className="rskeleton" aria-hidden />
      )}
    </section>
  );
}
