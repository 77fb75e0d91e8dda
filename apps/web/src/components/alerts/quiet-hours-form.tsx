'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useDict } from '~/lib/i18n';
import { alertsDict } from '~/lib/i18n/alerts';
import { useTRPC } from '~/lib/trpc';

const browserZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

/** The user's quiet hours for alert messages (settings page). */
export function QuietHoursForm() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const d = useDict(alertsDict);
  const current = useQuery(trpc.alerts.quietHours.queryOptions());
  const [enabled, setEnabled] = useState(false);
  const [timeZone, setTimeZone] = useState('');
  const [start, setStart] = useState('22:00');
  const [end, setEnd] = useState('07:00');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data === undefined) return;
    if (current.data) {
      setEnabled(current.data.enabled);
      setTimeZone(current.data.timeZone);
      setStart(current.data.start);
      setEnd(current.data.end);
    } else setTimeZone(browserZone());
  }, [current.data]);
  const save = useMutation(
    trpc.alerts.setQuietHours.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        return qc.invalidateQueries({ queryKey: trpc.alerts.quietHours.queryKey() });
      },
      onError: () => setSaved(false),
    }),
  );
  return (
    <section className="card" data-testid="quiet-hours">
      <h2>{d.quietHours}</h2>
      <p>{d.quietIntro}</p>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          save.mutate({ enabled, timeZone: timeZone.trim(), start, end });
        }}
      >
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{' '}
          {d.quietEnabled}
        </label>
        <label>
          {d.timeZone}
          <input
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            placeholder="Asia/Shanghai"
            data-testid="quiet-zone"
          />
        </label>
        <label>
          {d.start}
          <input
            type="time"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            data-testid="quiet-start"
          />
        </label>
        <label>
          {d.end}
          <input type="time" value={end} onChange={(e) => setEnd(e.target.value)} data-testid="quiet-end" />
        </label>
        <button type="submit" disabled={save.isPending} data-testid="quiet-save">
          {d.save}
        </button>
        {saved ? <span role="status">{d.saved}</span> : null}
        {save.error ? (
          <p role="alert" className="error">
            {save.error.message}
          </p>
        ) : null}
      </form>
    </section>
  );
}
