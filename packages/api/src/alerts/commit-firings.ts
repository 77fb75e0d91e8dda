import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@investiq/db';
import type { TAlertCondition, TAlertState } from './condition';
import { ALERT_EVENTS_CHANNEL } from './service';

/** One firing judged in memory, waiting to be stored with the rest of its batch. */
export interface Firing {
  eventId: string;
  alertId: string;
  userId: string;
  market: string | null;
  symbol: string | null;
  condition: TAlertCondition;
  channelIds: readonly string[];
  firedAt: Date;
  price: number | null;
  quoteTs: string | null;
  message: string;
  observed: number | null;
  /** End of the user's quiet hours when it fired inside them: channel messages are held until then. */
  holdUntil: Date | null;
}

export const newEventId = (): string => randomUUID();

/**
 * Store one batch of evaluations in one transaction: every alert's final state (and last firing time), then
 * the firings of alerts still enabled (alert_events), one alert_deliveries row per existing channel, and one
 * NOTIFY per user for the bell. Many quotes' evaluations cost a handful of statements, not one per alert.
 * Returns the stored firings with their delivery rows.
 */
export async function commitBatch(
  db: DatabaseHandle,
  states: Map<string, { state: TAlertState; lastFiredAt: Date | null }>,
  firings: readonly Firing[],
): Promise<{ firing: Firing; rows: { id: string; channelId: string }[] }[]> {
  if (states.size === 0 && firings.length === 0) return [];
  return db.transaction(async (q) => {
    const ids = [...states.keys()];
    const live = new Set<string>();
    if (ids.length > 0) {
      const rows = await q<{ id: string }>(
        `UPDATE alerts a SET last_state = v.s, last_fired_at = coalesce(v.t, a.last_fired_at)
           FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) v(id, s, t)
          WHERE a.id = v.id AND a.enabled RETURNING a.id`,
        [ids, ids.map((id) => states.get(id)!.state), ids.map((id) => states.get(id)!.lastFiredAt)],
      );
      for (const r of rows) live.add(r.id);
    }
    // deleted or disabled meanwhile: nothing is stored or sent for them
    const kept = firings.filter((f) => live.has(f.alertId));
    if (kept.length === 0) return [];
    await q(
      `INSERT INTO alert_events (id, alert_id, user_id, fired_at, price, quote_ts, message, condition, condition_type, observed)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::numeric[], $6::timestamptz[],
                            $7::text[], $8::jsonb[], $9::text[], $10::float8[])`,
      [
        kept.map((f) => f.eventId),
        kept.map((f) => f.alertId),
        kept.map((f) => f.userId),
        kept.map((f) => f.firedAt),
        kept.map((f) => f.price),
        kept.map((f) => f.quoteTs),
        kept.map((f) => f.message),
        kept.map((f) => JSON.stringify(f.condition)),
        kept.map((f) => f.condition.type),
        kept.map((f) => f.observed),
      ],
    );
    const d = { id: [] as string[], event: [] as string[], user: [] as string[], channel: [] as string[] };
    const state: string[] = [];
    const hold: (Date | null)[] = [];
    for (const f of kept)
      for (const ch of f.channelIds) {
        d.id.push(randomUUID());
        d.event.push(f.eventId);
        d.user.push(f.userId);
        d.channel.push(ch);
        state.push(f.holdUntil ? 'held' : 'pending');
        hold.push(f.holdUntil);
      }
    const rows =
      d.id.length === 0
        ? []
        : await q<{ id: string; event_id: string; channel_id: string }>(
            `INSERT INTO alert_deliveries (id, event_id, user_id, channel_id, state, hold_until)
             SELECT v.id, v.e, v.u, v.c, v.s, v.h
               FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[]) v(id, e, u, c, s, h)
               JOIN notification_channels ch ON ch.id = v.c
             RETURNING id, event_id, channel_id`,
            [d.id, d.event, d.user, d.channel, state, hold],
          );
    await q('SELECT pg_notify($1, u) FROM unnest($2::text[]) u', [
      ALERT_EVENTS_CHANNEL,
      [...new Set(kept.map((f) => f.userId))],
    ]);
    const byEvent = new Map<string, { id: string; channelId: string }[]>();
    for (const r of rows)
      byEvent.set(r.event_id, [...(byEvent.get(r.event_id) ?? []), { id: r.id, channelId: r.channel_id }]);
    return kept.map((firing) => ({ firing, rows: byEvent.get(firing.eventId) ?? [] }));
  });
}
