// Worker-thread entry of the cpu-timeseries pool. Plain JS so piscina can load it in any host
// (tsx, vitest, node); it loads the TypeScript task module through tsx's scoped loader.
import { tsImport } from 'tsx/esm/api';

const tasks = tsImport('./cpu-tasks.ts', import.meta.url);

export default async function run(task) {
  const mod = await tasks;
  return mod.runCpuTask(task);
}
