'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useDict } from '~/lib/i18n';
import { alertsDict } from '~/lib/i18n/alerts';
import { useTRPC } from '~/lib/trpc';

/** Header bell: the signed-in user's unread alert count (polled every 10 s), linking to /alerts. */
export function AlertBell() {
  const trpc = useTRPC();
  const d = useDict(alertsDict);
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  const signedIn = me.data?.kind === 'session';
  const unread = useQuery(
    trpc.alerts.unreadCount.queryOptions(undefined, { enabled: signedIn, refetchInterval: 10_000 }),
  );
  if (!signedIn) return null;
  const n = unread.data?.count ?? 0;
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
