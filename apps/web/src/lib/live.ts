'use client';
import type { TLatestQuote } from '@investiq/contracts';

/** When the answer's quote was taken: its quote's time, a stale answer's last-seen time, '' for missing. */
const seenAt = (a: TLatestQuote): string =>
  'quote' in a ? a.quote.ts : a.status === 'stale' ? a.lastSeenAt : '';

/**
 * Merge a pushed freshness answer (the live stream's server judged it when the quotes arrived) into the shown
 * one. The server decides fresh/delayed/closed/stale; the client never re-judges. The pushed answer wins
 * unless the shown one is newer: a newer quote, or the same quote judged later (a poll that saw it age).
 */
export function mergePushed(prev: TLatestQuote, pushed: TLatestQuote): TLatestQuote {
  if (prev.market !== pushed.market || prev.symbol !== pushed.symbol) return prev;
  const a = seenAt(prev);
  const b = seenAt(pushed);
  if (b < a) return prev;
  if (b === a && pushed.checkedAt <= prev.checkedAt) return prev;
  return pushed;
}
