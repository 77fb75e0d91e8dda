'use client';
import Link from 'next/link';
import { usePrefs } from '~/lib/i18n';

export function BackLink() {
  const { t } = usePrefs();
  return (
    <Link href="/" className="back-link">
      {t.back}
    </Link>
  );
}
