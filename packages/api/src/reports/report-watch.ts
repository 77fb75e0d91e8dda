import type { DatabaseHandle } from '@investiq/db';
import { getReport } from './get-report';
import type { LiveRun } from './report-run';
import type { ReportView } from './types';

/**
 * Snapshots of a report this process runs: the current state first, then one after each change (coalesced
 * to at most one per `minIntervalMs`), ending with the final stored state.
 */
export async function* watchLiveRun(
  db: DatabaseHandle,
  run: LiveRun,
  signal: AbortSignal,
  minIntervalMs: number,
): AsyncGenerator<ReportView> {
  let dirty = true;
  let ended = false;
  let wake: (() => void) | null = null;
  const onChange = () => {
    dirty = true;
    wake?.();
  };
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  run.events.on('change', onChange);
  run.events.on('end', onEnd);
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    while (!signal.aborted && !ended) {
      if (dirty) {
        dirty = false;
        yield structuredClone(run.view);
        await new Promise((r) => setTimeout(r, minIntervalMs));
        continue;
      }
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = null;
    }
    if (!signal.aborted) yield await getReport(db, run.view.id);
  } finally {
    run.events.off('change', onChange);
    run.events.off('end', onEnd);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A report this process does not run (another web process behind the same proxy does): poll its stored
 * state and yield each change until it leaves `running` (or its lease expires and a sweep ends it).
 */
export async function* followStoredReport(
  db: DatabaseHandle,
  id: string,
  signal: AbortSignal,
  pollMs: number,
): AsyncGenerator<ReportView> {
  let last = '';
  while (!signal.aborted) {
    const view = await getReport(db, id);
    const text = JSON.stringify(view);
    if (text !== last) {
      last = text;
      yield view;
    }
    if (view.status !== 'running') return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, pollMs);
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
