import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../auth/users';
import { createChannel } from '../notifications/service';
import { createLogger } from '../observability/logger';
import type { Runtime } from '../runtime';
import { createTestRuntime, waitFor } from '../test-support/runtime';
import { addWatchlistItem, createWatchlist } from '../watchlists/watchlists';
import { MAX_RUN_RESUMES, ScheduleRunner } from './runner';
import {
  createSchedule,
  listScheduleRuns,
  markSummariesRead,
  type TScheduleRun,
  unreadSummaryCount,
} from './service';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const closed = 'http://127.0.0.1:9';

describe(`scheduled reports: trading-day slots → reports → summary over SMTP (${DB})`, () => {
  let rt: Runtime;
  let smtp: SMTPServer;
  let smtpPort: number;
  const mails: ParsedMail[] = [];
  let userId: string;
  let listId: string;
  let channelId: string;
  /** The schedule runners' clock (the runtime itself keeps the real one). */
  let clock = new Date('2026-12-04T06:00:00Z'); // Fri 14:00 Asia/Shanghai
  const runner = () =>
    new ScheduleRunner({
      db: rt.db,
      reports: rt.reports,
      notifications: rt.notifications,
      log: createLogger({ level: 'silent' }),
      now: () => clock,
      publicUrl: 'http://invest.test/',
      pollMs: 50,
    });

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, _session, cb) {
        simpleParser(stream).then(
          (m) => {
            mails.push(m);
            cb();
          },
          (err: Error) => cb(err),
        );
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    rt = await createTestRuntime({
      config: {
        // the inference services are down: reports complete with those sections unavailable
        inference: {
          urls: { llm: closed, sentiment: closed, timeseries: closed, 'cpu-timeseries': closed },
          timeoutMs: { llm: 500, sentiment: 500, timeseries: 500, 'cpu-timeseries': 500 },
        },
        notifications: {
          allowPrivate: true, // the SMTP server is on 127.0.0.1
          sendTimeoutMs: 3_000,
          queue: { retryLimit: 1, retryDelaySeconds: 1, pollingIntervalSeconds: 0.5, concurrency: 2 },
        },
        schedules: { tickMs: 3_600_000 },
      },
    });
    const u = await createUser(rt.db, { username: 'sara', password: 'sara-password-1', role: 'analyst' });
    userId = u.id;
    const meta = { actor: 'user:sara' };
    listId = (await createWatchlist(rt.db, userId, 'A-shares', meta)).id;
    await addWatchlistItem(rt.db, userId, listId, { market: 'CN', symbol: '600519.SH' }, meta);
    await addWatchlistItem(rt.db, userId, listId, { market: 'CN', symbol: '000001.SZ' }, meta);
    // a US symbol in the same list is not part of the CN schedule
    await addWatchlistItem(rt.db, userId, listId, { market: 'US', symbol: 'AAPL' }, meta);
    const ch = await createChannel(
      rt.notifications,
      { actor: 'user:sara', ownerId: userId, admin: false },
      {
        type: 'email',
        name: 'my inbox',
        host: '127.0.0.1',
        port: smtpPort,
        requireTls: false,
        from: 'investiq@example.org',
        to: ['sara@example.org'],
      },
    );
    channelId = ch.id;
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  });

  const runsOf = async (scheduleId: string): Promise<TScheduleRun[]> =>
    listScheduleRuns(rt.db, userId, { scheduleId });
  /** Sara's schedule for the A-shares list, created at `createdAt` (which decides the first due slot). */
  const scheduleOn = (
    market: 'CN' | 'HK' | 'US',
    localTime: string,
    createdAt: Date,
    channelIds: string[] = [channelId],
  ) => createSchedule(rt.db, userId, { watchlistId: listId, market, localTime, channelIds }, createdAt);
  /** A server start (recovering runs left 'running') until its work is done and it stops; the newest run of `scheduleId`. */
  const afterRestart = async (scheduleId: string): Promise<TScheduleRun | undefined> => {
    const r = runner();
    await r.start();
    await r.idle();
    await r.stop();
    return (await runsOf(scheduleId))[0];
  };
  /** The summary e-mail of the A-shares list's run for `market` and slot `date`, once it has arrived. */
  const summaryMail = (market: string, date: string, what: string) =>
    waitFor(
      () => mails.find((m) => m.subject === `Scheduled reports: A-shares (${market}) ${date}`),
      15_000,
      what,
    );

  it('runs the missed slot once after a restart, then e-mails a summary with a link per report', async () => {
    const s = await scheduleOn('CN', '15:30', clock);
    // created Fri 14:00 CST: Thursday's slot is already past and counts as claimed; the next is Fri 15:30
    expect(s).toMatchObject({
      lastSlot: '2026-12-03',
      next: { date: '2026-12-04', at: '2026-12-04T07:30:00.000Z' },
    });
    const first = runner();
    expect(await first.tick()).toBe(0);
    await first.stop();

    // the server was down over Friday's slot and the weekend; it restarts Monday 10:00 CST
    clock = new Date('2026-12-07T02:00:00Z');
    const restarted = runner();
    expect(await restarted.tick()).toBe(1);
    expect(await restarted.tick()).toBe(0); // claimed: not again
    await restarted.idle();
    // another restart the same morning does not repeat it
    const again = runner();
    expect(await again.tick()).toBe(0);

    const runs = await runsOf(s.id);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run).toMatchObject({
      slotDate: '2026-12-04',
      scheduledFor: '2026-12-04T07:30:00.000Z',
      status: 'complete',
      total: 2,
      done: 2,
    });
    expect(run.items.map((i) => i.symbol)).toEqual(['600519.SH', '000001.SZ']);
    // the reports exist and are finished; the missing inference services are named, not hidden
    for (const item of run.items) {
      expect(item.reportId).toMatch(/^[0-9a-f-]{36}$/);
      expect(item.error).toMatch(/section\(s\) unavailable/);
    }
    const reports = await rt.db.query<{ id: string; status: string; created_by: string }>(
      'SELECT id, status, created_by FROM reports WHERE id = ANY($1::uuid[])',
      [run.items.map((i) => i.reportId)],
    );
    expect(reports.map((r) => r.status)).toEqual(['complete', 'complete']);
    expect(reports.every((r) => r.created_by === `schedule:${s.id}`)).toBe(true);

    // the bell counts the summary until it is read
    expect(await unreadSummaryCount(rt.db, userId)).toBe(1);

    const mail = await waitFor(() => mails[0], 15_000, 'the summary mail');
    expect(mail.subject).toBe('Scheduled reports: A-shares (CN) 2026-12-04');
    expect(mail.text).toContain('2 of 2 reports complete.');
    for (const item of run.items) {
      const url = `http://invest.test/reports/${item.reportId}`;
      expect(mail.text).toContain(url);
      expect(mail.html).toContain(`<a href="${url}">${item.symbol} (complete)</a>`);
    }
    expect(mail.messageId).toBe(`<schedule-run_${run.id}@investiq.notifications>`);
    expect(mails).toHaveLength(1);

    expect(await markSummariesRead(rt.db, userId, new Date())).toBe(1);
    expect(await unreadSummaryCount(rt.db, userId)).toBe(0);
  }, 120_000);

  it('a list without symbols of the market fails loudly: the summary says so', async () => {
    clock = new Date('2026-12-07T02:00:00Z'); // Mon 10:00 HKT
    // created Fri evening: Monday 09:00 is due
    const s = await scheduleOn('HK', '09:00', new Date('2026-12-04T12:00:00Z'));
    const r = runner();
    expect(await r.tick()).toBe(1);
    await r.idle();
    const [run] = await runsOf(s.id);
    expect(run).toMatchObject({ status: 'failed', total: 0, error: 'the list has no HK symbols' });
    const mail = await summaryMail('HK', '2026-12-07', 'the failure summary');
    expect(mail.text).toContain('Error: the list has no HK symbols');
  }, 60_000);

  it('a run left running by a dead process is failed at the next start when a newer slot has passed, with a summary', async () => {
    const s = await scheduleOn('US', '16:30', clock);
    // clock: Mon 2026-12-07 02:00Z, so Friday 2026-12-04's slot has passed since this Thursday run
    await rt.db.query(
      `INSERT INTO report_schedule_runs (schedule_id, user_id, slot_date, scheduled_for, started_at, total, done)
       VALUES ($1, $2, '2026-12-03', '2026-12-03T21:30:00Z', '2026-12-03T21:30:05Z', 1, 0)`,
      [s.id, userId],
    );
    expect(await afterRestart(s.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^interrupted.*not resumed: a newer slot has passed since$/),
    });
    await summaryMail('US', '2026-12-03', 'the interrupted summary');
  }, 60_000);

  it('a run cut short by a restart resumes at the next start: finished reports kept, the rest made, one summary', async () => {
    clock = new Date('2026-12-08T07:10:00Z'); // Tue 15:10 Asia/Shanghai
    await rt.db.query('UPDATE report_schedules SET enabled = false'); // only this test's schedule runs
    const s = await scheduleOn('CN', '15:00', new Date('2026-12-08T06:00:00Z'));
    const [kept] = await rt.db.query<{ id: string }>(
      `SELECT id FROM reports WHERE market = 'CN' AND symbol = '600519.SH' AND status = 'complete' LIMIT 1`,
    );
    // what a process that died while making the second report leaves (the slot claimed, progress written)
    const items = [
      { market: 'CN', symbol: '600519.SH', reportId: kept!.id, status: 'complete' },
      { market: 'CN', symbol: '000001.SZ', reportId: null, status: 'running' },
    ];
    await rt.db.query(`UPDATE report_schedules SET last_slot = '2026-12-08' WHERE id = $1`, [s.id]);
    await rt.db.query(
      `INSERT INTO report_schedule_runs (schedule_id, user_id, slot_date, scheduled_for, started_at, total, done, items)
       VALUES ($1, $2, '2026-12-08', '2026-12-08T07:00:00Z', '2026-12-08T07:00:02Z', 2, 1, $3::jsonb)`,
      [s.id, userId, JSON.stringify(items)],
    );
    const run = await afterRestart(s.id);
    expect(await runsOf(s.id)).toHaveLength(1); // resumed, not claimed again
    expect(run).toMatchObject({ status: 'complete', total: 2, done: 2, error: null });
    expect(run!.items[0]).toMatchObject({ symbol: '600519.SH', reportId: kept!.id, status: 'complete' });
    expect(run!.items[1]).toMatchObject({ symbol: '000001.SZ', status: 'complete' });
    expect(run!.items[1]!.reportId).toEqual(expect.any(String));
    const [{ resumes }] = (await rt.db.query<{ resumes: number }>(
      'SELECT resumes FROM report_schedule_runs WHERE id = $1',
      [run!.id],
    )) as [{ resumes: number }];
    expect(resumes).toBe(1);
    const mail = await summaryMail('CN', '2026-12-08', 'the summary of the resumed run');
    expect(mail.text).toContain('2 of 2 reports complete.');
  }, 120_000);

  it('stop() in the middle of a run leaves it to the next start, which finishes it', async () => {
    clock = new Date('2026-12-09T07:10:00Z'); // Wed 15:10 Asia/Shanghai
    await rt.db.query('UPDATE report_schedules SET enabled = false'); // only this test's schedule runs
    // created Tuesday after the slot: Wednesday's is due
    const s = await scheduleOn('CN', '15:05', new Date('2026-12-08T08:00:00Z'), []);
    const first = runner();
    expect(await first.tick()).toBe(1);
    await first.stop(); // before its first report: the run is paused, not failed
    const [paused] = await runsOf(s.id);
    expect(paused).toMatchObject({ status: 'running', total: 2 });
    const second = runner();
    await second.start();
    await second.idle();
    await second.stop();
    const [run] = await runsOf(s.id);
    expect(run).toMatchObject({ status: 'complete', total: 2, done: 2 });
  }, 120_000);

  it('a run that keeps dying is not resumed for ever', async () => {
    clock = new Date('2026-12-10T07:10:00Z'); // Thu 15:10 Asia/Shanghai
    await rt.db.query('UPDATE report_schedules SET enabled = false'); // only this test's schedule runs
    const s = await scheduleOn('CN', '15:01', new Date('2026-12-10T06:00:00Z'), []);
    await rt.db.query(`UPDATE report_schedules SET last_slot = '2026-12-10' WHERE id = $1`, [s.id]);
    await rt.db.query(
      `INSERT INTO report_schedule_runs (schedule_id, user_id, slot_date, scheduled_for, started_at, resumes)
       VALUES ($1, $2, '2026-12-10', '2026-12-10T07:01:00Z', '2026-12-10T07:01:01Z', $3)`,
      [s.id, userId, MAX_RUN_RESUMES],
    );
    expect(await afterRestart(s.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(`not resumed: resumed ${MAX_RUN_RESUMES} times already`),
    });
  }, 60_000);

  it('rejects bad input with a 4xx naming the field, writing nothing', async () => {
    const bad = [
      [{ watchlistId: listId, market: 'CN', localTime: '25:00' }, /localTime: localTime must be HH:MM/],
      [{ watchlistId: listId, market: 'XX', localTime: '15:30' }, /market/],
      [
        { watchlistId: '00000000-0000-4000-8000-000000000000', market: 'CN', localTime: '15:30' },
        /watchlistId: no watchlist/,
      ],
      [
        {
          watchlistId: listId,
          market: 'CN',
          localTime: '15:30',
          channelIds: ['00000000-0000-4000-8000-000000000000'],
        },
        /channelIds: no notification channel/,
      ],
    ] as const;
    const before = await rt.db.query('SELECT id FROM report_schedules');
    for (const [body, msg] of bad)
      await expect(createSchedule(rt.db, userId, body, clock)).rejects.toThrow(msg);
    expect(await rt.db.query('SELECT id FROM report_schedules')).toHaveLength(before.length);
  });
});
