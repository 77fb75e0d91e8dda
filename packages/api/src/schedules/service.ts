import { type TMarket, ZMarket } from '@investiq/contracts';
import type { DatabaseHandle, QueryFn } from '@investiq/db';
import { z } from 'zod';
import { ALERT_EVENTS_CHANNEL } from '../alerts/service';
import { AppError } from '../errors';
import { latestSlot, nextSlot } from './slot';

/** A user's summaries changed (a run finished, or was read): the bell re-reads its count. */
export const SCHEDULE_RUNS_CHANNEL = ALERT_EVENTS_CHANNEL;
export const MAX_SCHEDULES_PER_USER = 20;
/** At most this many symbols of a list are reported per run (each report runs the whole pipeline). */
export const MAX_SYMBOLS_PER_RUN = 50;

export const ZScheduleInput = z.strictObject({
  watchlistId: z.uuid('watchlistId must be a watchlist id (UUID)'),
  market: ZMarket,
  localTime: z
    .string('localTime must be a string')
    .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'localTime must be HH:MM (24-hour, the market time zone)'),
  language: z.enum(['en', 'zh'], 'language must be en or zh').default('en'),
  channelIds: z.array(z.uuid('each channel id must be a UUID')).max(10, 'at most 10 channels').default([]),
  enabled: z.boolean('enabled must be true or false').default(true),
});
export type TScheduleInput = z.input<typeof ZScheduleInput>;

export const ZScheduleUpdate = ZScheduleInput.partial().omit({ watchlistId: true, market: true });

export interface TSchedule {
  id: string;
  watchlistId: string;
  watchlistName: string;
  market: TMarket;
  localTime: string;
  language: 'en' | 'zh';
  channelIds: string[];
  enabled: boolean;
  lastSlot: string | null;
  /** The next run (instant and market-local date); null when disabled. */
  next: { date: string; at: string } | null;
  createdAt: string;
}

export interface TScheduleRunItem {
  market: TMarket;
  symbol: string;
  reportId: string | null;
  status: 'pending' | 'running' | 'complete' | 'failed';
  error?: string;
}

export interface TScheduleRun {
  id: string;
  scheduleId: string;
  watchlistName: string;
  market: TMarket;
  slotDate: string;
  scheduledFor: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'complete' | 'partial' | 'failed';
  total: number;
  done: number;
  items: TScheduleRunItem[];
  error: string | null;
  readAt: string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

function badRequest(err: z.ZodError): AppError {
  return new AppError(
    'BAD_REQUEST',
    err.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
      .join('; '),
  );
}

interface ScheduleRow {
  id: string;
  watchlist_id: string;
  watchlist_name: string;
  market: TMarket;
  local_time: string;
  language: 'en' | 'zh';
  channel_ids: string[];
  enabled: boolean;
  last_slot: string | null;
  created_at: Date | string;
}

function toSchedule(r: ScheduleRow, now: Date): TSchedule {
  const next = r.enabled ? nextSlot(r.market, r.local_time, now) : null;
  return {
    id: r.id,
    watchlistId: r.watchlist_id,
    watchlistName: r.watchlist_name,
    market: r.market,
    localTime: r.local_time,
    language: r.language,
    channelIds: r.channel_ids,
    enabled: r.enabled,
    lastSlot: r.last_slot,
    next: next ? { date: next.date, at: next.at.toISOString() } : null,
    createdAt: iso(r.created_at),
  };
}

const SELECT_SCHEDULE = `SELECT s.*, w.name AS watchlist_name
  FROM report_schedules s JOIN watchlists w ON w.id = s.watchlist_id`;

async function checkChannels(q: QueryFn, userId: string, channelIds: string[]): Promise<void> {
  if (channelIds.length === 0) return;
  const own = await q<{ id: string }>(
    'SELECT id FROM notification_channels WHERE id = ANY($1::uuid[]) AND owner_id = $2',
    [channelIds, userId],
  );
  const ok = new Set(own.map((r) => r.id));
  const missing = channelIds.filter((id) => !ok.has(id));
  if (missing.length > 0)
    throw new AppError('BAD_REQUEST', `channelIds: no notification channel ${missing.join(', ')} of yours`);
}

/**
 * Create a schedule on one of the user's own lists with the user's own channels. The slot already past at
 * creation counts as claimed: the first run is the next slot, not an immediate catch-up.
 */
export async function createSchedule(
  db: DatabaseHandle,
  userId: string,
  body: unknown,
  now: Date,
): Promise<TSchedule> {
  const parsed = ZScheduleInput.safeParse(body);
  if (!parsed.success) throw badRequest(parsed.error);
  const input = parsed.data;
  const channelIds = [...new Set(input.channelIds)];
  const claimed = latestSlot(input.market, input.localTime, now).date;
  const id = await db.transaction(async (q) => {
    const wl = await q('SELECT 1 FROM watchlists WHERE id = $1 AND user_id = $2', [
      input.watchlistId,
      userId,
    ]);
    if (!wl[0]) throw new AppError('BAD_REQUEST', `watchlistId: no watchlist ${input.watchlistId} of yours`);
    await checkChannels(q, userId, channelIds);
    const [count] = await q<{ n: number }>(
      'SELECT count(*)::int AS n FROM report_schedules WHERE user_id = $1',
      [userId],
    );
    if ((count?.n ?? 0) >= MAX_SCHEDULES_PER_USER)
      throw new AppError('CONFLICT', `at most ${MAX_SCHEDULES_PER_USER} report schedules per user`);
    const [row] = await q<{ id: string }>(
      `INSERT INTO report_schedules (user_id, watchlist_id, market, local_time, language, channel_ids, enabled, last_slot)
       VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7, $8) RETURNING id`,
      [
        userId,
        input.watchlistId,
        input.market,
        input.localTime,
        input.language,
        channelIds,
        input.enabled,
        claimed,
      ],
    );
    return row!.id;
  });
  return (await getSchedule(db, userId, id, now))!;
}

export async function getSchedule(
  db: DatabaseHandle,
  userId: string,
  id: string,
  now: Date,
): Promise<TSchedule | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const rows = await db.query<ScheduleRow>(`${SELECT_SCHEDULE} WHERE s.id = $1 AND s.user_id = $2`, [
    id,
    userId,
  ]);
  return rows[0] ? toSchedule(rows[0], now) : null;
}

