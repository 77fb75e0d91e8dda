'use client';
import type { TLatestQuote, TQuote } from '@investiq/contracts';

/**
 * Merge a pushed quote into a freshness answer. The server decides freshness; a pushed quote only
 * replaces the shown one when it is newer and still inside the reader's max age (judged on the server's
 * clock, from the offset seen in the last answer). A `delayed` answer stays delayed (budget maxAge +
 * delay); a `closed` one only takes a newer price and stays closed until the next poll re-decides (the
 * client has no exchange calendar).
 */
export function mergeLiveQuote(prev: TLatestQuote, q: TQuote, serverOffsetMs: number): TLatestQuote {
  if (prev.market !== q.market || prev.symbol !== q.symbol) return prev;
  if ((prev.status === 'fresh' || prev.status === 'delayed') && prev.quote.ts >= q.ts) return prev;
  if (prev.status === 'closed') return prev.quote.ts >= q.ts ? prev : { ...prev, quote: q };
  const serverNow = Date.now() + serverOffsetMs;
  const ageMs = Math.max(0, serverNow - Date.parse(q.ts));
  const delaySeconds = prev.status === 'delayed' ? prev.delaySeconds : 0;
  if (ageMs > (prev.maxAgeSeconds + delaySeconds) * 1000) return prev;
  const common = {
    market: prev.market,
    symbol: prev.symbol,
    quote: q,
    ageSeconds: Math.round(ageMs / 100) / 10,
    maxAgeSeconds: prev.maxAgeSeconds,
    checkedAt: new Date(serverNow).toISOString(),
  };
  return delaySeconds > 0 ? { status: 'delayed', ...common, delaySeconds } : { status: 'fresh', ...common };
}

export function serverOffset(latest: { checkedAt: string } | undefined, receivedAt: number): number {
  return latest ? Date.parse(latest.checkedAt) - receivedAt : 0;
}
