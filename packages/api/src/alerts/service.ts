import { symbolFormatError, type TMarket, ZMarket, ZSymbol } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { z } from 'zod';
import { AppError } from '../errors';
import { describeCondition, type TAlertCondition, type TAlertState, ZAlertCondition } from './condition';

/** A user's alert events changed (fired, read): the bell's SSE re-reads the unread count. */
export const ALERT_EVENTS_CHANNEL = 'investiq_alert_events';
/** Alerts changed (created, deleted): the evaluating process reloads its index. */
export const ALERTS_CHANNEL = 'investiq_alerts';
export const DEFAULT_COOLDOWN_SECONDS = 900;
export const MAX_ALERTS_PER_USER = 500;

export const ZAlertInput = z.strictObject({
  market: ZMarket,
  symbol: ZSymbol,
  condition: ZAlertCondition,
  channelIds: z.array(z.uuid('each channel id must be a UUID')).max(10, 'at most 10 channels').default([]),
  cooldownSeconds: z
    .number('cooldownSeconds must be a number')
    .int('cooldownSeconds must be an integer')
    .min(0, 'cooldownSeconds must be at least 0')
    .max(7 * 86_400, 'cooldownSeconds must be at most 604800 (one week)')
    .default(DEFAULT_COOLDOWN_SECONDS),
});
export type TAlertInput = z.input<typeof ZAlertInput>;

export interface TAlert {
  id: string;
  market: TMarket;
  symbol: string;
  condition: TAlertCondition;
  description: string;
  channelIds: string[];
  cooldownSeconds: number;
  enabled: boolean;
  lastState: TAlertState;
  lastFiredAt: string | null;
  createdAt: string;
}

export interface TAlertEvent {
  id: string;
  alertId: string;
  market: TMarket;
  symbol: string;
  firedAt: string;
  price: number;
  quoteTs: string;
  message: string;
  readAt: string | null;
}

