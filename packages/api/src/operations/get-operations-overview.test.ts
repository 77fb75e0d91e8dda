import { type RunningService, startService } from '@investiq/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger';
import { RecentLogs, recentLogsOf } from '../observability/recent-errors';
import { ingestQuotes, parseIngestBatch } from '../quotes/ingest-quotes';
import type { Runtime } from '../runtime';
import { createTestRuntime } from '../test-support/runtime';
import { getOperationsOverview } from './get-operations-overview';

// The Operations page's data from real parts: a real sentiment service (the others on a closed port), the
// test database with quotes ingested a moment ago and reports in each state, and a real pino logger.
let rt: Runtime;
let sentiment: RunningService;
const now = new Date('2026-03-02T15:00:00Z');

beforeAll(async () => {
  sentiment = await startService('sentiment', { port: 0, logLevel: 'silent' });
  const closed = 'http://127.0.0.1:9';
  rt = await createTestRuntime({
    now: () => now,
    config: {
      inference: {
        urls: { llm: closed, sentiment: sentiment.url, timeseries: closed, 'cpu-timeseries': closed },
        timeoutMs: { llm: 500, sentiment: 2_000, timeseries: 500, 'cpu-timeseries': 500 },
      },
    },
  });
});

afterAll(async () => {
  await rt?.close();
  await sentiment?.close();
});

describe('operations overview', () => {
  it('shows services with breakers and queues, database, ingest rate and report outcomes', async () => {
    const quotes = Array.from({ length: 30 }, (_, i) => ({
      market: 'US',
      symbol: 'AAPL',
      ts: new Date(now.getTime() - 50_000 + i * 1000).toISOString(),
      price: 100 + i,
    }));
    await ingestQuotes(
      rt.db,
      parseIngestBatch({ quotes }, { now, retentionDays: 30, defaultSource: 'test' }),
    );
    const insert = `INSERT INTO reports (market, symbol, status, modules, params, language, created_at, degraded_sections)
                    VALUES ('US', $1, $2, '[]', '{}', 'en', $3, $4)`;
    const at = new Date(now.getTime() - 600_000).toISOString();
    await rt.db.query(insert, ['AAPL', 'complete', at, 1]);
    await rt.db.query(insert, ['MSFT', 'complete', at, 0]);
    await rt.db.query(insert, ['NVDA', 'complete', at, 0]);
    await rt.db.query(insert, ['TSLA', 'failed', at, 2]);
    // two hours ago: outside the window
    await rt.db.query(insert, ['AMZN', 'failed', new Date(now.getTime() - 7_200_000).toISOString(), 0]);

    const o = await getOperationsOverview({
      db: rt.db,
      gateway: rt.inference,
      collector: rt.collector,
      recentLogs: rt.recentLogs,
      metrics: rt.metrics.registry,
      now: () => now,
    });
    expect(o.database).toMatchObject({ ok: true, error: null });
    const byName = Object.fromEntries(o.services.map((s) => [s.service, s]));
    expect(Object.keys(byName).sort()).toEqual(['cpu-timeseries', 'llm', 'sentiment', 'timeseries']);
    expect(byName.sentiment).toMatchObject({ reachable: true, breaker: 'closed', queueDepth: 0 });
    expect(byName.sentiment?.queueMax).toBeGreaterThan(0);
    expect(byName.sentiment?.model).toMatch(/sentiment/);
    expect(byName.timeseries).toMatchObject({ reachable: false, status: 'down', queueDepth: null });
    expect(byName.timeseries?.error).toMatch(/unreachable|ECONNREFUSED|fetch failed/i);
    // received_at is the database clock (today), the test clock is in the past: nothing "in the last 5 min"
    expect(o.ingest).toMatchObject({ rowsLastMinute: 0, rowsLast5Minutes: 0, lastReceivedAt: null });
    expect(o.reports).toEqual({
      running: 0,
      complete: 3,
      failed: 1,
      degradedSections: 3,
      failureRatio: 0.25,
    });
    expect(o.collector.state).toBe('stopped');
  });

  it('counts quotes received in the last minute and five minutes from the database', async () => {
    const live = new Date();
    const quotes = Array.from({ length: 12 }, (_, i) => ({
      market: 'US',
      symbol: 'MSFT',
      ts: new Date(live.getTime() - 20_000 + i * 1000).toISOString(),
      price: 300 + i,
    }));
    await ingestQuotes(
      rt.db,
      parseIngestBatch({ quotes }, { now: live, retentionDays: 30, defaultSource: 'test' }),
    );
    const o = await getOperationsOverview({
      db: rt.db,
      gateway: rt.inference,
      collector: rt.collector,
      recentLogs: rt.recentLogs,
      metrics: rt.metrics.registry,
      now: () => new Date(),
    });
    expect(o.ingest.rowsLastMinute).toBeGreaterThanOrEqual(12);
    expect(o.ingest.rowsLast5Minutes).toBeGreaterThanOrEqual(o.ingest.rowsLastMinute);
    expect(o.ingest.perSecond).toBeCloseTo(o.ingest.rowsLastMinute / 60, 1);
    expect(o.ingest.lagSeconds).not.toBeNull();
    expect(o.ingest.lagSeconds!).toBeLessThan(30);
  });
});

describe('recent warnings and errors from the logger', () => {
  it('keeps warn and above, newest first, with request and trace ids, bounded', () => {
    const log = createLogger({ level: 'fatal', name: 'test' });
    // below the logger's level: not recorded (the logger decides first)
    log.error('hidden');
    expect(recentLogsOf(log).list()).toEqual([]);

    const verbose = createLogger({ level: 'warn', name: 'web' });
    const ring = recentLogsOf(verbose);
    verbose.child({ requestId: 'req-1' }).warn('slow upstream');
    verbose
      .child({ requestId: 'req-2' })
      .error({ err: new Error('boom'), trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' }, 'request failed');
    const [newest, older] = ring.list();
    expect(newest).toMatchObject({
      level: 'error',
      name: 'web',
      msg: 'request failed',
      requestId: 'req-2',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      error: 'boom',
    });
    expect(older).toMatchObject({ level: 'warn', msg: 'slow upstream', requestId: 'req-1', traceId: null });
  });

  it('is bounded and ignores lines that are not JSON', () => {
    const ring = new RecentLogs(100);
    ring.record('not json');
    for (let i = 0; i < 150; i++) ring.record(JSON.stringify({ level: 40, time: i, msg: `w${i}` }));
    expect(ring.list()).toHaveLength(100);
    expect(ring.list()[0]).toMatchObject({ msg: 'w149', level: 'warn', at: new Date(149).toISOString() });
    expect(ring.list().at(-1)?.msg).toBe('w50');
  });
});
