import { createHash } from 'node:crypto';
import { enqueueNotification, type NotificationDeps } from '../notifications/service';

/** One firing's message to one channel (a row of `alert_deliveries`). */
export interface OutgoingAlert {
  /** alert_deliveries.id */
  rowId: string;
  channelId: string;
  eventId: string;
  alertId: string;
  market: string | null;
  symbol: string | null;
  condition: string;
  price: number | null;
  firedAt: Date;
  message: string;
}

/** Messages held or not handed over this long are picked up by the sweep (a process stopped in between). */
export const PENDING_GRACE_MS = 60_000;

/**
 * Hand one channel's messages of one user to the notification queue: one message, or one digest for several
 * (a burst within the group window, or what quiet hours held). The idempotency key is derived from the rows,
 * so a repeated hand-over (a crash before the rows were marked) is a no-op in the queue.
 */
export async function sendToChannel(
  deps: NotificationDeps,
  userId: string,
  channelId: string,
  list: OutgoingAlert[],
  opts: { heldDigest?: boolean } = {},
): Promise<void> {
  const ids = list.map((f) => f.rowId);
  try {
    let deliveryId: string;
    if (list.length === 1 && !opts.heldDigest) {
      const f = list[0]!;
      ({ deliveryId } = await enqueueNotification(deps, {
        userId,
        channelId,
        event: 'alert.triggered',
        idempotencyKey: `alert:${f.alertId}:${f.firedAt.toISOString()}`,
        payload: {
          title: `${f.symbol ?? 'portfolio'} ${f.condition}`,
          text: f.message,
          ...(f.symbol ? { symbol: f.symbol } : {}),
          ...(f.market ? { market: f.market } : {}),
          ...(f.price !== null ? { price: f.price } : {}),
          condition: f.condition,
          time: f.firedAt.toISOString(),
        },
      }));
    } else {
      const key = createHash('sha256')
        .update([...list.map((f) => f.eventId)].sort().join(','))
        .digest('hex')
        .slice(0, 32);
      const sorted = [...list].sort((a, b) => a.firedAt.getTime() - b.firedAt.getTime());
      let text = sorted.map((f) => f.message).join('\n');
      if (text.length > 4000) text = `${text.slice(0, 3990)}\n…`;
      ({ deliveryId } = await enqueueNotification(deps, {
        userId,
        channelId,
        event: 'alert.digest',
        idempotencyKey: `alert-digest:${key}`,
        payload: {
          title: opts.heldDigest
            ? `${list.length} alert${list.length === 1 ? '' : 's'} during your quiet hours`
            : `${list.length} alerts fired`,
          text,
          time: sorted[0]!.firedAt.toISOString(),
        },
      }));
    }
    await deps.db.query(
      `UPDATE alert_deliveries SET state = 'queued', delivery_id = $2, hold_until = NULL WHERE id = ANY($1::uuid[])`,
      [ids, deliveryId],
    );
  } catch (err) {
    // a deleted or disabled channel must not stop the user's other channels
    await deps.db.query(
      `UPDATE alert_deliveries SET state = 'failed', error = $2 WHERE id = ANY($1::uuid[])`,
      [ids, (err instanceof Error ? err.message : String(err)).slice(0, 500)],
    );
    deps.log.warn({ err: String(err), channelId, userId }, 'alert notification not queued');
  }
}

/**
 * Messages whose quiet hours ended (and pending ones a stopped process never handed over): one digest per
 * user and channel. Returns how many messages were handed over.
 */
export async function releaseHeld(deps: NotificationDeps, now: Date): Promise<number> {
  const rows = await deps.db.query<{
    id: string;
    state: string;
    user_id: string;
    channel_id: string;
    event_id: string;
    alert_id: string;
    market: string | null;
    symbol: string | null;
    condition: string | null;
    price: string | null;
    fired_at: Date | string;
    message: string;
  }>(
    `SELECT d.id, d.state, d.user_id, d.channel_id, d.event_id, e.alert_id, a.market, a.symbol,
            e.condition_type AS condition, e.price, e.fired_at, e.message
       FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id JOIN alerts a ON a.id = e.alert_id
      WHERE (d.state = 'held' AND d.hold_until <= $1) OR (d.state = 'pending' AND d.created_at < $2)
      ORDER BY e.fired_at LIMIT 5000`,
    [now, new Date(now.getTime() - PENDING_GRACE_MS)],
  );
  const groups = new Map<
    string,
    { userId: string; channelId: string; held: boolean; list: OutgoingAlert[] }
  >();
  for (const r of rows) {
    const k = `${r.user_id}:${r.channel_id}:${r.state}`;
    let g = groups.get(k);
    if (!g) {
      g = { userId: r.user_id, channelId: r.channel_id, held: r.state === 'held', list: [] };
      groups.set(k, g);
    }
    g.list.push({
      rowId: r.id,
      channelId: r.channel_id,
      eventId: r.event_id,
      alertId: r.alert_id,
      market: r.market,
      symbol: r.symbol,
      condition: r.condition ?? '',
      price: r.price === null ? null : Number(r.price),
      firedAt: new Date(r.fired_at),
      message: r.message,
    });
  }
  for (const g of groups.values())
    await sendToChannel(deps, g.userId, g.channelId, g.list, { heldDigest: g.held });
  return rows.length;
}
