'use client';
import Link from 'next/link';
import { useDict } from '~/lib/i18n';
import { reportsDict } from '~/lib/i18n/reports';
import './reports.css';

/** Header entry to the reports (kept here so the shared header needs one line). */
export function ReportsNavLink() {
  const d = useDict(reportsDict);
  return (
    <Link href="/reports" className="nav-link" data-testid="nav-reports">
      {d.reports}
    </Link>
  );
}
