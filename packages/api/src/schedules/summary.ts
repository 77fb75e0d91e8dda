import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import type { TNotificationPayload } from '../notifications/channels/types';
import { enqueueNotification, type NotificationDeps } from '../notifications/service';
import type { Logger } from '../observability/logger';
import type { TScheduleRunItem } from './service';

interface SummaryRow {
  id: string;
  user_id: string;
  slot_date: string;
  status: string;
  total: number;
  done: number;
  items: TScheduleRunItem[];
  error: string | null;
  finished_at: Date | string | null;
  channel_ids: string[];
  market: TMarket;
  watchlist_name: string;
}

/**
 * The summary of a finished run: a title, one short line of counts (and the run's error), one line per failed
 * report naming its error, and a link per report. Text channels print the links one per line; e-mail also
 * gets an HTML part with anchors (channels/email-html.ts).
 */
export function summaryPayload(
  run: Pick<
    SummaryRow,
    'slot_date' | 'total' | 'items' | 'error' | 'finished_at' | 'market' | 'watchlist_name'
  >,
  publicUrl: string,
): TNotificationPayload {
  const base = publicUrl.replace(/\/+$/, '');
  const ok = run.items.filter((i) => i.status === 'complete').length;
  const failed = run.items.filter((i) => i.status !== 'complete');
  const head =
    run.total === 0
      ? 'No report generated.'
      : `${ok} of ${run.total} report${run.total === 1 ? '' : 's'} complete${
          failed.length ? `, ${failed.length} failed` : ''
        }.`;
  const lines = [
    head,
    ...(run.error ? [`Error: ${run.error}`] : []),
    ...failed.map(
      (i) => `${i.symbol}: ${i.status === 'failed' ? 'failed' : 'not run'}${i.error ? ` — ${i.error}` : ''}`,
    ),
    ...run.items
      .filter((i) => i.status === 'complete' && i.error)
      .map((i) => `${i.symbol}: complete, ${i.error}`),
  ];
  let text = lines.join('\n');
  if (text.length > 1800) text = `${text.slice(0, 1790)}\n…`;
  return {
    title: `Scheduled reports: ${run.watchlist_name} (${run.market}) ${run.slot_date}`.slice(0, 200),
    text,
    market: run.market,
    links: run.items
      .filter((i) => i.reportId)
      .slice(0, 50)
      .map((i) => ({
        label: `${i.symbol} (${i.status === 'complete' ? 'complete' : 'failed'})`,
        url: `${base}/reports/${i.reportId}`,
      })),
    link: `${base}/alerts`,
    ...(run.finished_at ? { time: new Date(run.finished_at).toISOString() } : {}),
  };
}

/**
 * Queue the summary of run `runId` for each of its schedule's channels (idempotency key per run and
 * channel: queueing twice sends once). A channel that cannot take it (deleted, disabled) is noted on the run,
 * not silently dropped; the other channels still get it.
 */
export async function deliverSummary(
  o: { db: DatabaseHandle; notifications: NotificationDeps; log: Logger; publicUrl: string },
  runId: string,
): Promise<void> {
  const [run] = await o.db.query<SummaryRow>(
    `SELECT r.id, r.user_id, r.slot_date, r.status, r.total, r.done, r.items, r.error, r.finished_at,
            s.channel_ids, s.market, w.name AS watchlist_name
       FROM report_schedule_runs r JOIN report_schedules s ON s.id = r.schedule_id
       JOIN watchlists w ON w.id = s.watchlist_id WHERE r.id = $1`,
    [runId],
  );
  if (!run) return;
  const payload = summaryPayload(run, o.publicUrl);
  const problems: string[] = [];
  for (const channelId of run.channel_ids) {
    try {
      await enqueueNotification(o.notifications, {
        userId: run.user_id,
        channelId,
        event: 'report.scheduled',
        idempotencyKey: `schedule-run:${run.id}`,
        payload,
      });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      problems.push(`channel ${channelId}: ${msg}`);
      o.log.warn({ run: run.id, channelId, err: msg }, 'scheduled report summary not queued');
    }
  }
  if (problems.length > 0)
    await o.db.query(
      `UPDATE report_schedule_runs SET error = concat_ws('; ', error, $2::text) WHERE id = $1`,
      [run.id, `summary not sent to ${problems.join('; ')}`.slice(0, 1000)],
    );
}