export async function listSchedules(db: DatabaseHandle, userId: string, now: Date): Promise<TSchedule[]> {
  const rows = await db.query<ScheduleRow>(
    `${SELECT_SCHEDULE} WHERE s.user_id = $1 ORDER BY s.created_at, s.id`,
    [userId],
  );
  return rows.map((r) => toSchedule(r, now));
}

/**
 * Change time, language, channels or enabled. Re-enabling or moving the time claims the slot already past,
 * so a change never triggers a catch-up run of a slot the schedule did not have.
 */
export async function updateSchedule(
  db: DatabaseHandle,
  userId: string,
  id: string,
  body: unknown,
  now: Date,
): Promise<TSchedule> {
  const parsed = ZScheduleUpdate.safeParse(body);
  if (!parsed.success) throw badRequest(parsed.error);
  const current = await getSchedule(db, userId, id, now);
  if (!current) throw new AppError('NOT_FOUND', `no report schedule ${id}`);
  const u = parsed.data;
  const localTime = u.localTime ?? current.localTime;
  const enabled = u.enabled ?? current.enabled;
  const reclaim = localTime !== current.localTime || (enabled && !current.enabled);
  const claimed = latestSlot(current.market, localTime, now).date;
  const lastSlot =
    reclaim && (current.lastSlot === null || claimed > current.lastSlot) ? claimed : current.lastSlot;
  const channelIds = u.channelIds ? [...new Set(u.channelIds)] : current.channelIds;
  await db.transaction(async (q) => {
    await checkChannels(q, userId, channelIds);
    await q(
      `UPDATE report_schedules SET local_time = $3, language = $4, channel_ids = $5::uuid[], enabled = $6,
              last_slot = $7 WHERE id = $1 AND user_id = $2`,
      [id, userId, localTime, u.language ?? current.language, channelIds, enabled, lastSlot],
    );
  });
  return (await getSchedule(db, userId, id, now))!;
}

export async function deleteSchedule(db: DatabaseHandle, userId: string, id: string): Promise<void> {
  const rows = z.uuid().safeParse(id).success
    ? await db.query('DELETE FROM report_schedules WHERE id = $1 AND user_id = $2 RETURNING id', [id, userId])
    : [];
  if (!rows[0]) throw new AppError('NOT_FOUND', `no report schedule ${id}`);
}

interface RunRow {
  id: string;
  schedule_id: string;
  watchlist_name: string;
  market: TMarket;
  slot_date: string;
  scheduled_for: Date | string;
  started_at: Date | string;
  finished_at: Date | string | null;
  status: TScheduleRun['status'];
  total: number;
  done: number;
  items: TScheduleRunItem[];
  error: string | null;
  read_at: Date | string | null;
}

export function toRun(r: RunRow): TScheduleRun {
  return {
    id: r.id,
    scheduleId: r.schedule_id,
    watchlistName: r.watchlist_name,
    market: r.market,
    slotDate: r.slot_date,
    scheduledFor: iso(r.scheduled_for),
    startedAt: iso(r.started_at),
    finishedAt: r.finished_at === null ? null : iso(r.finished_at),
    status: r.status,
    total: r.total,
    done: r.done,
    items: r.items,
    error: r.error,
    readAt: r.read_at === null ? null : iso(r.read_at),
  };
}

/** The user's scheduled runs, newest first (running ones show their progress). */
export async function listScheduleRuns(
  db: DatabaseHandle,
  userId: string,
  opts: { limit?: number; scheduleId?: string } = {},
): Promise<TScheduleRun[]> {
  const rows = await db.query<RunRow>(
    `SELECT r.*, w.name AS watchlist_name, s.market
       FROM report_schedule_runs r JOIN report_schedules s ON s.id = r.schedule_id
       JOIN watchlists w ON w.id = s.watchlist_id
      WHERE r.user_id = $1 ${opts.scheduleId ? 'AND r.schedule_id = $3' : ''}
      ORDER BY r.started_at DESC, r.id LIMIT $2`,
    opts.scheduleId
      ? [userId, Math.min(Math.max(opts.limit ?? 20, 1), 200), opts.scheduleId]
      : [userId, Math.min(Math.max(opts.limit ?? 20, 1), 200)],
  );
  return rows.map(toRun);
}

/** Finished summaries the user has not read (they count on the bell). */
export async function unreadSummaryCount(db: DatabaseHandle, userId: string): Promise<number> {
  const [r] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM report_schedule_runs
      WHERE user_id = $1 AND finished_at IS NOT NULL AND read_at IS NULL`,
    [userId],
  );
  return r?.n ?? 0;
}

export async function markSummariesRead(db: DatabaseHandle, userId: string, now: Date): Promise<number> {
  return db.transaction(async (q) => {
    const rows = await q(
      `UPDATE report_schedule_runs SET read_at = $2
        WHERE user_id = $1 AND finished_at IS NOT NULL AND read_at IS NULL RETURNING id`,
      [userId, now],
    );
    if (rows.length > 0) await q('SELECT pg_notify($1, $2)', [SCHEDULE_RUNS_CHANNEL, userId]);
    return rows.length;
  });
}
