'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formatDateTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { alertsDict } from '~/lib/i18n/alerts';
import { useTRPC } from '~/lib/trpc';
import { type PickedSymbol, SymbolSearch } from '../symbol-search';

const TYPES = ['price_above', 'price_below', 'change_pct_above', 'change_pct_below'] as const;
type ConditionType = (typeof TYPES)[number];

/** /alerts: the user's alerts (create for a symbol, delete) and their history (the notification centre). */
export function AlertsPage() {
  const trpc = useTRPC();
  const d = useDict(alertsDict);
  const { lang } = usePrefs();
  const qc = useQueryClient();
  const list = useQuery(trpc.alerts.list.queryOptions());
  const history = useQuery(trpc.alerts.history.queryOptions({ limit: 100 }, { refetchInterval: 10_000 }));
  const channels = useQuery(trpc.notifications.list.queryOptions());
  const [picked, setPicked] = useState<PickedSymbol | null>(null);
  const [type, setType] = useState<ConditionType>('price_above');
  const [value, setValue] = useState('');
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: trpc.alerts.list.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.alerts.history.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.alerts.unreadCount.queryKey() }),
    ]);
  const create = useMutation(
    trpc.alerts.create.mutationOptions({
      onSuccess: () => {
        setValue('');
        setError(null);
        return refresh();
      },
      onError: (e) => setError(e.message),
    }),
  );
  const remove = useMutation(trpc.alerts.delete.mutationOptions({ onSuccess: refresh }));
  const markRead = useMutation(trpc.alerts.markRead.mutationOptions({ onSuccess: refresh }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!picked) return setError(d.pickSymbol);
    create.mutate({
      market: picked.market,
      symbol: picked.symbol,
      condition: { type, value: Number(value) },
      channelIds,
    });
  };
  const unread = (history.data ?? []).filter((h) => !h.readAt).length;

  return (
    <main className="page" data-testid="alerts-page">
      <h1>{d.alerts}</h1>
      <section>
        <h2>{d.myAlerts}</h2>
        {list.data?.length === 0 ? <p>{d.none}</p> : null}
        <table data-testid="alerts-list">
          <tbody>
            {(list.data ?? []).map((a) => (
              <tr key={a.id}>
                <td>
                  {a.symbol} ({a.market})
                </td>
                <td>{a.description}</td>
                <td>{a.lastState === 'armed' ? d.armed : d.triggered}</td>
                <td>{a.lastFiredAt ? `${d.lastFired}: ${formatDateTime(a.lastFiredAt, lang)}` : ''}</td>
                <td>
                  <button type="button" onClick={() => remove.mutate({ id: a.id })}>
                    {d.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>{d.create}</h2>
        <form onSubmit={submit} data-testid="alert-form">
          <SymbolSearch
            label={d.symbol}
            placeholder={d.searchPlaceholder}
            noMatches={d.noMatches}
            onPick={setPicked}
            testId="alert-symbol"
          />
          {picked ? (
            <span className="picked" data-testid="alert-picked">
              {picked.symbol} ({picked.market})
            </span>
          ) : null}
          <label>
            {d.condition}{' '}
            <select
              data-testid="alert-type"
              value={type}
              onChange={(e) => setType(e.target.value as ConditionType)}
            >
              {TYPES.map((t) => (
                <option key={t} value={t}>
                  {d[t]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {d.value}{' '}
            <input
              data-testid="alert-value"
              type="number"
              step="any"
              required
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </label>
          <fieldset>
            <legend>{d.channels}</legend>
            {channels.data?.length ? null : <span>{d.noChannels}</span>}
            {(channels.data ?? []).map((c) => (
              <label key={c.id}>
                <input
                  type="checkbox"
                  checked={channelIds.includes(c.id)}
                  onChange={(e) =>
                    setChannelIds((ids) =>
                      e.target.checked ? [...ids, c.id] : ids.filter((i) => i !== c.id),
                    )
                  }
                />
                {c.name}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={create.isPending}>
            {d.create}
          </button>
          {error ? (
            <p role="alert" className="error" data-testid="alert-error">
              {error}
            </p>
          ) : null}
        </form>
      </section>
      <section>
        <h2>
          {d.history} {unread > 0 ? `(${unread} ${d.unread})` : ''}
        </h2>
        {unread > 0 ? (
          <button type="button" onClick={() => markRead.mutate({})} data-testid="alerts-mark-read">
            {d.markAllRead}
          </button>
        ) : null}
        {history.data?.length === 0 ? <p>{d.noHistory}</p> : null}
        <ul data-testid="alerts-history">
          {(history.data ?? []).map((h) => (
            <li key={h.id} className={h.readAt ? undefined : 'unread'}>
              <time dateTime={h.firedAt}>{formatDateTime(h.firedAt, lang)}</time> {h.message}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
