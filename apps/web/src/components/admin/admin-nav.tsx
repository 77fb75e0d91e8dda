'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useDict } from '~/lib/i18n';
import { adminDict } from '~/lib/i18n/admin';
import { importsDict } from '~/lib/i18n/imports';
import { notificationsDict } from '~/lib/i18n/notifications';
import { operationsDict } from '~/lib/i18n/operations';
import { providersDict } from '~/lib/i18n/providers';

export function AdminNav() {
  const t = useDict(adminDict);
  const ops = useDict(operationsDict);
  const imp = useDict(importsDict);
  const notes = useDict(notificationsDict);
  const prov = useDict(providersDict);
  const path = usePathname();
  const links = [
    ['/admin', t.settings],
    ['/admin/prompts', t.prompts],
    ['/admin/users', t.users],
    ['/admin/tokens', t.tokens],
    ['/admin/audit', t.audit],
    ['/admin/operations', ops.title],
    ['/admin/import', imp.title],
    ['/admin/notifications', notes.notifications],
    ['/admin/providers', prov.title],
  ] as const;
  return (
    <nav className="admin-nav" aria-label={t.admin}>
      {links.map(([href, label]) => (
        <Link
          key={href}
          href={href}
          aria-current={path === href ? 'page' : undefined}
          data-testid={`admin-nav-${href.split('/')[2] ?? 'settings'}`}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}
