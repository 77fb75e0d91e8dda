'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { providersDict } from '~/lib/i18n/providers';
import { useTRPC } from '~/lib/trpc';

const time = (iso: string | null, never: string, lang: string) => (iso ? formatTime(iso, lang) : never);
const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);

/** Health of every market-data provider: calls, errors, latency, budget, breaker, chains; polled every 5 s. */
export default function AdminProvidersPage() {
  const trpc = useTRPC();
  const t = useDict(providersDict);
  const { lang } = usePrefs();
  const q = useQuery({ ...trpc.providers.overview.queryOptions(), refetchInterval: 5_000 });
  const [results, setResults] = useState<Record<string, string>>({});
  const test = useMutation(
    trpc.providers.testConnection.mutationOptions({
      onSuccess: (r) =>
        setResults((prev) => ({
          ...prev,
          [r.provider]: r.ok
            ? t.testOk(r.latencyMs, r.probe)
            : t.testFail(r.kind ?? 'error', r.message ?? ''),
        })),
      onError: (err, vars) => setResults((prev) => ({ ...prev, [vars.provider]: err.message })),
    }),
  );
  const o = q.data;
  return (
    <>
      <section className="card" data-testid="providers-page">
        <h2>{t.title}</h2>
        <p className="muted">{t.live}</p>
        {q.error ? <p className="error">{q.error.message}</p> : null}
        <h3>{t.chains}</h3>
        <div className="ops-scroll">
          <table data-testid="providers-chains">
            <thead>
              <tr>
                <th>{t.market}</th>
                <th>{t.kind}</th>
                <th>{t.chain}</th>
              </tr>
            </thead>
            <tbody>
              {o?.chains
                ? Object.entries(o.chains).flatMap(([market, kinds]) =>
                    Object.entries(kinds).map(([kind, ids]) => (
                      <tr key={`${market}-${kind}`} data-testid={`providers-chain-${market}-${kind}`}>
                        <td>{market}</td>
                        <td>{kind}</td>
                        <td>{ids.length > 0 ? ids.join(' → ') : '—'}</td>
                      </tr>
                    )),
                  )
                : null}
            </tbody>
          </table>
        </div>
        <p className="muted">{t.editChains}</p>
        {o ? (
          <>
            <h3>{t.crossCheck}</h3>
            <p
              className={o.closeChecks.flagged.length > 0 ? 'error' : 'muted'}
              data-testid="providers-cross-check"
            >
              {o.closeChecks.compared === 0
                ? t.crossCheckNone
                : t.crossCheckSummary(
                    o.closeChecks.compared,
                    o.closeChecks.flagged.length,
                    o.closeChecks.thresholdPercent,
                  )}
            </p>
            {o.closeChecks.flagged.length > 0 ? (
              <ul>
                {o.closeChecks.flagged.map((c) => (
                  <li key={`${c.market}:${c.symbol}`} className="error">
                    {c.market}:{c.symbol} {c.date} —{' '}
                    {Object.entries(c.closes)
                      .map(([src, close]) => `${src} ${close}`)
                      .join(' vs ')}{' '}
                    ({c.diffPercent} %)
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </section>
      {o?.providers.map((p) => {
        const minute = p.budget.find((b) => b.window === 'minute');
        const day = p.budget.find((b) => b.window === 'day');
        const budgetText = (b: typeof minute) =>
          !b || b.limit === 0 ? t.unlimited : `${b.used}/${b.limit} (${Math.round(b.ratio * 100)} %)`;
        const errors = Object.entries(p.stats.errors);
        return (
          <section className="card" key={p.id} data-testid={`provider-${p.id}`}>
            <h3>
              {p.label} <code>{p.id}</code>
            </h3>
            {p.problem ? <p className="error">{p.problem}</p> : null}
            {p.refresh
              .filter((r) => !r.keepsFresh)
              .map((r) => (
                <p className="error" key={r.market} data-testid={`provider-${p.id}-stale-warning`}>
                  {r.market}:{' '}
                  {t.cannotKeepFresh(r.budgetSymbols, Math.round(r.intervalMs / 1000), r.freshnessSeconds)}
                </p>
              ))}
            <dl>
              <dt>{t.serves}</dt>
              <dd data-testid={`provider-${p.id}-serves`}>
                {p.serves.length > 0
                  ? p.serves.map((s) => `${s.market}/${s.kind}#${s.position}`).join(', ')
                  : t.notInChain}
              </dd>
              <dt>{t.key}</dt>
              <dd>{p.needsKey ? (p.keyConfigured ? t.keySet : t.keyMissing) : t.keyNone}</dd>
              <dt>{t.calls}</dt>
              <dd data-testid={`provider-${p.id}-calls`}>
                {p.stats.calls} ({p.stats.ok} ok)
              </dd>
              <dt>{t.errors}</dt>
              <dd className={errors.length > 0 ? 'error' : ''}>
                {errors.length > 0 ? errors.map(([k, n]) => `${k} ${n}`).join(', ') : '—'}
              </dd>
              <dt>{t.latency}</dt>
              <dd>
                {ms(p.stats.p50Ms)} / {ms(p.stats.p95Ms)}
              </dd>
              <dt>{t.budget}</dt>
              <dd data-testid={`provider-${p.id}-budget`}>
                {budgetText(minute)} · {budgetText(day)}
              </dd>
              <dt>{t.breaker}</dt>
              <dd className={p.breaker === 'closed' ? '' : 'error'} data-testid={`provider-${p.id}-breaker`}>
                {p.breaker}
              </dd>
              <dt>{t.lastSuccess}</dt>
              <dd>{time(p.stats.lastSuccessAt, t.never, lang)}</dd>
              {p.stats.lastError ? (
                <>
                  <dt>{t.lastError}</dt>
                  <dd className="error">{p.stats.lastError}</dd>
                </>
              ) : null}
              {p.refresh.length > 0 ? (
                <>
                  <dt>{t.refresh}</dt>
                  <dd>
                    {p.refresh
                      .map((r) => t.every(Math.round(r.intervalMs / 1000), r.market, r.symbols))
                      .join('; ')}
                  </dd>
                </>
              ) : null}
            </dl>
            <button
              type="button"
              disabled={test.isPending && test.variables?.provider === p.id}
              onClick={() => test.mutate({ provider: p.id })}
              data-testid={`provider-${p.id}-test`}
            >
              {test.isPending && test.variables?.provider === p.id ? t.testing : t.test}
            </button>
            {results[p.id] ? (
              <p className="muted" role="status" data-testid={`provider-${p.id}-test-result`}>
                {results[p.id]}
              </p>
            ) : null}
          </section>
        );
      })}
    </>
  );
}
