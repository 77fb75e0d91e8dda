'use client';
import { useQuery } from '@tanstack/react-query';
import { formatTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { operationsDict } from '~/lib/i18n/operations';
import { useTRPC } from '~/lib/trpc';

const time = (iso: string | null, never: string, lang: string) => (iso ? formatTime(iso, lang) : never);
const percent = (ratio: number) => `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;

/** One budget window: a meter that turns amber at 90 % (the ProviderBudgetNearlySpent alert) and red when spent. */
function BudgetWindow({
  used,
  noLimit,
  label,
}: {
  used: number | null;
  noLimit: string;
  label: (p: string) => string;
}) {
  if (used === null) return <span className="muted">{noLimit}</span>;
  return (
    <span className={used >= 1 ? 'error' : ''}>
      <meter min={0} max={1} low={0.7} high={0.9} optimum={0} value={used} /> {label(percent(used))}
    </span>
  );
}

/** Health of every part at a glance, for operators without Grafana; polled every 5 s. */
export default function AdminOperationsPage() {
  const trpc = useTRPC();
  const t = useDict(operationsDict);
  const { lang } = usePrefs();
  const q = useQuery({ ...trpc.operations.overview.queryOptions(), refetchInterval: 5_000 });
  const o = q.data;
  return (
    <>
      <section className="card" data-testid="ops-page">
        <h2>{t.title}</h2>
        <p className="muted">
          {t.live}
          {o ? ` · ${t.updated(formatTime(o.at, lang))}` : ''}
        </p>
        {q.error ? <p className="error">{q.error.message}</p> : null}
        <h3>{t.services}</h3>
        <div className="ops-scroll">
          <table data-testid="ops-services">
            <thead>
              <tr>
                <th>{t.service}</th>
                <th>{t.status}</th>
                <th>{t.breaker}</th>
                <th>{t.queue}</th>
                <th className="hide-sm">{t.model}</th>
                <th className="hide-sm">{t.url}</th>
              </tr>
            </thead>
            <tbody>
              {o?.services.map((s) => (
                <tr key={s.service} data-testid={`ops-service-${s.service}`}>
                  <td>{s.service}</td>
                  <td
                    className={s.reachable && s.status !== 'degraded' ? 'ok-note' : 'error'}
                    title={s.error ?? ''}
                  >
                    {s.reachable ? s.status : t.unreachable}
                  </td>
                  <td className={s.breaker === 'closed' ? '' : 'error'}>{s.breaker}</td>
                  <td>{s.queueDepth === null ? '—' : `${s.queueDepth}/${s.queueMax}`}</td>
                  <td className="hide-sm">{s.model ? `${s.model} (${s.provider})` : '—'}</td>
                  <td className="hide-sm">{s.url}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {o ? (
        <section className="card" data-testid="ops-providers">
          <h3>{t.providerBudgets}</h3>
          {o.providers === null ? (
            <p className="muted">{t.noProviders}</p>
          ) : (
            <div className="ops-scroll">
              <table>
                <thead>
                  <tr>
                    <th>{t.provider}</th>
                    <th>{t.dayWindow}</th>
                    <th>{t.minuteWindow}</th>
                    <th>{t.breaker}</th>
                    <th>{t.answered}</th>
                    <th>{t.requestErrors}</th>
                  </tr>
                </thead>
                <tbody>
                  {o.providers.map((p) => (
                    <tr key={p.provider} data-testid={`ops-provider-${p.provider}`}>
                      <td>{p.provider}</td>
                      <td>
                        <BudgetWindow used={p.dayUsed} noLimit={t.noLimit} label={t.used} />
                      </td>
                      <td>
                        <BudgetWindow used={p.minuteUsed} noLimit={t.noLimit} label={t.used} />
                      </td>
                      <td className={p.breaker === null || p.breaker === 'closed' ? '' : 'error'}>
                        {p.breaker ?? '—'}
                      </td>
                      <td>{p.ok}</td>
                      <td className={Object.keys(p.errors).length > 0 ? 'error' : ''}>
                        {Object.entries(p.errors)
                          .map(([kind, n]) => `${kind} ${n}`)
                          .join(', ') || '0'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
      {o ? (
        <section className="card ops-grid">
          <div data-testid="ops-database">
            <h3>{t.database}</h3>
            <p className={o.database.ok ? 'ok-note' : 'error'}>
              {o.database.kind} ·{' '}
              {o.database.ok ? `${t.latency} ${o.database.latencyMs} ms` : o.database.error}
            </p>
          </div>
          <div data-testid="ops-ingest">
            <h3>{t.ingest}</h3>
            <dl>
              <dt>{t.perSecond}</dt>
              <dd>{o.ingest.perSecond}</dd>
              <dt>{t.last5}</dt>
              <dd>{o.ingest.rowsLast5Minutes}</dd>
              <dt>{t.lag}</dt>
              <dd>{o.ingest.lagSeconds === null ? t.never : t.seconds(o.ingest.lagSeconds)}</dd>
            </dl>
          </div>
          <div data-testid="ops-collector">
            <h3>{t.collector}</h3>
            <dl>
              <dt>{t.state}</dt>
              <dd>{o.collector.state}</dd>
              <dt>{t.provider}</dt>
              <dd>
                {o.collector.provider} ({t.breaker}: {o.collector.breaker})
              </dd>
              <dt>{t.symbols}</dt>
              <dd>{o.collector.symbols}</dd>
              <dt>{t.lastSuccess}</dt>
              <dd>{time(o.collector.lastSuccessAt, t.never, lang)}</dd>
              {o.collector.lastError ? (
                <>
                  <dt>{t.lastError}</dt>
                  <dd className="error">{o.collector.lastError}</dd>
                </>
              ) : null}
            </dl>
          </div>
          <div data-testid="ops-reports">
            <h3>{t.reports}</h3>
            <dl>
              <dt>{t.running}</dt>
              <dd>{o.reports.running}</dd>
              <dt>{t.complete}</dt>
              <dd>{o.reports.complete}</dd>
              <dt>{t.failed}</dt>
              <dd>{o.reports.failed}</dd>
              <dt>{t.degraded}</dt>
              <dd>{o.reports.degradedSections}</dd>
              <dt>{t.failureRatio}</dt>
              <dd>{(o.reports.failureRatio * 100).toFixed(1)} %</dd>
            </dl>
          </div>
        </section>
      ) : null}
      <section className="card">
        <h3>{t.errors}</h3>
        {o && o.recentErrors.length === 0 ? <p className="muted">{t.noErrors}</p> : null}
        <div className="ops-scroll">
          <table data-testid="ops-errors">
            <thead>
              <tr>
                <th>{t.when}</th>
                <th>{t.level}</th>
                <th>{t.message}</th>
                <th className="hide-sm">{t.request}</th>
                <th>{t.trace}</th>
              </tr>
            </thead>
            <tbody>
              {o?.recentErrors.map((e) => (
                <tr key={e.seq} data-testid="ops-error-row">
                  <td>{formatTime(e.at, lang)}</td>
                  <td className={e.level === 'warn' ? '' : 'error'}>{e.level}</td>
                  <td>
                    {e.msg}
                    {e.error ? <span className="muted"> — {e.error}</span> : null}
                  </td>
                  <td className="hide-sm">
                    <code>{e.requestId ?? ''}</code>
                  </td>
                  <td>
                    <code>{e.traceId ?? ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
