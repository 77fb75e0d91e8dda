import { describe, expect, it } from 'vitest';
import { FairQueue } from './fair-queue';
import { BatcherClosedError, QueueFullError } from './micro-batcher';

/** A task that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

describe('FairQueue', () => {
  it('gives free slots to callers in turn, not in arrival order', async () => {
    const q = new FairQueue({ concurrency: 1, maxQueue: 100 });
    const order: string[] = [];
    const first = gate();
    const running = q.run('A', async () => {
      await first.opened;
      order.push('A0');
    });
    const jobs = [running];
    for (let i = 1; i <= 5; i++) jobs.push(q.run('A', async () => void order.push(`A${i}`)));
    jobs.push(q.run('B', async () => void order.push('B0')));
    jobs.push(q.run('B', async () => void order.push('B1')));
    jobs.push(q.run('C', async () => void order.push('C0')));
    expect(q.depth).toBe(8);
    first.open();
    await Promise.all(jobs);
    expect(order).toEqual(['A0', 'A1', 'B0', 'C0', 'A2', 'B1', 'A3', 'A4', 'A5']);
  });

  it('runs up to `concurrency` tasks at once', async () => {
    const q = new FairQueue({ concurrency: 3, maxQueue: 10 });
    const g = gate();
    let peak = 0;
    const jobs = Array.from({ length: 7 }, () =>
      q.run('A', async () => {
        peak = Math.max(peak, q.inFlight);
        await g.opened;
      }),
    );
    expect(q.inFlight).toBe(3);
    expect(q.depth).toBe(4);
    g.open();
    await Promise.all(jobs);
    expect(peak).toBe(3);
    expect(q.inFlight).toBe(0);
  });

  it('bounds the wait overall and per caller, so one caller cannot fill the queue', async () => {
    const q = new FairQueue({ concurrency: 1, maxQueue: 4 }); // per caller: 3
    const g = gate();
    const jobs = [q.run('A', () => g.opened)];
    for (let i = 0; i < 3; i++) jobs.push(q.run('A', async () => {}));
    await expect(q.run('A', async () => {})).rejects.toBeInstanceOf(QueueFullError);
    jobs.push(q.run('B', async () => {})); // B still gets the last place
    await expect(q.run('C', async () => {})).rejects.toBeInstanceOf(QueueFullError);
    g.open();
    await Promise.all(jobs);
  });

  it('abandons a waiting task whose deadline passes (it never runs) and keeps serving', async () => {
    const q = new FairQueue({ concurrency: 1, maxQueue: 4 });
    const g = gate();
    const running = q.run('A', () => g.opened);
    const deadline = new AbortController();
    let ran = false;
    const waiting = q.run(
      'B',
      async () => {
        ran = true;
      },
      deadline.signal,
    );
    deadline.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(q.depth).toBe(0);
    g.open();
    await running;
    await expect(q.run('B', async () => 'served')).resolves.toBe('served');
    expect(ran).toBe(false);
  });

  it('drains: refuses new work and resolves when waiting and running work finished', async () => {
    const q = new FairQueue({ concurrency: 1, maxQueue: 4 });
    const g = gate();
    const done: string[] = [];
    const a = q.run('A', async () => {
      await g.opened;
      done.push('a');
    });
    const b = q.run('B', async () => void done.push('b'));
    const drained = q.drain();
    await expect(q.run('C', async () => {})).rejects.toBeInstanceOf(BatcherClosedError);
    g.open();
    await drained;
    await Promise.all([a, b]);
    expect(done).toEqual(['a', 'b']);
  });
});
