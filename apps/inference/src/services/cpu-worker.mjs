// Worker-thread entry of the cpu-timeseries pool. Plain JS so piscina can load it in any host
// (tsx, vitest, node); it loads the TypeScript task module through tsx's scoped loader.
//
// The default export is a promise of the handler: piscina awaits it before it marks the thread ready, so no
// task starts on a thread that is still loading (or still cold: one small fit warms the ARIMA code up).
// A task's deadline then measures its own work, not a replacement thread's start-up.
import { tsImport } from 'tsx/esm/api';

export default tsImport('./cpu-tasks.ts', import.meta.url).then((mod) => {
  const series = Array.from({ length: 40 }, (_, i) => 50 + 0.1 * i + Math.sin(i / 3));
  mod.runCpuTask({ kind: 'arima', input: { series, horizon: 2, maxP: 1, maxQ: 1, maxD: 1 } });
  return (task) => mod.runCpuTask(task);
});
