import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningServices, startAll } from '@investiq/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { Runtime } from '../runtime';
import { SInferenceEndpoints } from '../settings/keys';
import { getSetting, setSetting } from '../settings/service';
import { createTestRuntime, waitFor } from '../test-support/runtime';
import { reportToMarkdown } from './export-markdown';
import { getReport } from './get-report';
import { INFERENCE_DEFAULTS } from './inference-gateway';
import { getTrackRecord } from './track-record';
import type { NarrativeOutput, ReportView, SentimentOutput } from './types';

// The pipeline against the real inference services (default ONNX models, real HTTP on port 0) and a real
// database. The llm service runs without an upstream, so the narrative comes from the deterministic writer.
const TOKEN = 'pipeline-test-token-0123456789';
let services: RunningServices;
let rt: Runtime;
let garbage: Server;
let garbageUrl: string;

const section = (r: ReportView, m: string) => r.sections.find((s) => s.module === m)!;

async function runReport(market: 'CN' | 'HK' | 'US', symbol: string, extra: { asOf?: string } = {}) {
  const { id } = await rt.reports.create({ market, symbol, language: 'en', createdBy: 'test', ...extra });
  await rt.reports.wait(id);
  return getReport(rt.db, id);
}

beforeAll(async () => {
  // token-protected services, as in production: every call below carries the bearer token
  services = await startAll({
    ports: { llm: 0, sentiment: 0, timeseries: 0, 'cpu-timeseries': 0 },
    logLevel: 'silent',
    token: TOKEN,
  });
  garbage = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"results":"not what you asked for"}');
  });
  await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
  garbageUrl = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`;
  rt = await createTestRuntime({
    config: {
      inference: {
        urls: services.urls,
        timeoutMs: { ...INFERENCE_DEFAULTS.timeoutMs, sentiment: 2_000 },
        halfOpenAfterMs: 60_000,
        token: TOKEN,
      },
    },
  });
});

afterAll(async () => {
  await rt?.close();
  await services?.close();
  await new Promise((r) => garbage?.close(r));
});

describe('report pipeline', () => {
  it('fills every section for a demo symbol, grounded, with lineage', async () => {
    const r = await runReport('CN', '600519.SH');
    expect(r.status).toBe('complete');
    expect(r.sections.map((s) => [s.module, s.status])).toEqual([
      ['profile', 'ok'],
      ['indicators', 'ok'],
      ['statistics', 'ok'],
      ['forecast', 'ok'],
      ['sentiment', 'ok'],
      ['narrative', 'ok'],
    ]);
    for (const s of r.sections) {
      expect(s.durationMs).toBeGreaterThanOrEqual(0);
      expect(s.inputsAsOf).toBeTruthy();
    }
    const narrative = section(r, 'narrative').output as NarrativeOutput;
    expect(narrative.writer).toBe('deterministic');
    expect(narrative.text).toMatch(/without an LLM/);
    expect(narrative.grounding.numbers).toBeGreaterThan(20);
    expect(narrative.grounding.unmatched).toEqual([]);
    expect(r.ungroundedNumbers).toBe(0);
    expect(r.degradedSections).toBe(0);
    const sentiment = section(r, 'sentiment').output as SentimentOutput;
    expect(sentiment.headlines).toHaveLength(12);
    expect(sentiment.headlines.every((h) => ['positive', 'neutral', 'negative'].includes(h.label))).toBe(
      true,
    );
    // lineage: model hashes from the services' /health, template version, data as-of times
    expect(r.lineage?.models.sentiment?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.lineage?.models.timeseries?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.lineage?.template).toMatchObject({ name: 'report-narrative', language: 'en', version: 1 });
    expect(r.lineage?.dataAsOf.dailyBars).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(r.lineage?.quoteStatus).toBe('missing'); // the collector is off in tests: no quote, never a stale price
    // the provider of each input: the demo chain delivered bars, fundamentals and news; no quote stored
    expect(r.lineage?.sources).toEqual({
      dailyBars: 'demo',
      quote: null,
      fundamentals: 'demo',
      news: 'demo',
    });
    expect(r.lineage?.closeCheck).toBeNull(); // one source only: nothing cross-checked
    const md = reportToMarkdown(r);
    expect(md).toContain('## Lineage');
    expect(md).toContain('ARIMA(');
  });

  it('lets a second request for the same symbol join the running report', async () => {
    const [a, b] = await Promise.all([
      rt.reports.create({ market: 'US', symbol: 'AAPL', language: 'zh', createdBy: 'x' }),
      rt.reports.create({ market: 'US', symbol: 'AAPL', language: 'zh', createdBy: 'y' }),
    ]);
    expect(b.id).toBe(a.id);
    expect([a.joined, b.joined].sort()).toEqual([false, true]);
    await rt.reports.wait(a.id);
    const r = await getReport(rt.db, a.id);
    expect((section(r, 'narrative').output as NarrativeOutput).text).toMatch(/未使用大语言模型/);
    expect(r.ungroundedNumbers).toBe(0);
  });

  it('streams progress snapshots ending with the stored report', async () => {
    const { id } = await rt.reports.create({
      market: 'HK',
      symbol: '0700.HK',
      language: 'en',
      createdBy: 't',
    });
    const seen: string[] = [];
    let last: ReportView | undefined;
    for await (const snap of rt.reports.watch(id, new AbortController().signal, 10)) {
      seen.push(snap.sections.map((s) => s.status[0]).join(''));
      last = snap;
    }
    expect(seen.length).toBeGreaterThan(1);
    expect(last?.status).toBe('complete');
    expect(seen.at(-1)).toBe('oooooo');
  });

  it('refuses an unknown symbol with NOT_FOUND', async () => {
    await expect(
      rt.reports.create({ market: 'US', symbol: 'ZZZZ', language: 'en', createdBy: null }),
    ).rejects.toThrow(new AppError('NOT_FOUND', 'unknown symbol: US:ZZZZ'));
  });

  it('explains too little history instead of crashing', async () => {
    await rt.db.query(
      `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source) VALUES ('US', 'NEWCO', 'New Co', '新公司', 'USD', 'NYSE', 'test')`,
    );
    await rt.db.query(
      `INSERT INTO daily_bars (market, symbol, date, source, open, high, low, close, volume)
       SELECT 'US', 'NEWCO', d::date, 'test', 10, 11, 9, 10 + extract(day from d)::int % 3, 1000
         FROM generate_series(now() - interval '14 days', now() - interval '1 day', interval '1 day') d`,
    );
    const r = await runReport('US', 'NEWCO');
    expect(r.status).toBe('complete');
    for (const m of ['indicators', 'statistics', 'forecast']) {
      expect(section(r, m).status).toBe('skipped');
      expect(section(r, m).error).toMatch(/not enough price history: 14 daily bars .* at least 70/);
    }
    expect(section(r, 'profile').status).toBe('ok');
    expect(section(r, 'narrative').status).toBe('ok');
  });

  it('marks a section unavailable when its service answers garbage or is down; the report completes', async () => {
    const timeoutMs = { ...INFERENCE_DEFAULTS.timeoutMs, sentiment: 2_000 };
    try {
      // an admin points sentiment at a server answering garbage (setting `inference.endpoints`, no restart)
      await setSetting(
        rt.db,
        SInferenceEndpoints,
        { urls: { ...services.urls, sentiment: garbageUrl }, timeoutMs },
        'test',
      );
      const r = await runReport('US', 'MSFT');
      expect(rt.inference.config.urls.sentiment).toBe(garbageUrl);
      expect(r.status).toBe('complete');
      expect(section(r, 'sentiment').status).toBe('unavailable');
      expect(section(r, 'sentiment').error).toMatch(/sentiment service answered garbage/);
      expect(section(r, 'statistics').status).toBe('ok');
      expect(r.degradedSections).toBe(1);

      await services.services.sentiment.close();
      await setSetting(rt.db, SInferenceEndpoints, { urls: services.urls, timeoutMs }, 'test');
      // the settings cache follows the change by NOTIFY: wait until this process sees it
      await waitFor(
        async () => (await getSetting(rt.db, SInferenceEndpoints)).urls.sentiment === services.urls.sentiment,
        5_000,
        'the endpoints setting to propagate',
      );
      const down = await runReport('HK', '9988.HK');
      expect(down.status).toBe('complete');
      expect(section(down, 'sentiment').status).toBe('unavailable');
      expect(section(down, 'sentiment').error).toMatch(/sentiment service (unreachable|did not answer)/);
      expect(section(down, 'narrative').status).toBe('ok');
      const health = await rt.inference.health('sentiment');
      expect(health.reachable).toBe(false);
    } finally {
      await setSetting(rt.db, SInferenceEndpoints, { urls: services.urls, timeoutMs }, 'test');
    }
  });

  it('scores past forecasts against realised prices (track record)', async () => {
    const bars = await rt.db.query<{ d: string }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS d FROM daily_bars WHERE market = 'CN' AND symbol = '000001.SZ' ORDER BY date DESC LIMIT 1 OFFSET 40`,
    );
    const r = await runReport('CN', '000001.SZ', { asOf: bars[0]!.d });
    expect(r.lineage?.backtestAsOf).toBe(bars[0]!.d);
    expect(r.lineage?.quoteStatus).toBe('historical');
    const tr = await getTrackRecord(rt.db, { market: 'CN', symbol: '000001.SZ' });
    const arima = tr.models.find((m) => m.model === 'arima')!;
    const neural = tr.models.find((m) => m.model === 'neural')!;
    expect(arima.reports).toBe(1);
    expect(neural.reports).toBe(1);
    expect(arima.mapePct).toBeGreaterThan(0);
    expect(arima.mapePct).toBeLessThan(30);
    expect(arima.coverage.map((c) => c.level)).toEqual([0.8, 0.95]);
    expect([0, 1]).toContain(arima.directionHitRate);
    expect(neural.coverage).toHaveLength(1);
  });
});
