'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect } from 'react';
import { postAuth } from '~/components/admin/auth-form';
import { useDict, usePrefs } from '~/lib/i18n';
import { adminDict } from '~/lib/i18n/admin';
import { notificationsDict } from '~/lib/i18n/notifications';
import { useTRPC } from '~/lib/trpc';

/** Signed-in user, the Admin link for admins, and sign-out. */
export function UserMenu() {
  const trpc = useTRPC();
  const t = useDict(adminDict);
  const notes = useDict(notificationsDict);
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  const ui = useQuery(trpc.settings.uiDefaults.queryOptions(undefined, { staleTime: 300_000 }));
  const prefs = usePrefs();
  // the admin's UI defaults apply where neither the user nor (for language) the browser chose
  const { applyDefaults } = prefs;
  useEffect(() => {
    if (ui.data) applyDefaults(ui.data);
  }, [ui.data, applyDefaults]);
  if (me.data?.kind !== 'session') return null;
  return (
    <span className="user-menu" data-testid="user-menu">
      {me.data.role === 'admin' ? (
        <Link href="/admin" data-testid="nav-admin">
          {t.admin}
        </Link>
      ) : null}
      {me.data.role !== 'viewer' ? (
        <Link href="/settings/notifications" data-testid="nav-notifications">
          {notes.notifications}
        </Link>
      ) : null}
      <span className="muted" data-testid="whoami">
        {t.signedInAs(me.data.username, me.data.role)}
      </span>
      <button
        type="button"
        className="link-button"
        data-testid="logout"
        onClick={async () => {
          await postAuth('/api/auth/logout', {});
          window.location.assign('/login');
        }}
      >
        {t.signOut}
      </button>
    </span>
  );
}
