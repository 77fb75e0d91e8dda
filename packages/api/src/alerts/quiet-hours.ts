import type { DatabaseHandle } from '@investiq/db';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { ALERTS_CHANNEL, alertBadRequest } from './service';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const time = (what: string) =>
  z
    .string({ error: `${what} must be a time HH:MM` })
    .regex(HHMM, `${what} must be a time HH:MM (00:00–23:59)`);

/**
 * A user's quiet hours: from `start` to `end` local time in `timeZone` (22:00–07:00 spans midnight), messages to
 * channels (e-mail, webhook, messengers) are held and sent as one digest per channel when they end; the in-app
 * bell and the history show each firing at once (silently: nobody is woken by a badge).
 */
export const ZQuietHours = z
  .strictObject({
    enabled: z.boolean('enabled must be true or false'),
    timeZone: z
      .string({ error: 'timeZone must be an IANA time zone such as Asia/Shanghai' })
      .refine((tz) => IANAZone.isValidZone(tz), 'timeZone must be an IANA time zone such as Asia/Shanghai'),
    start: time('start'),
    end: time('end'),
  })
  .refine((q) => q.start !== q.end, { message: 'end must differ from start', path: ['end'] });
export type TQuietHours = z.infer<typeof ZQuietHours>;

export interface QuietWindow {
  timeZone: string;
  startMinute: number;
  endMinute: number;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** When the quiet hours containing `now` end, or null when `now` is outside them. */
export function quietUntil(w: QuietWindow, now: Date): Date | null {
  const local = DateTime.fromJSDate(now, { zone: w.timeZone });
  const m = local.hour * 60 + local.minute;
  const inside =
    w.startMinute < w.endMinute
      ? m >= w.startMinute && m < w.endMinute
      : m >= w.startMinute || m < w.endMinute;
  if (!inside) return null;
  let end = local.set({
    hour: Math.floor(w.endMinute / 60),
    minute: w.endMinute % 60,
    second: 0,
    millisecond: 0,
  });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toJSDate();
}

export async function getQuietHours(db: DatabaseHandle, userId: string): Promise<TQuietHours | null> {
  const [r] = await db.query<{
    enabled: boolean;
    time_zone: string;
    start_minute: number;
    end_minute: number;
  }>('SELECT enabled, time_zone, start_minute, end_minute FROM alert_quiet_hours WHERE user_id = $1', [
    userId,
  ]);
  return r
    ? { enabled: r.enabled, timeZone: r.time_zone, start: hhmm(r.start_minute), end: hhmm(r.end_minute) }
    : null;
}

/** Store the user's quiet hours (validated whole: 400 names the field); the engine reloads them. */
export async function setQuietHours(db: DatabaseHandle, userId: string, body: unknown): Promise<TQuietHours> {
  const parsed = ZQuietHours.safeParse(body);
  if (!parsed.success) throw alertBadRequest(parsed.error);
  const q = parsed.data;
  await db.transaction(async (tx) => {
    await tx(
      `INSERT INTO alert_quiet_hours (user_id, enabled, time_zone, start_minute, end_minute, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (user_id) DO UPDATE SET enabled = EXCLUDED.enabled, time_zone = EXCLUDED.time_zone,
         start_minute = EXCLUDED.start_minute, end_minute = EXCLUDED.end_minute, updated_at = now()`,
      [userId, q.enabled, q.timeZone, minutes(q.start), minutes(q.end)],
    );
    await tx('SELECT pg_notify($1, $2)', [ALERTS_CHANNEL, `quiet:${userId}`]);
  });
  return q;
}

/** Every user's enabled quiet hours (the engine's cache). */
export async function loadQuietHours(db: DatabaseHandle): Promise<Map<string, QuietWindow>> {
  const rows = await db.query<{
    user_id: string;
    time_zone: string;
    start_minute: number;
    end_minute: number;
  }>('SELECT user_id, time_zone, start_minute, end_minute FROM alert_quiet_hours WHERE enabled');
  return new Map(
    rows.map((r) => [
      r.user_id,
      { timeZone: r.time_zone, startMinute: r.start_minute, endMinute: r.end_minute },
    ]),
  );
}
