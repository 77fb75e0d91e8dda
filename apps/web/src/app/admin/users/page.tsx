'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { adminDict } from '~/lib/i18n/admin';
import { useTRPC } from '~/lib/trpc';

const ROLES = ['viewer', 'analyst', 'admin'] as const;
type Role = (typeof ROLES)[number];

export default function AdminUsersPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const t = useDict(adminDict);
  const { lang } = usePrefs();
  const users = useQuery(trpc.users.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.users.pathKey() });
  const create = useMutation(trpc.users.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.users.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.users.delete.mutationOptions({ onSuccess: refresh }));
  const [form, setForm] = useState({ username: '', password: '', role: 'viewer' as Role });
  const [pw, setPw] = useState<Record<string, string>>({});
  const error = create.error ?? update.error ?? remove.error ?? users.error;
  return (
    <>
      <section className="card">
        <h2>{t.users}</h2>
        {error ? (
          <p className="error" role="alert" data-testid="users-error">
            {error.message}
          </p>
        ) : null}
        <table data-testid="users-table">
          <thead>
            <tr>
              <th>{t.username}</th>
              <th>{t.role}</th>
              <th className="hide-sm">{t.lastLogin}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.data?.map((u) => (
              <tr key={u.id} data-testid={`user-${u.username}`}>
                <td>
                  {u.username} {u.disabled ? <span className="muted">({t.disabled})</span> : null}
                </td>
                <td>
                  <select
                    value={u.role}
                    aria-label={t.role}
                    onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td className="hide-sm">{u.lastLoginAt ? formatDateTime(u.lastLoginAt, lang) : '—'}</td>
                <td>
                  <div className="admin-row">
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => update.mutate({ id: u.id, disabled: !u.disabled })}
                    >
                      {u.disabled ? t.enable : t.disable}
                    </button>
                    <input
                      type="password"
                      placeholder={t.newPassword}
                      autoComplete="new-password"
                      value={pw[u.id] ?? ''}
                      onChange={(e) => setPw({ ...pw, [u.id]: e.target.value })}
                    />
                    <button
                      type="button"
                      className="secondary"
                      disabled={!pw[u.id]}
                      onClick={() => {
                        update.mutate({ id: u.id, password: pw[u.id] ?? '' });
                        setPw({ ...pw, [u.id]: '' });
                      }}
                    >
                      {t.setPassword}
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => {
                        if (window.confirm(t.confirmDelete(u.username))) remove.mutate({ id: u.id });
                      }}
                    >
                      {t.delete}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>{t.newUser}</h2>
        <form
          className="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(form, { onSuccess: () => setForm({ username: '', password: '', role: 'viewer' }) });
          }}
        >
          <label>
            {t.username}
            <input
              value={form.username}
              onChange={(e) => setForm({ ...form, username: e.target.value })}
              data-testid="new-user-name"
              required
            />
          </label>
          <label>
            {t.password}
            <input
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
              data-testid="new-user-password"
              required
            />
          </label>
          <label>
            {t.role}
            <select
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
              data-testid="new-user-role"
            >
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={create.isPending} data-testid="new-user-submit">
            {t.create}
          </button>
        </form>
      </section>
    </>
  );
}
