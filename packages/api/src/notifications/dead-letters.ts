import type { DatabaseHandle } from '@investiq/db';
import { type Actor, writeAudit } from '../audit/audit-log';
import { AppError } from '../errors';
import { DELIVERY_QUEUE } from './queue';
import type { NotificationDeps } from './service';

export interface TDeadLetter {
  id: string;
  channelId: string;
  channelName: string;
  channelType: string;
  event: string;
  idempotencyKey: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export async function listDeadLetters(db: DatabaseHandle, limit = 100): Promise<TDeadLetter[]> {
  const rows = await db.query<{
    id: string;
    channel_id: string;
    name: string;
    type: string;
    event: string;
    idempotency_key: string;
    attempts: number;
    last_error: string | null;
    created_at: Date | string;
    updated_at: Date | string;
  }>(
    `SELECT d.id, d.channel_id, c.name, c.type, d.event, d.idempotency_key, d.attempts, d.last_error,
            d.created_at, d.updated_at
       FROM notification_deliveries d JOIN notification_channels c ON c.id = d.channel_id
      WHERE d.state = 'dead' ORDER BY d.updated_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channel_id,
    channelName: r.name,
    channelType: r.type,
    event: r.event,
    idempotencyKey: r.idempotency_key,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

/** Dead letter → queued again with a fresh job (same idempotency key); audited in the same transaction. */
export async function retryDeadLetter(
  deps: NotificationDeps,
  actor: Actor,
  id: string,
  ip: string | null = null,
): Promise<void> {
  await deps.db.transaction(async (q) => {
    const rows = await q<{ id: string }>(
      `UPDATE notification_deliveries SET state = 'queued', updated_at = now() WHERE id = $1 AND state = 'dead' RETURNING id`,
      [id],
    );
    if (!rows[0]) throw new AppError('NOT_FOUND', `no dead-lettered delivery ${id}`);
    await deps.queue.enqueueIn(q, id);
    await writeAudit(q, {
      actor,
      action: 'notification.delivery.retry',
      target: `notification_delivery:${id}`,
      ip,
    });
  });
}

export async function discardDeadLetter(
  deps: NotificationDeps,
  actor: Actor,
  id: string,
  ip: string | null = null,
): Promise<void> {
  await deps.db.transaction(async (q) => {
    const rows = await q<{ id: string }>(
      `UPDATE notification_deliveries SET state = 'discarded', updated_at = now() WHERE id = $1 AND state = 'dead' RETURNING id`,
      [id],
    );
    if (!rows[0]) throw new AppError('NOT_FOUND', `no dead-lettered delivery ${id}`);
    await writeAudit(q, {
      actor,
      action: 'notification.delivery.discard',
      target: `notification_delivery:${id}`,
      ip,
    });
  });
}

/**
 * A delivery whose job is gone while the row still says queued/sending: the worker died during the last
 * allowed attempt and pg-boss failed the expired job without running our handler. Without this sweep such a
 * message would be lost silently; it goes to the dead-letter list instead (an admin can retry it).
 */
export async function sweepOrphanedDeliveries(db: DatabaseHandle, olderThanSeconds: number): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `UPDATE notification_deliveries d
        SET state = 'dead', updated_at = now(),
            last_error = 'the worker stopped during the last attempt (job expired); ' || coalesce(d.last_error, '')
      WHERE d.state IN ('queued', 'sending')
        AND d.updated_at < now() - make_interval(secs => $1)
        AND NOT EXISTS (
          SELECT 1 FROM pgboss.job j
           WHERE j.name = $2 AND j.data->>'deliveryId' = d.id::text AND j.state <= 'active')
      RETURNING d.id`,
    [olderThanSeconds, DELIVERY_QUEUE],
  );
  return rows.length;
}