interface AlertRow {
  id: string;
  market: TMarket;
  symbol: string;
  condition: TAlertCondition;
  channel_ids: string[];
  cooldown_seconds: number;
  enabled: boolean;
  last_state: TAlertState;
  last_fired_at: Date | string | null;
  created_at: Date | string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

function toAlert(r: AlertRow): TAlert {
  return {
    id: r.id,
    market: r.market,
    symbol: r.symbol,
    condition: r.condition,
    description: describeCondition(r.condition),
    channelIds: r.channel_ids,
    cooldownSeconds: r.cooldown_seconds,
    enabled: r.enabled,
    lastState: r.last_state,
    lastFiredAt: r.last_fired_at === null ? null : iso(r.last_fired_at),
    createdAt: iso(r.created_at),
  };
}

/** 400 naming the first bad fields: "condition.value: value must be a number". */
export function alertBadRequest(err: z.ZodError): AppError {
  const message = err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
  return new AppError('BAD_REQUEST', message, {
    details: { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Create an alert for `userId`: the symbol must be in the universe (`symbols`) and every channel must be one
 * of the user's own channels. Validation happens before anything is written.
 */
export async function createAlert(db: DatabaseHandle, userId: string, body: unknown): Promise<TAlert> {
  const parsed = ZAlertInput.safeParse(body);
  if (!parsed.success) throw alertBadRequest(parsed.error);
  const input = parsed.data;
  const fmt = symbolFormatError(input.market, input.symbol);
  if (fmt) throw new AppError('BAD_REQUEST', `symbol: ${fmt}`);
  const channelIds = [...new Set(input.channelIds)];
  return db.transaction(async (q) => {
    const sym = await q('SELECT 1 FROM symbols WHERE market = $1 AND symbol = $2', [
      input.market,
      input.symbol,
    ]);
    if (!sym[0])
      throw new AppError('BAD_REQUEST', `symbol: ${input.symbol} is not in the ${input.market} universe`);
    if (channelIds.length > 0) {
      const own = await q<{ id: string }>(
        'SELECT id FROM notification_channels WHERE id = ANY($1::uuid[]) AND owner_id = $2',
        [channelIds, userId],
      );
      const ok = new Set(own.map((r) => r.id));
      const missing = channelIds.filter((id) => !ok.has(id));
      if (missing.length > 0)
        throw new AppError(
          'BAD_REQUEST',
          `channelIds: no notification channel ${missing.join(', ')} of yours`,
        );
    }
    const [count] = await q<{ n: number }>('SELECT count(*)::int AS n FROM alerts WHERE user_id = $1', [
      userId,
    ]);
    if ((count?.n ?? 0) >= MAX_ALERTS_PER_USER)
      throw new AppError('CONFLICT', `at most ${MAX_ALERTS_PER_USER} alerts per user`);
    const [row] = await q<AlertRow>(
      `INSERT INTO alerts (user_id, market, symbol, condition, channel_ids, cooldown_seconds)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6) RETURNING *`,
      [
        userId,
        input.market,
        input.symbol,
        JSON.stringify(input.condition),
        channelIds,
        input.cooldownSeconds,
      ],
    );
    await q('SELECT pg_notify($1, $2)', [ALERTS_CHANNEL, row!.id]);
    return toAlert(row!);
  });
}

export async function listAlerts(db: DatabaseHandle, userId: string): Promise<TAlert[]> {
  const rows = await db.query<AlertRow>('SELECT * FROM alerts WHERE user_id = $1 ORDER BY created_at, id', [
    userId,
  ]);
  return rows.map(toAlert);
}

export async function getAlert(db: DatabaseHandle, userId: string, id: string): Promise<TAlert | null> {
  if (!UUID_RE.test(id)) return null;
  const rows = await db.query<AlertRow>('SELECT * FROM alerts WHERE id = $1 AND user_id = $2', [id, userId]);
  return rows[0] ? toAlert(rows[0]) : null;
}

export async function deleteAlert(db: DatabaseHandle, userId: string, id: string): Promise<void> {
  if (!UUID_RE.test(id)) throw new AppError('NOT_FOUND', `no alert ${id.slice(0, 60)}`);
  const done = await db.transaction(async (q) => {
    const rows = await q<{ id: string }>('DELETE FROM alerts WHERE id = $1 AND user_id = $2 RETURNING id', [
      id,
      userId,
    ]);
    if (rows[0]) await q('SELECT pg_notify($1, $2)', [ALERTS_CHANNEL, id]);
    return rows.length > 0;
  });
  if (!done) throw new AppError('NOT_FOUND', `no alert ${id}`);
}

/** The user's alert history (the notification centre), newest first. */
export async function alertHistory(
  db: DatabaseHandle,
  userId: string,
  opts: { limit?: number; unreadOnly?: boolean } = {},
): Promise<TAlertEvent[]> {
  const rows = await db.query<{
    id: string;
    alert_id: string;
    market: TMarket;
    symbol: string;
    fired_at: Date | string;
    price: string;
    quote_ts: Date | string;
    message: string;
    read_at: Date | string | null;
  }>(
    `SELECT e.id, e.alert_id, a.market, a.symbol, e.fired_at, e.price, e.quote_ts, e.message, e.read_at
       FROM alert_events e JOIN alerts a ON a.id = e.alert_id
      WHERE e.user_id = $1 ${opts.unreadOnly ? 'AND e.read_at IS NULL' : ''}
      ORDER BY e.fired_at DESC, e.id LIMIT $2`,
    [userId, Math.min(Math.max(opts.limit ?? 100, 1), 500)],
  );
  return rows.map((r) => ({
    id: r.id,
    alertId: r.alert_id,
    market: r.market,
    symbol: r.symbol,
    firedAt: iso(r.fired_at),
    price: Number(r.price),
    quoteTs: iso(r.quote_ts),
    message: r.message,
    readAt: r.read_at === null ? null : iso(r.read_at),
  }));
}

export async function unreadAlertCount(db: DatabaseHandle, userId: string): Promise<number> {
  const [r] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM alert_events WHERE user_id = $1 AND read_at IS NULL',
    [userId],
  );
  return r?.n ?? 0;
}

/** Mark the given events (or all when `ids` is omitted) read; returns how many changed. */
export async function markAlertEventsRead(
  db: DatabaseHandle,
  userId: string,
  now: Date,
  ids?: string[],
): Promise<number> {
  if (ids?.some((id) => !UUID_RE.test(id))) throw new AppError('BAD_REQUEST', 'ids: each id must be a UUID');
  return db.transaction(async (q) => {
    const rows = await q<{ id: string }>(
      `UPDATE alert_events SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL
         ${ids ? 'AND id = ANY($3::uuid[])' : ''} RETURNING id`,
      ids ? [userId, now, ids] : [userId, now],
    );
    // the bell in every open tab (any process) re-reads its count
    if (rows.length > 0) await q('SELECT pg_notify($1, $2)', [ALERT_EVENTS_CHANNEL, userId]);
    return rows.length;
  });
}
