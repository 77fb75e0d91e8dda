'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { adminDict } from '~/lib/i18n/admin';
import { useTRPC } from '~/lib/trpc';

const ROLES = ['viewer', 'analyst', 'admin'] as const;

export default function AdminTokensPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const t = useDict(adminDict);
  const { lang } = usePrefs();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const users = useQuery(trpc.users.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.tokens.pathKey() });
  const [shown, setShown] = useState<string | null>(null);
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: async (made) => {
        setShown(made.token);
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: refresh }));
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('viewer');
  const [ownerId, setOwnerId] = useState(''); // '' = me
  const [days, setDays] = useState('');
  const error = create.error ?? revoke.error ?? tokens.error;
  const now = Date.now();
  return (
    <>
      <section className="card">
        <h2>{t.newToken}</h2>
        <form
          className="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({
              name,
              role,
              ...(ownerId ? { ownerId } : {}),
              ...(days ? { expiresInDays: Number(days) } : {}),
            });
          }}
        >
          <label>
            {t.name}
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="new-token-name"
              required
            />
          </label>
          <label>
            {t.role}
            <select
              value={role}
              onChange={(e) => setRole(e.target.value as typeof role)}
              data-testid="new-token-role"
            >
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label>
            {t.owner}
            <select
              value={ownerId}
              onChange={(e) => setOwnerId(e.target.value)}
              data-testid="new-token-owner"
            >
              <option value="">—</option>
              {users.data
                ?.filter((u) => !u.disabled)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.username} ({u.role})
                  </option>
                ))}
            </select>
          </label>
          <label>
            {t.expiresInDays}
            <input
              type="number"
              min={1}
              max={3650}
              value={days}
              placeholder={t.expiresDefault}
              onChange={(e) => setDays(e.target.value)}
              data-testid="new-token-days"
            />
          </label>
          <button type="submit" disabled={create.isPending} data-testid="new-token-submit">
            {t.create}
          </button>
        </form>
        {shown ? (
          <p>
            {t.tokenShownOnce}
            <br />
            <code className="token-once" data-testid="token-once">
              {shown}
            </code>
          </p>
        ) : null}
        {error ? <p className="error">{error.message}</p> : null}
      </section>
      <section className="card">
        <h2>{t.tokens}</h2>
        <table data-testid="tokens-table">
          <thead>
            <tr>
              <th>{t.name}</th>
              <th>{t.role}</th>
              <th>{t.owner}</th>
              <th className="hide-sm">{t.expires}</th>
              <th className="hide-sm">{t.created}</th>
              <th className="hide-sm">{t.lastUsed}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.data?.map((k) => (
              <tr key={k.id} data-testid={`token-${k.name}`}>
                <td>{k.name}</td>
                <td>{k.role}</td>
                <td>
                  {k.owner ? k.owner.username : t.noOwner}
                  {k.owner?.disabled ? <span className="muted"> ({t.ownerDisabled})</span> : null}
                </td>
                <td className="hide-sm">
                  {k.expiresAt ? formatDateTime(k.expiresAt, lang) : t.never}
                  {k.expiresAt && Date.parse(k.expiresAt) <= now ? (
                    <span className="muted"> ({t.expired})</span>
                  ) : null}
                </td>
                <td className="hide-sm">{formatDateTime(k.createdAt, lang)}</td>
                <td className="hide-sm">{k.lastUsedAt ? formatDateTime(k.lastUsedAt, lang) : '—'}</td>
                <td>
                  {k.revokedAt ? (
                    <span className="muted">{t.revoked}</span>
                  ) : (
                    <button type="button" className="secondary" onClick={() => revoke.mutate({ id: k.id })}>
                      {t.revoke}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
