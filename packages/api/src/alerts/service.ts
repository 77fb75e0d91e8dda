import { symbolFormatError, type TMarket, ZMarket, ZSymbol } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { z } from 'zod';
import { AppError } from '../errors';
import {
  ALERT_CONDITION_TYPES,
  describeCondition,
  type TAlertCondition,
  type TAlertState,
  ZAlertCondition,
} from './condition';

/** A user's alert events changed (fired, read): the bell's SSE re-reads the unread count. */
export const ALERT_EVENTS_CHANNEL = 'investiq_alert_events';
/** Alerts changed (created, deleted): the evaluating process reloads its index. */
export const ALERTS_CHANNEL = 'investiq_alerts';
export const DEFAULT_COOLDOWN_SECONDS = 900;
export const MAX_ALERTS_PER_USER = 500;

export const ZAlertInput = z.strictObject({
  /** Required for every condition but `portfolio_drawdown` (which names its portfolio instead). */
  market: ZMarket.optional(),
  symbol: ZSymbol.optional(),
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
  market: TMarket | null;
  symbol: string | null;
  portfolioId: string | null;
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
  market: TMarket | null;
  symbol: string | null;
  firedAt: string;
  /** The condition as it fired, its description and kind. */
  condition: TAlertCondition | null;
  conditionType: string | null;
  description: string;
  /** The compared value (price, move %, RSI, volume multiple, drawdown %, quote age s…). */
  observed: number | null;
  price: number | null;
  quoteTs: string | null;
  message: string;
  readAt: string | null;
  /** One entry per channel: held (quiet hours), pending, queued/sending/delivered/dead (the queue), failed. */
  deliveries: {
    channelId: string;
    channelName: string | null;
    state: string;
    error: string | null;
    at: string | null;
  }[];
}

interface AlertRow {
  id: string;
  market: TMarket | null;
  symbol: string | null;
  portfolio_id: string | null;
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
    portfolioId: r.portfolio_id,
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
  const c = input.condition;
  const portfolioId = c.type === 'portfolio_drawdown' ? c.portfolioId : null;
  if (portfolioId) {
    if (input.market !== undefined || input.symbol !== undefined)
      throw new AppError('BAD_REQUEST', 'market: a portfolio condition names its portfolio, not a symbol');
  } else {
    if (input.market === undefined) throw new AppError('BAD_REQUEST', 'market: required');
    if (input.symbol === undefined) throw new AppError('BAD_REQUEST', 'symbol: required');
    const fmt = symbolFormatError(input.market, input.symbol);
    if (fmt) throw new AppError('BAD_REQUEST', `symbol: ${fmt}`);
  }
  const channelIds = [...new Set(input.channelIds)];
  return db.transaction(async (q) => {
    if (portfolioId) {
      const own = await q('SELECT 1 FROM portfolios WHERE id = $1 AND user_id = $2', [portfolioId, userId]);
      if (!own[0])
        throw new AppError('BAD_REQUEST', `condition.portfolioId: no portfolio ${portfolioId} of yours`);
    } else {
      const sym = await q('SELECT 1 FROM symbols WHERE market = $1 AND symbol = $2', [
        input.market,
        input.symbol,
      ]);
      if (!sym[0])
        throw new AppError('BAD_REQUEST', `symbol: ${input.symbol} is not in the ${input.market} universe`);
    }
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
      `INSERT INTO alerts (user_id, market, symbol, portfolio_id, condition, channel_ids, cooldown_seconds)
       VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7) RETURNING *`,
      [
        userId,
        portfolioId ? null : input.market,
        portfolioId ? null : input.symbol,
        portfolioId,
        JSON.stringify(c),
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

export const ZAlertHistoryFilter = z.strictObject({
  limit: z.number().int().min(1).max(500).optional(),
  unreadOnly: z.boolean().optional(),
  symbol: z.string().trim().min(1).max(32).optional(),
  conditionType: z
    .enum(ALERT_CONDITION_TYPES, { error: 'conditionType must be a condition type' })
    .optional(),
  /** Firings with at least one channel message in this state. */
  deliveryState: z
    .enum(['held', 'pending', 'queued', 'sending', 'delivered', 'dead', 'failed', 'discarded'], {
      error: 'deliveryState must be held, pending, queued, sending, delivered, dead, failed or discarded',
    })
    .optional(),
  from: z.iso.datetime({ offset: true, error: 'from must be an ISO date-time' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'to must be an ISO date-time' }).optional(),
});
export type TAlertHistoryFilter = z.infer<typeof ZAlertHistoryFilter>;

/** Per channel message: the queue's state once handed over, else our own (held, pending, failed). */
const DELIVERY_STATE_SQL = `coalesce(nd.state, d.state)`;

/** The user's alert history (the notification centre), newest first, with each channel's delivery state. */
export async function alertHistory(
  db: DatabaseHandle,
  userId: string,
  filter: TAlertHistoryFilter = {},
): Promise<TAlertEvent[]> {
  const params: unknown[] = [userId];
  const where = ['e.user_id = $1'];
  const add = (sql: (p: string) => string, v: unknown) => {
    params.push(v);
    where.push(sql(`$${params.length}`));
  };
  if (filter.unreadOnly) where.push('e.read_at IS NULL');
  if (filter.symbol) add((p) => `a.symbol = upper(${p})`, filter.symbol);
  if (filter.conditionType)
    add((p) => `coalesce(e.condition_type, a.condition->>'type') = ${p}`, filter.conditionType);
  if (filter.from) add((p) => `e.fired_at >= ${p}`, new Date(filter.from));
  if (filter.to) add((p) => `e.fired_at <= ${p}`, new Date(filter.to));
  if (filter.deliveryState)
    add(
      (
        p,
      ) => `EXISTS (SELECT 1 FROM alert_deliveries d LEFT JOIN notification_deliveries nd ON nd.id = d.delivery_id
                WHERE d.event_id = e.id AND ${DELIVERY_STATE_SQL} = ${p})`,
      filter.deliveryState,
    );
  params.push(Math.min(Math.max(filter.limit ?? 100, 1), 500));
  const rows = await db.query<{
    id: string;
    alert_id: string;
    market: TMarket | null;
    symbol: string | null;
    fired_at: Date | string;
    price: string | null;
    quote_ts: Date | string | null;
    message: string;
    read_at: Date | string | null;
    condition: TAlertCondition | null;
    condition_type: string | null;
    observed: number | null;
  }>(
    `SELECT e.id, e.alert_id, a.market, a.symbol, e.fired_at, e.price, e.quote_ts, e.message, e.read_at,
            coalesce(e.condition, a.condition) AS condition, coalesce(e.condition_type, a.condition->>'type') AS condition_type,
            e.observed
       FROM alert_events e JOIN alerts a ON a.id = e.alert_id
      WHERE ${where.join(' AND ')}
      ORDER BY e.fired_at DESC, e.id LIMIT $${params.length}`,
    params,
  );
  const deliveries = rows.length
    ? await db.query<{
        event_id: string;
        channel_id: string;
        name: string | null;
        state: string;
        error: string | null;
        at: Date | string | null;
      }>(
        `SELECT d.event_id, d.channel_id, c.name, ${DELIVERY_STATE_SQL} AS state, coalesce(nd.last_error, d.error) AS error,
                coalesce(nd.delivered_at, d.hold_until) AS at
           FROM alert_deliveries d LEFT JOIN notification_deliveries nd ON nd.id = d.delivery_id
           LEFT JOIN notification_channels c ON c.id = d.channel_id
          WHERE d.event_id = ANY($1::uuid[]) ORDER BY c.name, d.channel_id`,
        [rows.map((r) => r.id)],
      )
    : [];
  return rows.map((r) => {
    const condition = r.condition ? ZAlertCondition.safeParse(r.condition) : null;
    return {
      id: r.id,
      alertId: r.alert_id,
      market: r.market,
      symbol: r.symbol,
      firedAt: iso(r.fired_at),
      condition: condition?.success ? condition.data : null,
      conditionType: r.condition_type,
      description: condition?.success ? describeCondition(condition.data) : '',
      observed: r.observed === null ? null : Number(r.observed),
      price: r.price === null ? null : Number(r.price),
      quoteTs: r.quote_ts === null ? null : iso(r.quote_ts),
      message: r.message,
      readAt: r.read_at === null ? null : iso(r.read_at),
      deliveries: deliveries
        .filter((d) => d.event_id === r.id)
        .map((d) => ({
          channelId: d.channel_id,
          channelName: d.name,
          state: d.state,
          error: d.error,
          at: d.at === null ? null : iso(d.at),
        })),
    };
  });
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
