import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import type { NotificationDeps } from '../notifications/service';
import type { Logger } from '../observability/logger';
import type { CreateReportInput } from '../reports/report-service';
import { MAX_SYMBOLS_PER_RUN, SCHEDULE_RUNS_CHANNEL, type TScheduleRunItem } from './service';
import { dueSlot, latestSlot } from './slot';
import { deliverSummary } from './summary';

/** What the runner needs of the report service. */
export interface ReportRunner {
  create(input: CreateReportInput): Promise<{ id: string; joined: boolean }>;
  /** Resolves when the report, if it runs in this process, has finished. */
  wait(id: string): Promise<void>;
}

export interface ScheduleRunnerOptions {
  db: DatabaseHandle;
  reports: ReportRunner;
  notifications: NotificationDeps;
  log: Logger;
  now: () => Date;
  /** Where users reach the web app; links in summaries point at `<publicUrl>/reports/<id>`. */
  publicUrl: string;
  /** How often due schedules are looked for (default 30 s). */
  tickMs?: number;
  /** How long one report may run before the run gives up on it (default 10 min). */
  reportTimeoutMs?: number;
  /** How often a report running in another process is re-read (default 1 s). */
  pollMs?: number;
}

interface DueRow {
  id: string;
  user_id: string;
  watchlist_id: string;
  market: TMarket;
  local_time: string;
  language: 'en' | 'zh';
  last_slot: string | null;
}

export const INTERRUPTED_RUN = 'interrupted: the server running it stopped before it finished';
/** Restarts that may resume one run; a run that keeps dying with its process is failed after that. */
export const MAX_RUN_RESUMES = 2;

interface InterruptedRow extends DueRow {
  run_id: string;
  slot_date: string;
  items: TScheduleRunItem[];
  resumes: number;
  enabled: boolean;
}

/**
 * Runs due report schedules. `tick()` claims every due slot (one conditional UPDATE of `last_slot` plus the
 * run row, unique per slot, in one transaction: a slot is claimed once whatever the number of processes) and
 * queues the run; runs execute one at a time, reports one after another, progress written to the run row.
 * Only the newest missed slot of a schedule is due (slot.ts), so a restart catches up once. It runs in the
 * process holding the schedule lock (leadSchedules). A run cut short — its process stopped (stop() leaves
 * the run 'running' with its progress) or died — is resumed by the next start: finished reports are kept,
 * the rest are made, one summary goes out. It is failed instead (with a summary saying why) when a newer slot
 * has passed meanwhile (that slot's own run covers the list), its schedule was disabled, or it was resumed
 * MAX_RUN_RESUMES times already.
 */
export class ScheduleRunner {
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private running = false;
  /** Set by stop(): a run in progress stops after its current report (tick() works without start()). */
  private stopped = false;
  private ticking: Promise<number> | null = null;

