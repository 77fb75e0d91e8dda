'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formatDateTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { alertsDict } from '~/lib/i18n/alerts';
import { useTRPC } from '~/lib/trpc';
import { type PickedSymbol, SymbolSearch } from '../symbol-search';
import { AlertHistory } from './alert-history';
import {
  buildCondition,
  CONDITION_TYPES,
  ConditionFields,
  type ConditionType,
  defaultsOf,
} from './condition-fields';

/** /alerts: the user's alerts (create any condition kind, delete) and their history (the notification centre). */
export function AlertsPage() {
  const trpc = useTRPC();
  const d = useDict(alertsDict);
  const { lang } = usePrefs();
  const qc = useQueryClient();
  const list = useQuery(trpc.alerts.list.queryOptions());
  const channels = useQuery(trpc.notifications.list.queryOptions());
  const portfolios = useQuery(trpc.portfolio.list.queryOptions());
  const [picked, setPicked] = useState<PickedSymbol | null>(null);
  const [type, setType] = useState<ConditionType>('price_above');
  const [values, setValues] = useState<Record<string, string>>(defaultsOf('price_above'));
  const [cooldown, setCooldown] = useState('15');
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
        setValues(defaultsOf(type));
        setError(null);
        return refresh();
      },
      onError: (e) => setError(e.message),
    }),
  );
  const remove = useMutation(trpc.alerts.delete.mutationOptions({ onSuccess: refresh }));
  const forPortfolio = type === 'portfolio_drawdown';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!forPortfolio && !picked) return setError(d.pickSymbol);
    const built = buildCondition(d, type, values);
    if ('error' in built) return setError(built.error);
    const minutes = Number(cooldown);
    if (cooldown.trim() === '' || !Number.isFinite(minutes) || minutes < 0)
      return setError(d.errNumber(d.cooldown));
    create.mutate({
      ...(forPortfolio || !picked ? {} : { market: picked.market, symbol: picked.symbol }),
      condition: built.condition as never,
      channelIds,
      cooldownSeconds: Math.round(minutes * 60),
    });
  };

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
                  {a.symbol
                    ? `${a.symbol} (${a.market})`
                    : (portfolios.data?.find((p) => p.id === a.portfolioId)?.name ?? d.portfolio_drawdown)}
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
        <form onSubmit={submit} data-testid="alert-form" noValidate>
          <label>
            {d.condition}{' '}
            <select
              data-testid="alert-type"
              value={type}
              onChange={(e) => {
                const t = e.target.value as ConditionType;
                setType(t);
                setValues(defaultsOf(t));
                setError(null);
              }}
            >
              {CONDITION_TYPES.map((t) => (
                <option key={t} value={t}>
                  {d[t]}
                </option>
              ))}
            </select>
          </label>
          {forPortfolio ? null : (
            <>
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
            </>
          )}
          <ConditionFields
            d={d}
            type={type}
            values={values}
            onChange={(name, v) => setValues((old) => ({ ...old, [name]: v }))}
            portfolios={portfolios.data ?? []}
          />
          <label>
            {d.cooldown}{' '}
            <input
              type="number"
              min="0"
              step="1"
              value={cooldown}
              onChange={(e) => setCooldown(e.target.value)}
              data-testid="alert-cooldown"
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
      <AlertHistory d={d} />
    </main>
  );
}
