'use client';
import type { TLatestQuote } from '@investiq/contracts';
import { useEffect, useRef, useState } from 'react';

/** No event (not even a ping, sent every 10 s) for this long: the stream is dead, open a new one. */
export const LIVE_INACTIVITY_MS = 25_000;
/** After the server refused the stream (401, 429, 404) the browser gives up; we try again after this. */
export const LIVE_RETRY_MS = 5_000;

/** The live quote stream for these symbols (`GET /api/v1/quotes/stream`, docs/market-data.md). */
export function liveStreamUrl(refs: readonly { market: string; symbol: string }[]): string {
  const keys = [...new Set(refs.map((r) => `${r.market}:${r.symbol}`))].sort();
  return `/api/v1/quotes/stream?symbols=${encodeURIComponent(keys.join(','))}`;
}

export type LiveStatus = 'connecting' | 'open';

/**
 * Follows the live quote stream at `url` (null: none) and hands each event's freshness answers to `onAnswers`.
 * EventSource reconnects by itself after a drop (the first event is then the current state again); a stream
 * that falls silent, or one the server refused, is reopened.
 */
export function useLiveQuotes(url: string | null, onAnswers: (answers: TLatestQuote[]) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onAnswers);
  handler.current = onAnswers;
  useEffect(() => {
    if (!url) return;
    let es: EventSource | null = null;
    let idle: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const restart = () => {
      es?.close();
      open();
    };
    const alive = () => {
      clearTimeout(idle);
      idle = setTimeout(restart, LIVE_INACTIVITY_MS);
    };
    const open = () => {
      setStatus('connecting');
      const source = new EventSource(url);
      es = source;
      source.onopen = () => {
        setStatus('open');
        alive();
      };
      source.addEventListener('ping', alive);
      source.addEventListener('quotes', (ev) => {
        alive();
        handler.current(JSON.parse((ev as MessageEvent<string>).data) as TLatestQuote[]);
      });
      source.onerror = () => {
        setStatus('connecting');
        if (source.readyState === EventSource.CLOSED) {
          clearTimeout(retry);
          retry = setTimeout(restart, LIVE_RETRY_MS);
        }
      };
    };
    open();
    return () => {
      clearTimeout(idle);
      clearTimeout(retry);
      es?.close();
    };
  }, [url]);
  return url ? status : 'connecting';
}
