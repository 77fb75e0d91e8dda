'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { useDict } from '~/lib/i18n';
import { alertsDict } from '~/lib/i18n/alerts';
import { useTRPC } from '~/lib/trpc';

/**
 * Header bell: the signed-in user's unread alert events plus unread scheduled-report summaries, live over SSE (`alerts.unread`: pushed when an alert
 * fires or events are read); the `alerts.unreadCount` query is the first value and the fallback (slow poll).
 */
export function AlertBell() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const d = useDict(alertsDict);
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  const signedIn = me.data?.kind === 'session';
  const unread = useQuery(
    trpc.alerts.unreadCount.queryOptions(undefined, { enabled: signedIn, refetchInterval: 60_000 }),
  );
  // finished scheduled-report summaries count too (the same NOTIFY wakes the subscription below)
  const summaries = useQuery(
    trpc.schedules.unreadCount.queryOptions(undefined, { enabled: signedIn, refetchInterval: 60_000 }),
  );
  useSubscription(
    trpc.alerts.unread.subscriptionOptions(undefined, {
      enabled: signedIn,
      onData: (v) => {
        qc.setQueryData(trpc.alerts.unreadCount.queryKey(), v);
        // the /alerts page shows the new history entry too
        void qc.invalidateQueries({ queryKey: trpc.alerts.history.queryKey() });
        void qc.invalidateQueries({ queryKey: trpc.schedules.unreadCount.queryKey() });
        void qc.invalidateQueries({ queryKey: trpc.schedules.runs.queryKey() });
      },
    }),
  );
  if (!signedIn) return null;
  const n = (unread.data?.count ?? 0) + (summaries.data?.count ?? 0);
  return (
    <Link href="/alerts" className="nav-link alert-bell" aria-label={d.bell(n)} data-testid="nav-alerts">
      <span aria-hidden="true">🔔</span>
      {n > 0 ? (
        <span className="alert-count" data-testid="alert-unread">
          {n > 99 ? '99+' : n}
        </span>
      ) : null}
    </Link>
  );
}
