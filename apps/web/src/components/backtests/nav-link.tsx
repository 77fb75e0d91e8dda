'use client';
import Link from 'next/link';
import { useDict } from '~/lib/i18n';
import { backtestsDict } from '~/lib/i18n/backtests';

/** Header entry to the backtests (kept here so the shared header needs one line). */
export function BacktestsNavLink() {
  const d = useDict(backtestsDict);
  return (
    <Link href="/backtests" className="nav-link" data-testid="nav-backtests">
      {d.backtests}
    </Link>
  );
}

/** The symbol page's link into a backtest of that symbol. */
export function BacktestSymbolLink({ market, symbol }: { market: string; symbol: string }) {
  const d = useDict(backtestsDict);
  return (
    <Link
      href={`/backtests?symbols=${encodeURIComponent(symbol)}&market=${market}`}
      data-testid="backtest-symbol-link"
    >
      {d.backtestSymbol}
    </Link>
  );
}
