import type { DatabaseHandle } from '@investiq/db';
import type { Logger } from '../observability/logger';
import { sweepOrphanedDeliveries } from './dead-letters';
import { DEFAULT_QUEUE_OPTIONS, DeliveryQueue, type QueueOptions } from './queue';
import { type NotificationDeps, runDelivery } from './service';

export interface NotificationsConfig {
  /** OUTBOUND_ALLOW_PRIVATE=true */
  allowPrivate?: boolean;
  /** Run the delivery worker in this process (default true). */
  worker?: boolean;
  sendTimeoutMs?: number;
  queue?: Partial<QueueOptions>;
}

/** Start the queue (and its worker unless disabled) for one process; the returned deps feed the service functions. */
export async function startNotifications(opts: {
  db: DatabaseHandle;
  log: Logger;
  now: () => Date;
  config?: NotificationsConfig | undefined;
  resolve?: NotificationDeps['resolve'];
}): Promise<{ deps: NotificationDeps; close(): Promise<void> }> {
  const c = opts.config ?? {};
  const queue = new DeliveryQueue(opts.db, { ...DEFAULT_QUEUE_OPTIONS, ...c.queue }, opts.log);
  const deps: NotificationDeps = {
    db: opts.db,
    queue,
    log: opts.log,
    now: opts.now,
    allowPrivateFromEnv: c.allowPrivate === true,
    sendTimeoutMs: c.sendTimeoutMs ?? 15_000,
    ...(opts.resolve ? { resolve: opts.resolve } : {}),
  };
  if (deps.sendTimeoutMs >= queue.options.expireInSeconds * 1000)
    opts.log.warn(
      { sendTimeoutMs: deps.sendTimeoutMs, expireInSeconds: queue.options.expireInSeconds },
      'notification send timeout is not below the job expiry: a slow send may be run twice',
    );
  await queue.start();
  let sweep: NodeJS.Timeout | null = null;
  if (c.worker !== false) {
    await queue.work((id, meta) => runDelivery(deps, id, meta));
    // well past the expiry, so pg-boss has had its chance to retry the job first
    const orphanAfter = queue.options.expireInSeconds * 2 + queue.options.maintenanceIntervalSeconds * 2;
    sweep = setInterval(() => {
      sweepOrphanedDeliveries(opts.db, orphanAfter).then(
        (n) => {
          if (n > 0)
            opts.log.warn(
              { deliveries: n },
              'notifications whose worker died on the last attempt dead-lettered',
            );
        },
        (err) => opts.log.warn({ err: String(err) }, 'notification sweep failed'),
      );
    }, 60_000);
    sweep.unref();
  }
  return {
    deps,
    async close() {
      if (sweep) clearInterval(sweep);
      await queue.stop();
    },
  };
}
