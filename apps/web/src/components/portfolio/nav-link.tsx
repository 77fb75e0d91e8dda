'use client';
import Link from 'next/link';
import { useDict } from '~/lib/i18n';
import { portfolioDict } from '~/lib/i18n/portfolio';

/** Header entry to the portfolio (kept here so the shared header needs one line). */
export function PortfolioNavLink() {
  const d = useDict(portfolioDict);
  return (
    <Link href="/portfolio" className="nav-link" data-testid="nav-portfolio">
      {d.portfolio}
    </Link>
  );
}
