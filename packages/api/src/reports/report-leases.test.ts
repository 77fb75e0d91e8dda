import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger';
import { createTestRuntime, waitFor } from '../test-support/runtime';
import { reportRunKey } from './report-service';
import { attachReports } from './runtime';
import { REPORT_MODULES } from './types';

// Report state across processes: leases, joining, and failures while writing state. The inference services
// are not running (closed port): reports complete quickly with those sections unavailable.
const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const closed = 'http://127.0.0.1:9';
const inference = {
  urls: { llm: closed, sentiment: closed, timeseries: closed, 'cpu-timeseries': closed },
  timeoutMs: { llm: 300, sentiment: 300, timeseries: 300, 'cpu-timeseries': 300 },
};

describe(`report leases and joining (${DB})`, () => {
  let rt: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    rt = await createTestRuntime({ config: { inference, reportLeaseMs: 1_500 } });
  });
  afterAll(async () => {
    await rt?.close();
  });

  /** A running report as another process would have stored it. */
  const insertRunning = async (
    symbol: string,
    owner: string,
    leaseSeconds: number,
    key = reportRunKey({ language: 'en', modules: REPORT_MODULES }),
  ) => {
    const [row] = await rt.db.query<{ id: string }>(
      `INSERT INTO reports (market, symbol, status, modules, params, language, run_key, owner_id, lease_expires_at)
       VALUES ('US', $1, 'running', $2::jsonb, '{}'::jsonb, 'en', $3, $4, now() + $5 * interval '1 second')
       RETURNING id`,
      [symbol, JSON.stringify(REPORT_MODULES), key, owner, leaseSeconds],
    );
    return row!.id;
  };
  const statusOf = async (id: string) =>
    (
      await rt.db.query<{ status: string; error: string | null }>(
        'SELECT status, error FROM reports WHERE id = $1',
        [id],
      )
    )[0]!;

  it("a process starting up fails only reports whose lease expired, not another live process's", async () => {
    const alive = await insertRunning('AAPL', 'other-live-process', 60);
    const dead = await insertRunning('MSFT', 'dead-process', -1);
    // The start-up path of a second process (e.g. `npm run collector`) on the same database.
    const second = await attachReports({
      db: rt.db,
      provider: rt.provider,
      log: createLogger({ level: 'silent' }),
      now: () => new Date(),
      inference,
      quoteMaxAgeSeconds: 30,
    });
    await second.close();
    expect((await statusOf(alive)).status).toBe('running');
    expect(await statusOf(dead)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('lease expired'),
    });
    await rt.db.query(`UPDATE reports SET status = 'failed' WHERE id = $1`, [alive]);
  });

  it('joins a running report only when as-of date, language and modules match', async () => {
    const other = await insertRunning('NVDA', 'other-live-process', 60);
    const same = await rt.reports.create({ market: 'US', symbol: 'NVDA', language: 'en', createdBy: null });
    expect(same).toEqual({ id: other, joined: true });
    const zh = await rt.reports.create({ market: 'US', symbol: 'NVDA', language: 'zh', createdBy: null });
    expect(zh.joined).toBe(false);
    const asOf = await rt.reports.create({
      market: 'US',
      symbol: 'NVDA',
      language: 'en',
      createdBy: null,
      asOf: '2024-06-03',
    });
    expect(asOf.joined).toBe(false);
    const fewer = await rt.reports.create({
      market: 'US',
      symbol: 'NVDA',
      language: 'en',
      modules: ['indicators'],
      createdBy: null,
    });
    expect(fewer.joined).toBe(false);
    expect(new Set([other, zh.id, asOf.id, fewer.id]).size).toBe(4);
    await Promise.all([zh.id, asOf.id, fewer.id].map((id) => rt.reports.wait(id)));
    await rt.db.query(`UPDATE reports SET status = 'failed' WHERE id = $1`, [other]);
  });

  it('a running report whose owner is gone is never joined: it is failed and a new one starts', async () => {
    const stale = await insertRunning('TSLA', 'dead-process', -1);
    const r = await rt.reports.create({ market: 'US', symbol: 'TSLA', language: 'en', createdBy: null });
    expect(r.joined).toBe(false);
    expect(r.id).not.toBe(stale);
    expect((await statusOf(stale)).status).toBe('failed');
    await rt.reports.wait(r.id);
    expect((await statusOf(r.id)).status).toBe('complete');
  });

  it('a failed sections INSERT leaves no running report behind; the next request starts afresh', async () => {
    await rt.db.query(`CREATE FUNCTION t_fail_sections() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'sections insert refused by test'; END $$`);
    await rt.db.query(
      'CREATE TRIGGER t_fail_sections BEFORE INSERT ON report_sections FOR EACH STATEMENT EXECUTE FUNCTION t_fail_sections()',
    );
    try {
      await expect(
        rt.reports.create({ market: 'HK', symbol: '0700.HK', language: 'en', createdBy: null }),
      ).rejects.toThrow(/refused by test/);
    } finally {
      await rt.db.query('DROP TRIGGER t_fail_sections ON report_sections');
    }
    const rows = await rt.db.query<{ status: string }>(
      `SELECT status FROM reports WHERE market = 'HK' AND symbol = '0700.HK'`,
    );
    expect(rows).toEqual([{ status: 'failed' }]);
    const next = await rt.reports.create({
      market: 'HK',
      symbol: '0700.HK',
      language: 'en',
      createdBy: null,
    });
    expect(next.joined).toBe(false);
    await rt.reports.wait(next.id);
    expect((await statusOf(next.id)).status).toBe('complete');
  });

  it('a final UPDATE that fails twice is retried and lands', async () => {
    await rt.db.query('CREATE SEQUENCE t_final_failures');
    await rt.db.query(`CREATE FUNCTION t_fail_final() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.duration_ms IS NOT NULL AND nextval('t_final_failures') <= 2 THEN
          RAISE EXCEPTION 'final update refused by test';
        END IF;
        RETURN NEW;
      END $$`);
    await rt.db.query(
      'CREATE TRIGGER t_fail_final BEFORE UPDATE ON reports FOR EACH ROW EXECUTE FUNCTION t_fail_final()',
    );
    try {
      const r = await rt.reports.create({ market: 'HK', symbol: '9988.HK', language: 'en', createdBy: null });
      await rt.reports.wait(r.id);
      expect((await statusOf(r.id)).status).toBe('complete');
      const [seq] = await rt.db.query<{ n: number }>('SELECT last_value::int AS n FROM t_final_failures');
      expect(seq?.n).toBe(3);
    } finally {
      await rt.db.query('DROP TRIGGER t_fail_final ON reports');
    }
  });

  it('a final UPDATE that keeps failing ends as failed once the lease expires, never running for ever', async () => {
    await rt.db.query(`CREATE FUNCTION t_fail_final_always() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.duration_ms IS NOT NULL THEN RAISE EXCEPTION 'final update refused by test'; END IF;
        RETURN NEW;
      END $$`);
    await rt.db.query(
      'CREATE TRIGGER t_fail_final_always BEFORE UPDATE ON reports FOR EACH ROW EXECUTE FUNCTION t_fail_final_always()',
    );
    try {
      const r = await rt.reports.create({ market: 'HK', symbol: '0005.HK', language: 'en', createdBy: null });
      await rt.reports.wait(r.id);
      // The heartbeat stopped with the run; the sweep (every lease/3) fails it once the 1.5 s lease is over.
      const end = await waitFor(
        async () => {
          const s = await statusOf(r.id);
          return s.status !== 'running' ? s : null;
        },
        10_000,
        'the report to leave running',
      );
      expect(end).toMatchObject({ status: 'failed', error: expect.stringContaining('lease expired') });
      const again = await rt.reports.create({
        market: 'HK',
        symbol: '0005.HK',
        language: 'en',
        createdBy: null,
      });
      expect(again.joined).toBe(false);
      await rt.db.query('DROP TRIGGER t_fail_final_always ON reports');
      await rt.reports.wait(again.id);
    } finally {
      await rt.db.query('DROP TRIGGER IF EXISTS t_fail_final_always ON reports');
    }
  });
});
