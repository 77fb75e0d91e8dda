'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import '~/components/admin/admin.css';
import { QuietHoursForm } from '~/components/alerts/quiet-hours-form';
import { useDict } from '~/lib/i18n';
import { notificationsDict } from '~/lib/i18n/notifications';
import { useTRPC } from '~/lib/trpc';

interface FieldSchema {
  type?: string;
  default?: unknown;
  items?: unknown;
}
interface ObjectSchema {
  properties?: Record<string, FieldSchema>;
  required?: string[];
}

/** Form value → the JSON the API expects, by the field's JSON Schema type. */
function coerce(schema: FieldSchema, raw: string | boolean): unknown {
  if (schema.type === 'boolean') return raw === true;
  if (schema.type === 'integer' || schema.type === 'number') return raw === '' ? undefined : Number(raw);
  if (schema.type === 'array')
    return String(raw)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return raw === '' ? undefined : raw;
}

export default function NotificationSettingsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const t = useDict(notificationsDict);
  const types = useQuery(trpc.notifications.channelTypes.queryOptions());
  const channels = useQuery(trpc.notifications.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() });
  const [type, setType] = useState('webhook');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [testResult, setTestResult] = useState<Record<string, string>>({});
  const create = useMutation(
    trpc.notifications.create.mutationOptions({
      onSuccess: async () => {
        setName('');
        setValues({});
        await refresh();
      },
    }),
  );
  const remove = useMutation(trpc.notifications.delete.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(
    trpc.notifications.sendTest.mutationOptions({
      onSuccess: (r, v) =>
        setTestResult((m) => ({ ...m, [v.id]: r.ok ? t.testSent : `${t.testFailed} ${r.error}` })),
    }),
  );
  const kind = types.data?.find((k) => k.type === type);
  const fields: [string, FieldSchema, boolean][] = kind
    ? [
        ...Object.entries((kind.config as ObjectSchema).properties ?? {}).map(
          ([k, s]) => [k, s, false] as [string, FieldSchema, boolean],
        ),
        ...Object.entries((kind.secret as ObjectSchema).properties ?? {}).map(
          ([k, s]) => [k, s, true] as [string, FieldSchema, boolean],
        ),
      ]
    : [];
  const error = types.error ?? channels.error ?? create.error ?? remove.error ?? test.error;
  return (
    <div className="admin-page">
      <section className="card">
        <h2>{t.title}</h2>
        <p>{t.intro}</p>
        {error ? <p className="error">{error.message}</p> : null}
        {channels.data && channels.data.length === 0 ? <p>{t.none}</p> : null}
        {channels.data && channels.data.length > 0 ? (
          <table data-testid="channels">
            <thead>
              <tr>
                <th>{t.name}</th>
                <th>{t.type}</th>
                <th>{t.settings}</th>
                <th>{t.secret}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {channels.data.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{c.type}</td>
                  <td>
                    <code className="wrap-anywhere">{JSON.stringify(c.config)}</code>
                  </td>
                  <td>
                    <code className="wrap-anywhere">{JSON.stringify(c.secret)}</code>
                  </td>
                  <td>
                    <button type="button" onClick={() => test.mutate({ id: c.id })} disabled={test.isPending}>
                      {t.sendTest}
                    </button>{' '}
                    <button
                      type="button"
                      onClick={() => {
                        if (window.confirm(t.confirmDelete)) remove.mutate({ id: c.id });
                      }}
                    >
                      {t.delete}
                    </button>
                    {testResult[c.id] ? <div role="status">{testResult[c.id]}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section className="card">
        <h2>{t.newChannel}</h2>
        <form
          className="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            const body: Record<string, unknown> = { type, name };
            for (const [k, s] of fields) {
              if (!(k in values)) continue;
              const v = coerce(s, values[k]!);
              if (v !== undefined) body[k] = v;
            }
            create.mutate(body);
          }}
        >
          <label>
            {t.type}
            <select
              value={type}
              onChange={(e) => {
                setType(e.target.value);
                setValues({});
              }}
              data-testid="channel-type"
            >
              {types.data?.map((k) => (
                <option key={k.type} value={k.type}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.name}
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              data-testid="channel-name"
            />
          </label>
          {fields.map(([k, s, secret]) => (
            <label key={k} htmlFor={`channel-field-${k}`}>
              {k}
              {s.type === 'array' ? ` (${t.listHint})` : ''}
              {s.type === 'boolean' ? (
                <input
                  id={`channel-field-${k}`}
                  type="checkbox"
                  checked={values[k] === undefined ? s.default === true : values[k] === true}
                  onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.checked }))}
                />
              ) : (
                <input
                  id={`channel-field-${k}`}
                  type={secret ? 'password' : s.type === 'integer' || s.type === 'number' ? 'number' : 'text'}
                  autoComplete="off"
                  value={String(values[k] ?? '')}
                  placeholder={s.default === undefined ? '' : String(s.default)}
                  onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))}
                  data-testid={`channel-field-${k}`}
                />
              )}
            </label>
          ))}
          <button type="submit" disabled={create.isPending} data-testid="channel-submit">
            {t.create}
          </button>
        </form>
      </section>
      <QuietHoursForm />
    </div>
  );
}
