import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BackLink } from '~/components/back-link';
import { BacktestSymbolLink } from '~/components/backtests/nav-link';
import { QuoteWidget } from '~/components/quote-widget';
import { TrackRecord } from '~/components/reports/track-record';

const MARKETS = ['CN', 'HK', 'US'] as const;

export default async function SymbolPage({
  params,
}: {
  params: Promise<{ market: string; symbol: string }>;
}) {
  const { market, symbol } = await params;
  const m = market.toUpperCase();
  if (!MARKETS.includes(m as (typeof MARKETS)[number])) notFound();
  return (
    <>
      <BackLink />
      <QuoteWidget market={m as (typeof MARKETS)[number]} symbol={decodeURIComponent(symbol).toUpperCase()} />
      <TrackRecord market={m as (typeof MARKETS)[number]} symbol={decodeURIComponent(symbol).toUpperCase()} />
      <p className="muted small">
        <BacktestSymbolLink market={m} symbol={decodeURIComponent(symbol).toUpperCase()} /> ·{' '}
        <Link
          href={`/api/v1/market-data/quotes/${encodeURIComponent(decodeURIComponent(symbol))}?market=${m}`}
        >
          JSON
        </Link>
      </p>
    </>
  );
}
