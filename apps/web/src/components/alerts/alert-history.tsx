'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '~/lib/format';
import { usePrefs } from '~/lib/i18n';
import type { alertsDict } from '~/lib/i18n/alerts';
import { useTRPC } from '~/lib/trpc';
import { CONDITION_TYPES, type ConditionType } from './condition-fields';

type Dict = (typeof alertsDict)['en'];
const DELIVERY_STATES = [
  'held',
  'pending',
  'queued',
  'sending',
  'delivered',
  'dead',
  'failed',
  'discarded',
] as const;
type DeliveryState = (typeof DELIVERY_STATES)[number];

const fmtObserved = (n: number | null) =>
  n === null ? '' : Math.abs(n) >= 100 ? n.toFixed(1) : n.toFixed(Math.abs(n) < 1 ? 4 : 2);
/** `<input type="date">` → the start (or end) of that day, local time, as ISO. */
const dayIso = (d: string, end: boolean) =>
  d ? new Date(`${d}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined;

/** Every firing: when, which symbol and condition, the value compared, and each channel's delivery state. */
export function AlertHistory({ d }: { d: Dict }) {
  const trpc = useTRPC();
  const { lang } = usePrefs();
  const qc = useQueryClient();
  const [symbol, setSymbol] = useState('');
  const [conditionType, setConditionType] = useState<ConditionType | ''>('');
  const [deliveryState, setDeliveryState] = useState<DeliveryState | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filter = {
    limit: 200,
    ...(symbol.trim() ? { symbol: symbol.trim() } : {}),
    ...(conditionType ? { conditionType } : {}),
    ...(deliveryState ? { deliveryState } : {}),
    ...(from ? { from: dayIso(from, false) } : {}),
    ...(to ? { to: dayIso(to, true) } : {}),
  };
  const history = useQuery(trpc.alerts.history.queryOptions(filter, { refetchInterval: 10_000 }));
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: trpc.alerts.history.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.alerts.unreadCount.queryKey() }),
    ]);
  const markRead = useMutation(trpc.alerts.markRead.mutationOptions({ onSuccess: refresh }));
  const unread = (history.data ?? []).filter((h) => !h.readAt).length;
  const stateLabel = (s: string) => (d as unknown as Record<string, string>)[`state_${s}`] ?? s;

  return (
    <section>
      <h2>
        {d.history} {unread > 0 ? `(${unread} ${d.unread})` : ''}
      </h2>
      {unread > 0 ? (
        <button type="button" onClick={() => markRead.mutate({})} data-testid="alerts-mark-read">
          {d.markAllRead}
        </button>
      ) : null}
      <fieldset className="filters" data-testid="alerts-history-filters">
        <legend>{d.filters}</legend>
        <label>
          {d.symbol}{' '}
          <input value={symbol} onChange={(e) => setSymbol(e.target.value)} data-testid="history-symbol" />
        </label>
        <select
          aria-label={d.condition}
          value={conditionType}
          onChange={(e) => setConditionType(e.target.value as ConditionType | '')}
          data-testid="history-type"
        >
          <option value="">{d.allTypes}</option>
          {CONDITION_TYPES.map((t) => (
            <option key={t} value={t}>
              {d[t]}
            </option>
          ))}
        </select>
        <select
          aria-label={d.delivery}
          value={deliveryState}
          onChange={(e) => setDeliveryState(e.target.value as DeliveryState | '')}
          data-testid="history-state"
        >
          <option value="">{d.allStates}</option>
          {DELIVERY_STATES.map((s) => (
            <option key={s} value={s}>
              {stateLabel(s)}
            </option>
          ))}
        </select>
        <label>
          {d.from} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {d.to} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </fieldset>
      {history.error ? <p className="error">{history.error.message}</p> : null}
      {history.data?.length === 0 ? <p>{d.noHistory}</p> : null}
      <div className="table-scroll">
        <table data-testid="alerts-history">
          <thead>
            <tr>
              <th>{d.time}</th>
              <th>{d.symbol}</th>
              <th>{d.condition}</th>
              <th>{d.observed}</th>
              <th>{d.price}</th>
              <th>{d.delivery}</th>
            </tr>
          </thead>
          <tbody>
            {(history.data ?? []).map((h) => (
              <tr key={h.id} className={h.readAt ? undefined : 'unread'} title={h.message}>
                <td>
                  <time dateTime={h.firedAt}>{formatDateTime(h.firedAt, lang)}</time>
                </td>
                <td>{h.symbol ? `${h.symbol} (${h.market})` : '—'}</td>
                <td>
                  {h.description || h.conditionType}
                  <div className="message">{h.message}</div>
                </td>
                <td>{fmtObserved(h.observed)}</td>
                <td>{h.price ?? ''}</td>
                <td>
                  {h.deliveries.length === 0 ? d.inAppOnly : null}
                  {h.deliveries.map((x) => (
                    <div key={x.channelId} data-testid="history-delivery" title={x.error ?? undefined}>
                      {x.channelName ?? x.channelId}: {stateLabel(x.state)}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
