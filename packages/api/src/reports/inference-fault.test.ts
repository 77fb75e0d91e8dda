import { randomBytes } from 'node:crypto';
import type { TInferenceServiceName } from '@investiq/contracts/inference';
import {
  type FakeOpenAi,
  type ServiceProcess,
  startFakeOpenAi,
  startServiceProcess,
} from '@investiq/inference/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger';
import { createRuntime, type Runtime } from '../runtime';
import { setSetting } from '../settings/service';
import { createTestRuntime, testConfig } from '../test-support/runtime';
import { defaultAnalysisSettings } from './analysis-settings';
import { getReport } from './get-report';
import { INFERENCE_DEFAULTS, SERVICES } from './inference-gateway';
import { SAnalysisModules } from './settings';
import type { NarrativeOutput, ReportView, TReportModule } from './types';

// Fault suite (PostgreSQL pass of `npm test`): the four inference services run as separate OS processes;
// 20 reports run concurrently through the real report service while each service in turn is killed with
// SIGKILL. Every report must complete (none left running), and every section whose service was gone is
// marked unavailable with the service named — never a stuck or failed report.
const PG = process.env.TEST_DATABASE_URL;
const TOKEN = randomBytes(24).toString('hex');

/** The sections that depend on a service, and how their error names it. */
const LOST: Record<Exclude<TInferenceServiceName, 'llm'>, { modules: string[]; named: RegExp }> = {
  sentiment: { modules: ['sentiment'], named: /^sentiment service (unreachable|circuit breaker is open)/ },
  timeseries: { modules: ['forecast'], named: /^timeseries service (unreachable|circuit breaker is open)/ },
  'cpu-timeseries': {
    modules: ['indicators', 'statistics'],
    named: /^cpu-timeseries service (unreachable|circuit breaker is open)/,
  },
};
const KILL_ORDER: TInferenceServiceName[] = ['sentiment', 'timeseries', 'cpu-timeseries', 'llm'];

