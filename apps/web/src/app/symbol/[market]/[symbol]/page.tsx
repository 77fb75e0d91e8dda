import { MARKETS, symbolFormatError, type TMarket } from '@investiq/contracts';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BackLink } from '~/components/back-link';
import { BacktestSymbolLink } from '~/components/backtests/nav-link';
import { QuoteWidget } from '~/components/quote-widget';
import { TrackRecord } from '~/components/reports/track-record';

/** The route segment as text; a malformed %-escape is a page that does not exist, not a server error. */
function decodeSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export default async function SymbolPage({
  params,
}: {
  params: Promise<{ market: string; symbol: string }>;
}) {
  const { market, symbol: rawSymbol } = await params;
  const m = market.toUpperCase() as TMarket;
  if (!MARKETS.includes(m)) notFound();
  const decoded = decodeSegment(rawSymbol);
  if (decoded === null) notFound();
  const symbol = decoded.trim().toUpperCase();
  if (symbolFormatError(m, symbol)) notFound();
  return (
    <>
      <BackLink />
      <QuoteWidget market={m} symbol={symbol} />
      <TrackRecord market={m} symbol={symbol} />
      <p className="muted small">
        <BacktestSymbolLink market={m} symbol={symbol} /> ·{' '}
        <Link href={`/api/v1/market-data/quotes/${encodeURIComponent(symbol)}?market=${m}`}>JSON</Link>
      </p>
    </>
  );
}
