// Worker-thread entry of a backtest run. Plain JS so it loads in any host (tsx, vitest, node); the
// TypeScript run module comes through tsx's scoped loader (as apps/inference's cpu-worker.mjs does).
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { runBacktest } = await tsImport('./run.ts', import.meta.url);
let last = 0;
try {
  const result = runBacktest(workerData.spec, workerData.series, {
    benchmark: workerData.benchmark ?? undefined,
    onProgress(done, total, label) {
      const now = Date.now();
      // at most ~10 messages a second, and always the last one
      if (done === total || now - last >= 100) {
        last = now;
        parentPort.postMessage({ type: 'progress', done, total, label });
      }
    },
  });
  parentPort.postMessage({ type: 'done', result });
} catch (err) {
  parentPort.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
