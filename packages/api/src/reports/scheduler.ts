/** A unit of work in a report: runs once all of `deps` have settled (whatever their outcome). */
export interface ScheduledModule<N extends string, R> {
  name: N;
  deps: readonly N[];
  run(signal: AbortSignal): Promise<R>;
}

export type ModuleOutcome<R> =
  | { ok: true; value: R; startedAt: Date; finishedAt: Date }
  | { ok: false; error: unknown; startedAt: Date; finishedAt: Date };

export interface ScheduleHooks<N extends string, R> {
  now: () => Date;
  onStart?(name: N, at: Date): void;
  onSettle?(name: N, outcome: ModuleOutcome<R>): void | Promise<void>;
  signal?: AbortSignal;
}

/**
 * Runs a dependency graph of modules: every module whose dependencies have settled starts at once, so
 * independent modules run concurrently; a failed dependency does not stop its dependents (they decide
 * what to do with a missing input). Unknown or cyclic dependencies are programming errors and throw.
 */
export async function runSchedule<N extends string, R>(
  modules: readonly ScheduledModule<N, R>[],
  hooks: ScheduleHooks<N, R>,
): Promise<Map<N, ModuleOutcome<R>>> {
  const names = new Set(modules.map((m) => m.name));
  for (const m of modules)
    for (const d of m.deps)
      if (!names.has(d)) throw new Error(`module ${m.name} depends on unknown module ${d}`);
  const outcomes = new Map<N, ModuleOutcome<R>>();
  const started = new Set<N>();
  const signal = hooks.signal ?? new AbortController().signal;

  return new Promise((resolve, reject) => {
    const launchReady = () => {
      const ready = modules.filter((m) => !started.has(m.name) && m.deps.every((d) => outcomes.has(d)));
      if (ready.length === 0 && started.size < modules.length && started.size === outcomes.size) {
        reject(
          new Error(
            `dependency cycle among: ${modules
              .filter((m) => !started.has(m.name))
              .map((m) => m.name)
              .join(', ')}`,
          ),
        );
        return;
      }
      for (const m of ready) {
        started.add(m.name);
        const startedAt = hooks.now();
        hooks.onStart?.(m.name, startedAt);
        void (async () => {
          let outcome: ModuleOutcome<R>;
          try {
            const value = await m.run(signal);
            outcome = { ok: true, value, startedAt, finishedAt: hooks.now() };
          } catch (error) {
            outcome = { ok: false, error, startedAt, finishedAt: hooks.now() };
          }
          try {
            await hooks.onSettle?.(m.name, outcome);
          } catch (err) {
            reject(err);
            return;
          }
          outcomes.set(m.name, outcome);
          if (outcomes.size === modules.length) resolve(outcomes);
          else launchReady();
        })();
      }
    };
    if (modules.length === 0) resolve(outcomes);
    else launchReady();
  });
}
