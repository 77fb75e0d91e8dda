import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger';
import { attachSettings } from '../settings/service';
import { startReceiver } from '../test-support/http-receiver';
import { waitFor } from '../test-support/runtime';
import type { QueueOptions } from './queue';
import { startNotifications } from './runtime';
import { createChannel, enqueueNotification, type NotificationDeps } from './service';

const WORKER = fileURLToPath(new URL('../test-support/notification-worker-process.ts', import.meta.url));
const API_DIR = fileURLToPath(new URL('../..', import.meta.url));
const QUEUE: Partial<QueueOptions> = {
  retryLimit: 3,
  retryDelaySeconds: 1,
  // a claimed job whose worker died is failed (and retried) 2 s after it was claimed
  expireInSeconds: 2,
  maintenanceIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
  concurrency: 1,
};

// Separate processes share the database only on PostgreSQL (PGlite is in-process).
describe.skipIf(!process.env.TEST_DATABASE_URL)('a worker killed mid-delivery (PostgreSQL)', () => {
  let db: DatabaseHandle & { url?: string };
  let deps: NotificationDeps;
  let stop: () => Promise<void>;
  const children: ChildProcess[] = [];
  const key = randomBytes(32);

  beforeAll(async () => {
    db = await createTestDatabase();
    await attachSettings(db, { keyring: { current: key, previous: [] } });
    // this process only enqueues: no worker here
    const started = await startNotifications({
      db,
      log: createLogger({ level: 'silent' }),
      now: () => new Date(),
      config: { allowPrivate: true, worker: false, queue: QUEUE },
    });
    deps = started.deps;
    stop = started.close;
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await stop?.();
    await db?.close();
  });

  const startWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      cwd: API_DIR,
      env: {
        ...process.env,
        NOTIFY_DB_URL: db.url,
        NOTIFY_SECRETS_KEY: key.toString('base64'),
        NOTIFY_QUEUE: JSON.stringify(QUEUE),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return child;
  };

  it('after SIGKILL and a restart each message reaches the deduplicating receiver exactly once', async () => {
    // The receiver dedupes by Idempotency-Key, as the webhook contract asks receivers to.
    const accepted = new Map<string, number>();
    let hang = true;
    const rx = await startReceiver((req) => {
      if (hang) return 'hang';
      const k = String(req.headers['idempotency-key']);
      if (!accepted.has(k)) accepted.set(k, accepted.size + 1);
      return { status: 200 };
    });
    try {
      const ch = await createChannel(
        deps,
        { actor: 'system', ownerId: null, admin: true },
        {
          type: 'webhook',
          name: 'crash',
          url: `${rx.base}/in`,
          secret: 'crash-test-secret-123',
        },
      );
      const keys = ['m-1', 'm-2', 'm-3'];
      const ids: string[] = [];
      for (const k of keys)
        ids.push(
          (
            await enqueueNotification(deps, {
              userId: null,
              channelId: ch.id,
              event: 'alert.triggered',
              idempotencyKey: k,
              payload: { symbol: 'AAPL', market: 'US' },
            })
          ).deliveryId,
        );

      const first = startWorker();
      // the worker claimed one job and its request is hanging at the receiver
      await waitFor(() => rx.requests.length === 1, 30_000, 'the first worker to send');
      const inFlight = String(rx.requests[0]!.headers['idempotency-key']);
      const rows = await db.query<{ idempotency_key: string; state: string }>(
        'SELECT idempotency_key, state FROM notification_deliveries WHERE channel_id = $1',
        [ch.id],
      );
      expect(rows.find((r) => r.idempotency_key === inFlight)?.state).toBe('sending');
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      expect(rx.requests).toHaveLength(1);

      hang = false;
      startWorker();
      await waitFor(
        async () =>
          (
            await db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM notification_deliveries WHERE channel_id = $1 AND state = 'delivered'`,
              [ch.id],
            )
          )[0]!.n === 3,
        40_000,
        'all three delivered after the restart',
      );
      // exactly once at the receiver: every key accepted once
      expect([...accepted.keys()].sort()).toEqual(keys);
      // the interrupted one was sent again with the same key (deduped); the others were never sent twice
      const sends = (k: string) => rx.requests.filter((r) => r.headers['idempotency-key'] === k).length;
      for (const k of keys) expect(sends(k)).toBe(k === inFlight ? 2 : 1);
      const attempts = await db.query<{ idempotency_key: string; attempts: number }>(
        'SELECT idempotency_key, attempts FROM notification_deliveries WHERE channel_id = $1',
        [ch.id],
      );
      for (const a of attempts) expect(a.attempts).toBe(a.idempotency_key === inFlight ? 2 : 1);
    } finally {
      await rx.close();
    }
  }, 90_000);
});
