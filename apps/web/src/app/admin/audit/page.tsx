'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { adminDict } from '~/lib/i18n/admin';
import { useTRPC } from '~/lib/trpc';

const show = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 1));

export default function AdminAuditPage() {
  const trpc = useTRPC();
  const t = useDict(adminDict);
  const { lang } = usePrefs();
  const [filter, setFilter] = useState({ actor: '', action: '', target: '' });
  const [applied, setApplied] = useState(filter);
  const [limit, setLimit] = useState(100);
  const rows = useQuery(
    trpc.audit.list.queryOptions({
      actor: applied.actor || undefined,
      action: applied.action || undefined,
      target: applied.target || undefined,
      limit,
    }),
  );
  return (
    <section className="card">
      <h2>{t.audit}</h2>
      <form
        className="admin-row"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filter);
        }}
      >
        {(['actor', 'action', 'target'] as const).map((k) => (
          <input
            key={k}
            placeholder={t[k === 'actor' ? 'who' : k]}
            value={filter[k]}
            onChange={(e) => setFilter({ ...filter, [k]: e.target.value })}
            data-testid={`audit-filter-${k}`}
          />
        ))}
        <button type="submit" data-testid="audit-filter-submit">
          {t.filter}
        </button>
      </form>
      {rows.error ? <p className="error">{rows.error.message}</p> : null}
      {rows.data?.length === 0 ? <p className="muted">{t.noEntries}</p> : null}
      <table data-testid="audit-table">
        <thead>
          <tr>
            <th>{t.when}</th>
            <th>{t.who}</th>
            <th>{t.action}</th>
            <th>{t.target}</th>
            <th className="hide-sm">{t.oldValue}</th>
            <th>{t.newValue}</th>
          </tr>
        </thead>
        <tbody>
          {rows.data?.map((r) => (
            <tr key={r.id} data-testid="audit-row">
              <td>{formatDateTime(r.at, lang)}</td>
              <td>{r.actor}</td>
              <td>{r.action}</td>
              <td>{r.target}</td>
              <td className="hide-sm">
                <pre>{show(r.oldValue)}</pre>
              </td>
              <td>
                <pre>{show(r.newValue)}</pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.data && rows.data.length >= limit ? (
        <button type="button" className="secondary" onClick={() => setLimit((l) => Math.min(500, l + 100))}>
          {t.loadMore}
        </button>
      ) : null}
    </section>
  );
}