describe.skipIf(!PG)(
  'fault: kill -9 each inference service during 20 concurrent reports (PostgreSQL)',
  () => {
    let fake: FakeOpenAi;
    let procs: Record<TInferenceServiceName, ServiceProcess>;
    let rt: Runtime;
    /** A second web process on the same database (its own report service), as behind a load balancer. */
    let rt2: Runtime;

    beforeAll(async () => {
      fake = await startFakeOpenAi();
      const started = await Promise.all(
        SERVICES.map((name) =>
          startServiceProcess(name, {
            token: TOKEN,
            // one statistics thread keeps the run going long enough for the kills to land mid-run
            env: { LLM_UPSTREAM_URL: fake.url, CPU_WORKERS: '1' },
          }),
        ),
      );
      procs = Object.fromEntries(started.map((p) => [p.name, p])) as typeof procs;
      const inference = {
        urls: Object.fromEntries(started.map((p) => [p.name, p.url])) as Record<
          TInferenceServiceName,
          string
        >,
        timeoutMs: { ...INFERENCE_DEFAULTS.timeoutMs, llm: 10_000 },
        token: TOKEN,
        halfOpenAfterMs: 60_000,
      };
      rt = await createTestRuntime({ config: { inference } });
      // a short ARIMA window keeps 20 reports within the suite's time budget on two cores
      const analysis = defaultAnalysisSettings();
      await setSetting(
        rt.db,
        SAnalysisModules,
        { ...analysis, statistics: { ...analysis.statistics, arimaPoints: 60 } },
        'test',
      );
      rt2 = await createRuntime(testConfig({ inference }), {
        db: rt.db,
        log: createLogger({ level: 'silent' }),
        onProgress: () => {},
      });
    }, 120_000);

    afterAll(async () => {
      await rt2?.close();
      await rt?.close();
      await Promise.all(Object.values(procs ?? {}).map((p) => p.stop(2_000)));
      await fake?.close();
    });

    it('completes all 20 reports; sections that lost their service are unavailable and name it', async () => {
      // The demo market has 13 symbols and only one report per symbol runs at a time, so 7 more symbols are
      // copies of demo symbols' history (known to the database, not to the demo provider): their reports run
      // the modules that need no provider (indicators, statistics, forecast, narrative).
      const demo = await rt.db.query<{ market: 'CN' | 'HK' | 'US'; symbol: string }>(
        `SELECT market, symbol FROM symbols WHERE (market, symbol) IN (SELECT DISTINCT market, symbol FROM daily_bars)
          ORDER BY market, symbol`,
      );
      expect(demo.length).toBeGreaterThanOrEqual(13);
      const copies = demo
        .slice(0, 7)
        .map((d, i) => ({ market: d.market, symbol: `FAULT${i}`, from: d.symbol }));
      for (const c of copies) {
        await rt.db.query(
          `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source)
           SELECT market, $3, name || ' (copy)', name_zh, currency, exchange, 'test' FROM symbols
            WHERE market = $1 AND symbol = $2`,
          [c.market, c.from, c.symbol],
        );
        await rt.db.query(
          `INSERT INTO daily_bars (market, symbol, date, source, open, high, low, close, volume)
           SELECT market, $3, date, 'test', open, high, low, close, volume FROM daily_bars
            WHERE market = $1 AND symbol = $2`,
          [c.market, c.from, c.symbol],
        );
      }
      const full = demo.slice(0, 13).map((d) => ({ ref: d, modules: undefined }));
      const partial = copies.map((c) => ({
        ref: { market: c.market, symbol: c.symbol },
        modules: ['indicators', 'statistics', 'forecast', 'narrative'] as TReportModule[],
      }));
      // every wave has full reports (sentiment needs the provider's headlines); two web processes share them
      const order = [
        ...full.slice(0, 3),
        ...partial.slice(0, 2),
        ...full.slice(3, 6),
        ...partial.slice(2, 4),
        ...full.slice(6, 9),
        ...partial.slice(4, 6),
        ...full.slice(9, 13),
        ...partial.slice(6, 7),
      ];
      const requests = order.map((r, i) => ({ ...r, service: i % 2 === 0 ? rt : rt2 }));
      expect(requests).toHaveLength(20);
      const reportsOf = new Map<string, Runtime>();

      // four waves of five reports; after each wave one service is killed, so the reports of later waves are
      // created after that service is gone (and earlier waves may lose it mid-report)
      const waves: string[][] = [];
      const killedBefore = new Map<string, TInferenceServiceName[]>();
      const killed: TInferenceServiceName[] = [];
      for (let w = 0; w < 4; w++) {
        const wave: string[] = [];
        for (const { service, ref, modules } of requests.slice(w * 5, w * 5 + 5)) {
          const { id, joined } = await service.reports.create({
            ...ref,
            ...(modules ? { modules } : {}),
            language: 'en',
            createdBy: 'fault',
          });
          expect(joined).toBe(false);
          reportsOf.set(id, service);
          wave.push(id);
          killedBefore.set(id, [...killed]);
        }
        waves.push(wave);
        const victim = KILL_ORDER[w]!;
        const running = await rt.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM reports WHERE status = 'running'`,
        );
        expect(running[0]!.n, `reports running when ${victim} is killed`).toBeGreaterThan(0);
        await procs[victim].killHard();
        expect(await procs[victim].exited).toBe('SIGKILL');
        killed.push(victim);
      }

      const ids = waves.flat();
      expect(new Set(ids).size).toBe(20);
      await Promise.all(ids.map((id) => reportsOf.get(id)!.reports.wait(id)));
      const reports: ReportView[] = await Promise.all(ids.map((id) => getReport(rt.db, id)));

      for (const r of reports) {
        expect(r.status, r.symbol).toBe('complete');
        for (const s of r.sections) {
          expect(['ok', 'unavailable', 'skipped'], `${r.symbol} ${s.module}: ${s.error}`).toContain(s.status);
          if (s.status === 'unavailable') {
            // the reason names the service that was lost
            const service = Object.entries(LOST).find(([, l]) => l.modules.includes(s.module));
            expect(service, `${r.symbol} ${s.module}`).toBeTruthy();
            expect(s.error, `${r.symbol} ${s.module}`).toMatch(service![1].named);
          }
        }
        expect(r.degradedSections).toBe(r.sections.filter((s) => s.status === 'unavailable').length);
        // a service already gone when the report was created is unavailable in it, every time
        for (const gone of killedBefore.get(r.id)!) {
          if (gone === 'llm') continue;
          for (const m of LOST[gone].modules) {
            const s = r.sections.find((x) => x.module === m);
            if (!s) continue; // a report without that module
            expect(s.status, `${r.symbol} ${m} after ${gone} was killed`).toBe('unavailable');
          }
        }
        // the narrative always exists: from the LLM, or from the deterministic writer once the llm is gone
        const narrative = r.sections.find((s) => s.module === 'narrative')!;
        expect(narrative.status).toBe('ok');
        const out = narrative.output as NarrativeOutput;
        if (out.llmError) expect(out.llmError).toMatch(/^llm service/);
      }
      // each kill cost someone its section (the kills landed during the run, not after it)
      for (const gone of ['sentiment', 'timeseries', 'cpu-timeseries'] as const)
        expect(
          reports.some((r) =>
            r.sections.some((s) => LOST[gone].modules.includes(s.module) && s.status === 'unavailable'),
          ),
          gone,
        ).toBe(true);
      // before the llm died, narratives came from it; after, from the deterministic writer
      const writers = reports.map(
        (r) => (r.sections.find((s) => s.module === 'narrative')!.output as NarrativeOutput).writer,
      );
      expect(writers).toContain('deterministic');

      // nothing is left running in the database, and a report started now completes without any service
      const stuck = await rt.db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM reports WHERE status NOT IN ('complete', 'failed'))::int
            + (SELECT count(*) FROM report_sections WHERE status IN ('pending', 'running'))::int AS n`,
      );
      expect(stuck[0]!.n).toBe(0);
      const health = await rt.inference.health('cpu-timeseries');
      expect(health).toMatchObject({ reachable: false, status: 'down' });
    }, 150_000);
  },
);
