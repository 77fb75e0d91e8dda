import { describe, expect, it } from 'vitest';
import { runSchedule, type ScheduledModule } from './scheduler';

/** A fake clock moved by the test, and modules that finish when the test says so. */
function harness() {
  let t = 0;
  const log: string[] = [];
  const gates = new Map<string, { resolve: (v: string) => void; reject: (e: Error) => void }>();
  const mod = (name: string, deps: string[] = []): ScheduledModule<string, string> => ({
    name,
    deps,
    run: () =>
      new Promise<string>((resolve, reject) => {
        log.push(`start ${name}@${t}`);
        gates.set(name, { resolve, reject });
      }),
  });
  const flush = () => new Promise((r) => setImmediate(r));
  return {
    mod,
    log,
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
    finish: async (name: string, fail = false) => {
      const g = gates.get(name);
      if (!g) throw new Error(`${name} has not started`);
      if (fail) g.reject(new Error(`${name} broke`));
      else g.resolve(`${name} done`);
      await flush();
      await flush();
    },
    flush,
  };
}

describe('runSchedule', () => {
  it('starts independent modules together and a dependent one only after all its deps settle', async () => {
    const h = harness();
    const settled: string[] = [];
    const done = runSchedule([h.mod('a'), h.mod('b'), h.mod('c'), h.mod('n', ['a', 'b', 'c'])], {
      now: h.now,
      onSettle: (name, o) => {
        settled.push(`${name}:${o.ok ? 'ok' : 'err'}:${o.finishedAt.getTime() - o.startedAt.getTime()}`);
      },
    });
    await h.flush();
    expect(h.log).toEqual(['start a@0', 'start b@0', 'start c@0']);
    h.advance(100);
    await h.finish('b');
    h.advance(250);
    await h.finish('a', true); // a failure does not stop the dependent
    expect(h.log).toHaveLength(3);
    h.advance(50);
    await h.finish('c');
    expect(h.log).toEqual(['start a@0', 'start b@0', 'start c@0', 'start n@400']);
    h.advance(1000);
    await h.finish('n');
    const outcomes = await done;
    expect(settled).toEqual(['b:ok:100', 'a:err:350', 'c:ok:400', 'n:ok:1000']);
    expect(outcomes.get('a')).toMatchObject({ ok: false });
    expect(outcomes.get('n')).toMatchObject({ ok: true, value: 'n done' });
  });

  it('rejects unknown dependencies and cycles', async () => {
    const h = harness();
    await expect(runSchedule([h.mod('a', ['zz'])], { now: h.now })).rejects.toThrow(/unknown module zz/);
    await expect(runSchedule([h.mod('a', ['b']), h.mod('b', ['a'])], { now: h.now })).rejects.toThrow(
      /cycle/,
    );
  });

  it('resolves at once for an empty graph', async () => {
    expect((await runSchedule([], { now: () => new Date(0) })).size).toBe(0);
  });
});
