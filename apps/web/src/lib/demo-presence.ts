'use client';
import { useEffect, useId, useSyncExternalStore } from 'react';

/**
 * Which mounted components show demo data right now. The demo banner is shown only while at least one
 * does: a dashboard whose quotes come from a real vendor carries no banner.
 */
const showing = new Set<string>();
const listeners = new Set<() => void>();
let snapshot = false;

function publish() {
  const next = showing.size > 0;
  if (next === snapshot) return;
  snapshot = next;
  for (const l of listeners) l();
}

/** Report whether this component currently shows demo data (quotes with `source: "demo"`). */
export function useReportDemo(isDemo: boolean): void {
  const id = useId();
  useEffect(() => {
    if (isDemo) showing.add(id);
    else showing.delete(id);
    publish();
    return () => {
      showing.delete(id);
      publish();
    };
  }, [id, isDemo]);
}

export function useDemoOnScreen(): boolean {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => snapshot,
    () => false,
  );
}
