'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { formatDateTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { schedulesDict } from '~/lib/i18n/schedules';
import { useTRPC } from '~/lib/trpc';

const MARKETS = ['CN', 'HK', 'US'] as const;
const DEFAULT_TIME: Record<(typeof MARKETS)[number], string> = { CN: '15:30', HK: '16:30', US: '16:30' };

/**
 * The user's report schedules (watchlist, market, time in the market's zone, channels) and their summaries:
 * progress of a running one, then a link per report and the failures. Part of /alerts, where the bell leads.
 */
export function ReportSchedules() {
  const trpc = useTRPC();
  const { lang } = usePrefs();
  const d = useDict(schedulesDict);
  const qc = useQueryClient();
  const schedules = useQuery(trpc.schedules.list.queryOptions());
  const runs = useQuery(
    trpc.schedules.runs.queryOptions(
      { limit: 20 },
      { refetchInterval: (q) => (q.state.data?.some((r) => r.status === 'running') ? 2_000 : 15_000) },
    ),
  );
  const lists = useQuery(trpc.watchlists.list.queryOptions());
  const channels = useQuery(trpc.notifications.list.queryOptions());
  const [watchlistId, setWatchlistId] = useState('');
  const [market, setMarket] = useState<(typeof MARKETS)[number]>('CN');
  const [time, setTime] = useState(DEFAULT_TIME.CN);
  const [language, setLanguage] = useState<'en' | 'zh'>('en');
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: trpc.schedules.list.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.schedules.runs.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.schedules.unreadCount.queryKey() }),
    ]);
  const create = useMutation(
    trpc.schedules.create.mutationOptions({
      onSuccess: () => {
        setError(null);
        return refresh();
      },
      onError: (e) => setError(e.message),
    }),
  );
  const update = useMutation(trpc.schedules.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.schedules.delete.mutationOptions({ onSuccess: refresh }));
  const markRead = useMutation(trpc.schedules.markRead.mutationOptions({ onSuccess: refresh }));
  const listId = watchlistId || lists.data?.[0]?.id || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ watchlistId: listId, market, localTime: time, language, channelIds });
  };
  const unread = (runs.data ?? []).filter((r) => r.finishedAt && !r.readAt).length;

  return (
    <section className="page" data-testid="report-schedules">
      <h2>{d.title}</h2>
      <p className="muted">{d.intro}</p>
      {schedules.data?.length === 0 ? <p>{d.none}</p> : null}
      <table data-testid="schedules-list">
        <tbody>
          {(schedules.data ?? []).map((s) => (
            <tr key={s.id}>
              <td>{s.watchlistName}</td>
              <td>
                {s.market} {s.localTime} ({d.zone[s.market]})
              </td>
              <td>
                {s.next ? (
                  <>
                    {d.next}: <time dateTime={s.next.at}>{formatDateTime(s.next.at, lang)}</time>
                  </>
                ) : (
                  d.disabled
                )}
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => update.mutate({ id: s.id, patch: { enabled: !s.enabled } })}
                >
                  {s.enabled ? d.disable : d.enable}
                </button>{' '}
                <button type="button" onClick={() => remove.mutate({ id: s.id })}>
                  {d.remove}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={submit} data-testid="schedule-form">
        <label>
          {d.watchlist}{' '}
          <select value={listId} onChange={(e) => setWatchlistId(e.target.value)} data-testid="schedule-list">
            {(lists.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {d.market}{' '}
          <select
            value={market}
            data-testid="schedule-market"
            onChange={(e) => {
              const m = e.target.value as (typeof MARKETS)[number];
              setMarket(m);
              setTime(DEFAULT_TIME[m]);
            }}
          >
            {MARKETS.map((m) => (
              <option key={m} value={m}>
                {m} ({d.zone[m]})
              </option>
            ))}
          </select>
        </label>
        <label>
          {d.time}{' '}
          <input
            type="time"
            required
            value={time}
            onChange={(e) => setTime(e.target.value)}
            data-testid="schedule-time"
          />
        </label>
        <label>
          {d.language}{' '}
          <select value={language} onChange={(e) => setLanguage(e.target.value as 'en' | 'zh')}>
            <option value="en">English</option>
            <option value="zh">中文</option>
          </select>
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
                  setChannelIds((ids) => (e.target.checked ? [...ids, c.id] : ids.filter((i) => i !== c.id)))
                }
              />
              {c.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={create.isPending || !listId}>
          {d.create}
        </button>
        {error ? (
          <p role="alert" className="error" data-testid="schedule-error">
            {error}
          </p>
        ) : null}
      </form>
      <h3>{d.runs}</h3>
      {unread > 0 ? (
        <button type="button" onClick={() => markRead.mutate({})} data-testid="schedules-mark-read">
          {d.markRead}
        </button>
      ) : null}
      {runs.data?.length === 0 ? <p>{d.noRuns}</p> : null}
      <ul data-testid="schedule-runs">
        {(runs.data ?? []).map((r) => (
          <li key={r.id} className={r.finishedAt && !r.readAt ? 'unread' : undefined}>
            <strong>
              {r.watchlistName} ({r.market}) {r.slotDate}
            </strong>{' '}
            {d.status[r.status]} · {d.progress(r.done, r.total)}
            {r.status === 'running' ? <progress value={r.done} max={Math.max(r.total, 1)} /> : null}
            {r.error ? <span className="error"> — {r.error}</span> : null}
            <ul>
              {r.items.map((i) => (
                <li key={`${i.market}:${i.symbol}`}>
                  {i.reportId ? <Link href={`/reports/${i.reportId}`}>{i.symbol}</Link> : i.symbol}{' '}
                  {d.itemStatus[i.status]}
                  {i.error ? ` — ${i.error}` : ''}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
