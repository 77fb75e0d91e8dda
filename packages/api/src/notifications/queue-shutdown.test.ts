import { createTestDatabase } from '@investiq/db/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../observability/logger';
import { waitFor } from '../test-support/runtime';
import { DEFAULT_QUEUE_OPTIONS, DELIVERY_QUEUE, DeliveryQueue } from './queue';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

// Found by `npm run bench` (bench/alerts.ts): a delivery still running when the queue's stop() gave up waiting
// finished after the database was closed, and pg-boss's un-awaited `complete`/`fail` on the closed pool was an
// unhandled rejection that killed the process during shutdown.
describe(`notification queue shutdown (${DB})`, () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('a job that outlives stop() is failed for a retry, and its late outcome does not touch the closed database', async () => {
    const db = await createTestDatabase();
    const log = createLogger({ level: 'silent' });
    const warn = vi.spyOn(log, 'warn');
    const queue = new DeliveryQueue(
      db,
      { ...DEFAULT_QUEUE_OPTIONS, pollingIntervalSeconds: 0.5 },
      log,
      1_000,
    );
    await queue.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const started: string[] = [];
    await queue.work(async (deliveryId) => {
      started.push(deliveryId);
      await gate;
      // what runDelivery does when it finishes: write the delivery's state
      await db.query('SELECT 1');
    });
    await queue.enqueueIn(db.query.bind(db), 'delivery-1');
    await waitFor(() => started.length === 1, 10_000, 'the worker to claim the job');

    // stop() waits its 1 s for the running job, then fails it (pg-boss retries it after the next start)
    await queue.stop();
    const [job] = await db.query<{ state: string; output: unknown }>(
      'SELECT state::text AS state, output FROM pgboss.job WHERE name = $1',
      [DELIVERY_QUEUE],
    );
    expect(job?.state).toBe('retry');
    expect(JSON.stringify(job?.output)).toContain('shut down while active');
    await db.close();

    // the job now finishes: its own query fails on the closed database and pg-boss records the outcome
    process.on('unhandledRejection', onUnhandled);
    release();
    await waitFor(
      () => warn.mock.calls.some((c) => /late job outcome is not written/.test(String(c[1]))),
      5_000,
      'the skipped write to be logged',
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(unhandled).toEqual([]);
  }, 30_000);
});
