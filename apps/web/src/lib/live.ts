'use client';
import type { TLatestQuote, TQuote } from '@investiq/contracts';

/**
 * Merge a pushed quote into a freshness answer. The server decides freshness; a pushed quote only
 * replaces the shown one when it is newer and still inside the reader's max age (judged on the server's
 * clock, from the offset seen in the last answer).
 */
export function mergeLiveQuote(prev: TLatestQuote, q: TQuote, serverOffsetMs: number): TLatestQuote {
  if (prev.market !== q.market || prev.symbol !== q.symbol) return prev;
  if (prev.status === 'fresh' && prev.quote.ts >= q.ts) return prev;
  const serverNow = Date.now() + serverOffsetMs;
  const ageMs = Math.max(0, serverNow - Date.parse(q.ts));
  if (ageMs > prev.maxAgeSeconds * 1000) return prev;
  return {
    status: 'fresh',
    market: prev.market,
    symbol: prev.symbol,
    quote: q,
    ageSeconds: Math.round(ageMs / 100) / 10,
    maxAgeSeconds: prev.maxAgeSeconds,
    checkedAt: new Date(serverNow).toISOString(),
  };
}

export function serverOffset(latest: { checkedAt: string } | undefined, receivedAt: number): number {
  return latest ? Date.parse(latest.checkedAt) - receivedAt : 0;
}
