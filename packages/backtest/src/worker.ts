import { Worker } from 'node:worker_threads';
import type { BacktestResult, ProgressFn, SymbolSeries, TBacktestSpec } from './run';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export class BacktestAbortedError extends Error {
  override readonly name = 'BacktestAbortedError';
}

/**
 * Runs `runBacktest` on a worker thread so a long sweep never blocks the web server's event loop. The
 * bars are copied to the worker (structured clone); progress comes back as messages. Aborting terminates
 * the thread.
 */
export function runBacktestInWorker(
  spec: TBacktestSpec,
  series: SymbolSeries[],
  opts: { benchmark?: SymbolSeries; onProgress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<BacktestResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY, { workerData: { spec, series, benchmark: opts.benchmark ?? null } });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(new BacktestAbortedError('backtest aborted')));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on(
      'message',
      (m: {
        type: string;
        done?: number;
        total?: number;
        label?: string;
        result?: BacktestResult;
        message?: string;
      }) => {
        if (m.type === 'progress') opts.onProgress?.(m.done ?? 0, m.total ?? 0, m.label ?? '');
        else if (m.type === 'done') finish(() => resolve(m.result as BacktestResult));
        else if (m.type === 'error') finish(() => reject(new Error(m.message)));
      },
    );
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`backtest worker exited with code ${code}`))));
  });
}
