'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatDateTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { notificationsDict } from '~/lib/i18n/notifications';
import { useTRPC } from '~/lib/trpc';

export default function AdminNotificationsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const t = useDict(notificationsDict);
  const { lang } = usePrefs();
  const dead = useQuery(trpc.notifications.deadLetters.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.notifications.deadLetters.queryKey() });
  const retry = useMutation(trpc.notifications.retry.mutationOptions({ onSuccess: refresh }));
  const discard = useMutation(trpc.notifications.discard.mutationOptions({ onSuccess: refresh }));
  const error = dead.error ?? retry.error ?? discard.error;
  const counts = dead.data?.queue ?? {};
  return (
    <section className="card">
      <h2>{t.deadTitle}</h2>
      <p>{t.deadIntro}</p>
      <p data-testid="queue-counts">
        {t.queue}:{' '}
        {Object.entries(counts)
          .map(([state, n]) => `${state} ${n}`)
          .join(' · ') || '—'}
      </p>
      {error ? <p className="error">{error.message}</p> : null}
      {dead.data && dead.data.deliveries.length === 0 ? <p>{t.noDead}</p> : null}
      {dead.data && dead.data.deliveries.length > 0 ? (
        <table data-testid="dead-letters">
          <thead>
            <tr>
              <th>{t.channel}</th>
              <th>{t.event}</th>
              <th>{t.attempts}</th>
              <th>{t.lastError}</th>
              <th>{t.updated}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {dead.data.deliveries.map((d) => (
              <tr key={d.id}>
                <td>
                  {d.channelName} ({d.channelType})
                </td>
                <td>
                  {d.event}
                  <br />
                  <code className="wrap-anywhere">{d.idempotencyKey}</code>
                </td>
                <td>{d.attempts}</td>
                <td className="wrap-anywhere">{d.lastError}</td>
                <td>{formatDateTime(d.updatedAt, lang)}</td>
                <td>
                  <button type="button" onClick={() => retry.mutate({ id: d.id })} disabled={retry.isPending}>
                    {t.retry}
                  </button>{' '}
                  <button
                    type="button"
                    onClick={() => discard.mutate({ id: d.id })}
                    disabled={discard.isPending}
                  >
                    {t.discard}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
