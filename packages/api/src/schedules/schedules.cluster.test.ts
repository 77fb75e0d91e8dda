import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../auth/users';
import type { NotificationDeps } from '../notifications/service';
import { createLogger } from '../observability/logger';
import { createWatchlist } from '../watchlists/watchlists';
import { leadSchedules } from './leader';
import { ScheduleRunner } from './runner';
import { createSchedule } from './service';

const pgUrl = process.env.TEST_DATABASE_URL;

// Two web processes on one database: a slot runs once, not once per process.
describe.skipIf(!pgUrl)('report schedules on PostgreSQL (two processes)', () => {
  let base: DatabaseHandle & { url?: string };
  let a: DatabaseHandle;
  let b: DatabaseHandle;
  let userId: string;
  let listId: string;
  const log = createLogger({ level: 'silent' });
  const clock = new Date('2026-12-07T08:00:00Z'); // Mon 16:00 Asia/Shanghai
  const runner = (db: DatabaseHandle) =>
    new ScheduleRunner({
      db,
      // the list is empty and the schedule has no channel: neither is called, only the claim is under test
      reports: {
        create: () => Promise.reject(new Error('not used')),
        wait: () => Promise.resolve(),
      },
      notifications: {} as NotificationDeps,
      log,
      now: () => clock,
      publicUrl: 'http://invest.test',
      tickMs: 3_600_000,
    });

  beforeAll(async () => {
    base = await createTestDatabase();
    a = await createDatabase({ databaseUrl: base.url, migrate: false, poolMax: 3 });
    b = await createDatabase({ databaseUrl: base.url, migrate: false, poolMax: 3 });
    userId = (await createUser(a, { username: 'pia', password: 'pia-password-12', role: 'analyst' })).id;
    listId = (await createWatchlist(a, userId, 'empty', { actor: 'user:pia' })).id;
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await base?.close();
  });

  const due = () =>
    // created the Friday before: Monday 15:30 is due at 16:00
    createSchedule(
      a,
      userId,
      { watchlistId: listId, market: 'CN', localTime: '15:30' },
      new Date('2026-12-04T12:00:00Z'),
    );
  const runCount = async (id: string) =>
    (
      await a.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM report_schedule_runs WHERE schedule_id = $1',
        [id],
      )
    )[0]!.n;

  it('only the lock holder runs schedules; the standby takes over when it stops', async () => {
    const ra = runner(a);
    const rb = runner(b);
    const la = leadSchedules(a, ra, log, 100);
    await la.ready;
    const lb = leadSchedules(b, rb, log, 100);
    await lb.ready;
    expect([la.role(), lb.role()]).toEqual(['leader', 'standby']);
    expect([ra.isRunning, rb.isRunning]).toEqual([true, false]);
    await la.stop();
    const deadline = Date.now() + 5_000;
    while (!rb.isRunning && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(lb.role()).toBe('leader');
    await lb.stop();
  });

  it('two schedulers ticking at the same moment claim a slot once', async () => {
    const schedules = await Promise.all([due(), due(), due()]);
    const ra = runner(a);
    const rb = runner(b);
    const claimed = await Promise.all([ra.tick(), rb.tick(), ra.tick(), rb.tick()]);
    await Promise.all([ra.idle(), rb.idle()]);
    expect(claimed.reduce((s, n) => s + n, 0)).toBe(3);
    for (const s of schedules) expect(await runCount(s.id)).toBe(1);
    expect(await Promise.all([ra.tick(), rb.tick()])).toEqual([0, 0]);
  });
});
