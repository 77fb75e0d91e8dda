import type { DatabaseHandle } from '@investiq/db';
import type { Logger } from '../observability/logger';
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
  await queue.start();
  if (c.worker !== false) await queue.work((id, meta) => runDelivery(deps, id, meta));
  return { deps, close: () => queue.stop() };
}
