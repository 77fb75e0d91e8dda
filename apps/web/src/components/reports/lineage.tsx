'use client';
import type { ReportView } from '@investiq/api/reports';
import { type D, StatusBadge } from './sections/section-frame';

export function Lineage({ report, d }: { report: ReportView; d: D }) {
  const lg = report.lineage;
  return (
    <footer className="card lineage" data-testid="lineage">
      <h2>{d.lineage}</h2>
      <table className="rtable">
        <thead>
          <tr>
            <th>{d.sections}</th>
            <th>{d.status}</th>
            <th>{d.took}</th>
            <th>{d.dataAsOf}</th>
          </tr>
        </thead>
        <tbody>
          {report.sections.map((s) => (
            <tr key={s.module}>
              <td>{d.module[s.module] ?? s.module}</td>
              <td>
                <StatusBadge status={s.status} d={d} />
              </td>
              <td className="num">{s.durationMs ?? '—'} ms</td>
              <td className="small">
                {Object.entries(s.inputsAsOf ?? {})
                  .map(([k, v]) => `${k}: ${v ?? '—'}`)
                  .join(' · ') || '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {lg && (
        <dl className="lineage-list small">
          <dt>{d.provider}</dt>
          <dd>
            {lg.provider} {lg.backtestAsOf ? `· ${d.backtest(lg.backtestAsOf)}` : ''} · quote:{' '}
            {lg.quoteStatus ?? '—'}
          </dd>
          <dt>{d.dataAsOf}</dt>
          <dd>
            {Object.entries(lg.dataAsOf)
              .map(([k, v]) => `${k}: ${v ?? '—'}`)
              .join(' · ')}
          </dd>
          <dt>{d.models}</dt>
          <dd>
            {Object.entries(lg.models).map(([svc, m]) => (
              <div key={svc} data-testid={`lineage-model-${svc}`}>
                {svc}:{' '}
                {m
                  ? `${m.name} ${m.version} · ${m.executionProvider}${m.sha256 ? ` · sha256 ${m.sha256.slice(0, 16)}…` : ''}`
                  : '—'}
              </div>
            ))}
          </dd>
          <dt>{d.template}</dt>
          <dd>
            {lg.template ? `${lg.template.name} (${lg.template.language}) v${lg.template.version}` : '—'}
          </dd>
          <dt>{d.params}</dt>
          <dd>
            <code className="params">{JSON.stringify(lg.params)}</code>
          </dd>
          {lg.traceId && (
            <>
              <dt>{d.traceId}</dt>
              <dd>
                <code data-testid="lineage-trace-id">{lg.traceId}</code>
              </dd>
            </>
          )}
        </dl>
      )}
    </footer>
  );
}