  constructor(private readonly o: ScheduleRunnerOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    await this.recoverInterrupted();
    const loop = () => {
      this.timer = setTimeout(() => {
        void this.tick()
          .catch((err) => this.o.log.warn({ err: String(err) }, 'report schedule tick failed'))
          .finally(() => {
            if (this.running) loop();
          });
      }, this.o.tickMs ?? 30_000);
      this.timer.unref();
    };
    await this.tick().catch((err) => this.o.log.warn({ err: String(err) }, 'report schedule tick failed'));
    loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => {});
    await this.chain;
  }

  /** Resolves when every claimed run has finished and its summary is queued. */
  async idle(): Promise<void> {
    await this.ticking?.catch(() => {});
    await this.chain;
  }

  /** Claim the due slots now; returns how many runs were claimed (they run in the background). */
  tick(): Promise<number> {
    const t = (this.ticking ?? Promise.resolve(0)).catch(() => 0).then(() => this.claimDue());
    this.ticking = t;
    return t;
  }

  private async claimDue(): Promise<number> {
    const now = this.o.now();
    const rows = await this.o.db.query<DueRow>(
      `SELECT id, user_id, watchlist_id, market, local_time, language, last_slot
         FROM report_schedules WHERE enabled ORDER BY local_time, id`,
    );
    let claimed = 0;
    for (const s of rows) {
      const slot = dueSlot(s.market, s.local_time, s.last_slot, now);
      if (!slot) continue;
      const runId = await this.o.db.transaction(async (q) => {
        const upd = await q(
          `UPDATE report_schedules SET last_slot = $2
            WHERE id = $1 AND enabled AND (last_slot IS NULL OR last_slot < $2) RETURNING id`,
          [s.id, slot.date],
        );
        if (!upd[0]) return null; // claimed by another process meanwhile
        const [run] = await q<{ id: string }>(
          `INSERT INTO report_schedule_runs (schedule_id, user_id, slot_date, scheduled_for, started_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (schedule_id, slot_date) DO NOTHING RETURNING id`,
          [s.id, s.user_id, slot.date, slot.at, now],
        );
        return run?.id ?? null;
      });
      if (!runId) continue;
      claimed++;
      const late = now.getTime() - slot.at.getTime();
      this.o.log.info(
        { schedule: s.id, slot: slot.date, run: runId, lateMs: late },
        late > 5 * 60_000 ? 'scheduled reports: catching up a missed slot' : 'scheduled reports: slot due',
      );
      this.enqueue(runId, s);
    }
    return claimed;
  }

  /** Runs left 'running' by a process that stopped or died: resumed, or failed with a summary saying why. */
  private async recoverInterrupted(): Promise<void> {
    const now = this.o.now();
    const rows = await this.o.db.query<InterruptedRow>(
      `SELECT r.id AS run_id, r.slot_date, r.items, r.resumes, s.id, s.user_id, s.watchlist_id, s.market,
              s.local_time, s.language, s.last_slot, s.enabled
         FROM report_schedule_runs r JOIN report_schedules s ON s.id = r.schedule_id
        WHERE r.status = 'running' ORDER BY r.started_at`,
    );
    for (const r of rows) {
      const why = !r.enabled
        ? 'its schedule is disabled'
        : r.resumes >= MAX_RUN_RESUMES
          ? `resumed ${r.resumes} times already`
          : latestSlot(r.market, r.local_time, now).date !== r.slot_date
            ? 'a newer slot has passed since'
            : null;
      if (why === null) {
        const [resumed] = await this.o.db.query<{ id: string }>(
          `UPDATE report_schedule_runs SET resumes = resumes + 1 WHERE id = $1 AND status = 'running' RETURNING id`,
          [r.run_id],
        );
        if (!resumed) continue;
        this.o.log.info(
          { run: r.run_id, slot: r.slot_date, resumes: r.resumes + 1 },
          'scheduled report run cut short by a restart: resuming',
        );
        this.enqueue(r.run_id, r, r.items);
        continue;
      }
      const failed = await this.o.db.query<{ id: string }>(
        `UPDATE report_schedule_runs SET status = 'failed', error = $2, finished_at = $3
          WHERE id = $1 AND status = 'running' RETURNING id`,
        [r.run_id, `${INTERRUPTED_RUN}; not resumed: ${why}`, now],
      );
      if (!failed[0]) continue;
      this.o.log.warn({ run: r.run_id, why }, 'scheduled report run interrupted by a restart: failed');
      await deliverSummary(this.o, r.run_id).catch((err) =>
        this.o.log.warn({ err: String(err), run: r.run_id }, 'summary of an interrupted run not queued'),
      );
    }
  }

  /** Runs execute one at a time, after those queued before. */
  private enqueue(runId: string, s: DueRow, resume?: TScheduleRunItem[]): void {
    this.chain = this.chain
      .then(() => this.execute(runId, s, resume))
      .catch((err) => this.o.log.error({ err, run: runId }, 'scheduled report run failed'));
  }

  /** One run: its list's symbols, or (`resume`) the items a cut-short run left, unfinished ones made again. */
  private async execute(runId: string, s: DueRow, resume?: TScheduleRunItem[]): Promise<void> {
    const { db } = this.o;
    let items: TScheduleRunItem[];
    if (resume && resume.length > 0) {
      items = resume.map((i) =>
        i.status === 'complete' || i.status === 'failed' ? i : { ...i, reportId: null, status: 'pending' },
      );
    } else {
      const symbols = await db.query<{ market: TMarket; symbol: string }>(
        `SELECT market, symbol FROM watchlist_items WHERE watchlist_id = $1 AND market = $2
          ORDER BY position, symbol LIMIT $3`,
        [s.watchlist_id, s.market, MAX_SYMBOLS_PER_RUN],
      );
      items = symbols.map((r) => ({ ...r, reportId: null, status: 'pending' }));
    }
    await db.query('UPDATE report_schedule_runs SET total = $2, items = $3::jsonb WHERE id = $1', [
      runId,
      items.length,
      JSON.stringify(items),
    ]);
    let done = items.filter((i) => i.status === 'complete' || i.status === 'failed').length;
    for (const item of items) {
      if (item.status !== 'pending') continue;
      if (this.stopped) break;
      item.status = 'running';
      try {
        const { id } = await this.o.reports.create({
          market: item.market,
          symbol: item.symbol,
          language: s.language,
          createdBy: `schedule:${s.id}`,
        });
        item.reportId = id;
        await this.progress(runId, items, done);
        const outcome = await this.awaitReport(id);
        if (outcome.stopped) {
          // stopped while waiting: the next start makes this one again
          item.status = 'pending';
          item.reportId = null;
          break;
        }
        item.status = outcome.ok ? 'complete' : 'failed';
        if (outcome.error) item.error = outcome.error;
      } catch (err) {
        item.status = 'failed';
        item.error = err instanceof Error ? err.message : String(err);
      }
      done++;
      await this.progress(runId, items, done);
    }
    if (done < items.length) {
      // the loop ends early only when the process is stopping: the run stays 'running' with its progress, and the next start resumes it
      await this.progress(runId, items, done);
      this.o.log.info({ run: runId, done, total: items.length }, 'scheduled report run paused by shutdown');
      return;
    }
    const ok = items.filter((i) => i.status === 'complete').length;
    const status = items.length > 0 && ok === items.length ? 'complete' : ok === 0 ? 'failed' : 'partial';
    const error = items.length === 0 ? `the list has no ${s.market} symbols` : null;
    const fin = await db.transaction(async (q) => {
      const r = await q(
        `UPDATE report_schedule_runs SET status = $2, error = $3, finished_at = $4, items = $5::jsonb, done = $6
          WHERE id = $1 AND status = 'running' RETURNING id`,
        [runId, status, error, this.o.now(), JSON.stringify(items), done],
      );
      if (r[0]) await q('SELECT pg_notify($1, $2)', [SCHEDULE_RUNS_CHANNEL, s.user_id]);
      return r.length > 0;
    });
    if (fin) await deliverSummary(this.o, runId);
  }

  private progress(runId: string, items: TScheduleRunItem[], done: number) {
    return this.o.db.query(
      `UPDATE report_schedule_runs SET items = $2::jsonb, done = $3 WHERE id = $1 AND status = 'running'`,
      [runId, JSON.stringify(items), done],
    );
  }

  /** Wait for the report to end (in this process, or polled when another process runs it). */
  private async awaitReport(id: string): Promise<{ ok: boolean; error?: string; stopped?: true }> {
    await this.o.reports.wait(id);
    const deadline = Date.now() + (this.o.reportTimeoutMs ?? 600_000);
    for (;;) {
      const [r] = await this.o.db.query<{ status: string; error: string | null; degraded_sections: number }>(
        'SELECT status, error, degraded_sections FROM reports WHERE id = $1',
        [id],
      );
      if (!r) return { ok: false, error: 'the report was deleted' };
      if (r.status === 'complete')
        return r.degraded_sections > 0
          ? { ok: true, error: `${r.degraded_sections} section(s) unavailable` }
          : { ok: true };
      if (r.status === 'failed') return { ok: false, error: r.error ?? 'failed' };
      if (this.stopped) return { ok: false, stopped: true };
      if (Date.now() > deadline)
        return { ok: false, error: 'still running when the scheduled run gave up waiting' };
      await new Promise((res) => setTimeout(res, this.o.pollMs ?? 1_000));
    }
  }
}
