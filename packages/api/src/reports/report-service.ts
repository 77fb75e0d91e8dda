import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { hasPrice, type TBar, type TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import type { DataProvider } from '@investiq/market';
import { currentTraceId, withSpan } from '@investiq/telemetry';
import { AppError } from '../errors';
import { oneBarPerDay } from '../market/bars-sql';
import { requireSymbol } from '../market/get-symbol';
import type { Logger } from '../observability/logger';
import { readCloseChecks } from '../providers/cross-check';
import { SProviderCrossCheck } from '../providers/settings';
import type { FreshnessOptions } from '../quotes/decide-freshness';
import { createPolicy, type NamedPolicy } from '../resilience';
import { getSetting } from '../settings/service';
import { type ModuleContext, type ModuleResult, SectionSkipped } from './context';
import { syncInferenceEndpoints } from './endpoints';
import { getReport } from './get-report';
import {
  type InferenceGateway,
  SERVICES,
  type ServiceHealthView,
  ServiceUnavailableError,
} from './inference-gateway';
import type { ReportMetrics } from './metrics';
import { runForecast } from './modules/forecast';
import { runIndicators } from './modules/indicators';
import { runNarrative } from './modules/narrative';
import { runProfile } from './modules/profile';
import { runSentiment } from './modules/sentiment';
import { runStatistics } from './modules/statistics';
import { runSchedule, type ScheduledModule } from './scheduler';
import { getAnalysisSettings } from './settings';
import {
  type Lineage,
  moduleEnabled,
  type ProfileOutput,
  REPORT_MODULES,
  type ReportLanguage,
  type ReportView,
  type SectionStatus,
  type SectionView,
  type SentimentOutput,
  type TAnalysisSettings,
  type TReportModule,
} from './types';

type Runner = (ctx: ModuleContext, signal: AbortSignal) => Promise<ModuleResult>;

const RUNNERS: Record<TReportModule, { deps: TReportModule[]; run: Runner }> = {
  profile: { deps: [], run: runProfile },
  indicators: { deps: [], run: runIndicators },
  statistics: { deps: [], run: runStatistics },
  forecast: { deps: [], run: runForecast },
  sentiment: { deps: [], run: runSentiment },
  narrative: { deps: ['profile', 'indicators', 'statistics', 'forecast', 'sentiment'], run: runNarrative },
};

/** Which services' models a module's output depends on (lineage). */
const MODULE_SERVICES: Record<TReportModule, string[]> = {
  profile: [],
  indicators: ['cpu-timeseries'],
  statistics: ['cpu-timeseries'],
  forecast: ['timeseries'],
  sentiment: ['sentiment'],
  narrative: ['llm'],
};

export interface CreateReportInput {
  market: TMarket;
  symbol: string;
  modules?: TReportModule[];
  language: ReportLanguage;
  createdBy: string | null;
  /** Backtest: build the report from data up to this date (YYYY-MM-DD), no live quote. */
  asOf?: string;
}

export interface ReportServiceDeps {
  db: DatabaseHandle;
  provider: DataProvider;
  inference: InferenceGateway;
  log: Logger;
  now: () => Date;
  quoteMaxAgeSeconds: number;
  quoteFreshness?: FreshnessOptions;
  metrics?: ReportMetrics;
  /** How long a running report stays claimed without a heartbeat (default 30 s; renewed every third). */
  leaseMs?: number;
}

/** What a second request must match to join a running report instead of starting its own. */
export function reportRunKey(input: { asOf?: string | null; language: string; modules: readonly string[] }) {
  return `${input.asOf ?? 'live'}|${input.language}|${input.modules.join(',')}`;
}

const INTERRUPTED = 'interrupted: the process running this report stopped (its lease expired)';

interface LiveRun {
  view: ReportView;
  events: EventEmitter;
  done: Promise<void>;
}

/**
 * Creates and runs reports. A report's modules run as a dependency graph (independent ones concurrently);
 * each section's state is persisted as it changes and pushed to watchers. One report per symbol and run key
 * (as-of date, language, modules) runs at a time: a second identical request joins the running one
 * (in-process map, and a partial unique index across processes). Running reports are leased to this
 * service (`ownerId`) and renewed by a heartbeat; reports whose lease expired are recovered as failed by
 * a periodic sweep and before every create, so a dead process never leaves a report that others join.
 */
export class ReportService {
  private readonly live = new Map<string, LiveRun>();
  private readonly bySymbol = new Map<string, string>();
  private readonly stopping = new AbortController();
  readonly providerPolicy: NamedPolicy;
  readonly ownerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly leaseMs: number;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly deps: ReportServiceDeps) {
    this.leaseMs = deps.leaseMs ?? 30_000;
    this.heartbeat = setInterval(
      () => {
        this.renewLeases()
          .then(() => this.recoverExpired())
          .catch((err) => deps.log.warn({ err: String(err) }, 'report lease heartbeat failed'));
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    this.heartbeat.unref();
    this.providerPolicy = createPolicy(`provider:${deps.provider.id}:reports`, {
      timeoutMs: 10_000,
      retries: 2,
      breakerThreshold: 5,
      halfOpenAfterMs: 30_000,
      maxConcurrent: 8,
      maxQueue: 64,
    });
  }

  /**
   * Running reports whose lease expired (their process died or lost the database for a whole lease) are
   * marked failed; optionally only for one symbol. Reports whose owner is alive are left alone.
   */
  async recoverExpired(only?: { market: string; symbol: string }): Promise<number> {
    const rows = await this.deps.db.query<{ id: string }>(
      `UPDATE reports SET status = 'failed', error = $3, finished_at = now(), lease_expires_at = NULL
        WHERE status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < now())
          AND ($1::text IS NULL OR (market = $1 AND symbol = $2))
        RETURNING id`,
      [only?.market ?? null, only?.symbol ?? null, INTERRUPTED],
    );
    if (rows.length > 0)
      this.deps.log.warn({ reports: rows.map((r) => r.id) }, 'reports with an expired lease marked failed');
    return rows.length;
  }

  /** Extend the lease of every report this service is running. */
  private async renewLeases(): Promise<void> {
    const ids = [...this.live.keys()];
    if (ids.length === 0) return;
    await this.deps.db.query(
      `UPDATE reports SET lease_expires_at = now() + $3 * interval '1 millisecond'
        WHERE id = ANY($1::uuid[]) AND owner_id = $2 AND status = 'running'`,
      [ids, this.ownerId, this.leaseMs],
    );
  }

  /** Starts a report (or joins the one running for this symbol). Returns at once; the run continues. */
  async create(input: CreateReportInput): Promise<{ id: string; joined: boolean }> {
    const { db } = this.deps;
    if (this.stopping.signal.aborted)
      throw new AppError('SERVICE_UNAVAILABLE', 'the server is shutting down');
    const info = await requireSymbol(db, input.market, input.symbol);
    if (input.asOf !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.asOf) || Number.isNaN(Date.parse(input.asOf)))
        throw new AppError('BAD_REQUEST', `asOf must be a date YYYY-MM-DD, got '${input.asOf}'`);
      if (input.asOf >= this.deps.now().toISOString().slice(0, 10))
        throw new AppError(
          'BAD_REQUEST',
          'asOf must be a past date (a backtest); leave it out for a current report',
        );
    }
    const params = await getAnalysisSettings(db);
    const requested = input.modules?.length ? input.modules : [...REPORT_MODULES];
    const modules = REPORT_MODULES.filter((m) => requested.includes(m) && moduleEnabled(params, m));
    if (modules.length === 0)
      throw new AppError(
        'BAD_REQUEST',
        'no module to run: the requested modules are all disabled in settings',
      );

    const runKey = reportRunKey({ asOf: input.asOf, language: input.language, modules });
    const key = `${input.market}:${input.symbol}|${runKey}`;
    const running = this.bySymbol.get(key);
    if (running) return { id: running, joined: true };

    let id: string | null = null;
    for (let attempt = 0; id === null; attempt++) {
      // A report whose owner is gone must not be joined (nor block this one): recover it first.
      await this.recoverExpired({ market: input.market, symbol: input.symbol });
      try {
        const [row] = await db.query<{ id: string }>(
          `INSERT INTO reports (market, symbol, status, modules, params, language, created_by, created_at,
                                run_key, owner_id, lease_expires_at)
           VALUES ($1, $2, 'running', $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9,
                   now() + $10 * interval '1 millisecond') RETURNING id`,
          [
            input.market,
            input.symbol,
            JSON.stringify(modules),
            JSON.stringify(params),
            input.language,
            input.createdBy,
            this.deps.now().toISOString(),
            runKey,
            this.ownerId,
            this.leaseMs,
          ],
        );
        id = row!.id;
      } catch (err) {
        if ((err as { code?: string }).code !== '23505') throw err;
        // Another request (maybe another process) runs the same symbol and key under a live lease: join it.
        const [other] = await db.query<{ id: string }>(
          `SELECT id FROM reports WHERE market = $1 AND symbol = $2 AND run_key = $3 AND status = 'running'
              AND lease_expires_at >= now()`,
          [input.market, input.symbol, runKey],
        );
        if (other) return { id: other.id, joined: true };
        if (attempt >= 2) throw err; // it ended (or expired) meanwhile: try again, a bounded number of times
      }
    }
    const joinedMeanwhile = this.bySymbol.get(key);
    if (joinedMeanwhile && joinedMeanwhile !== id) {
      await this.finishRow(id, 'failed', 'superseded: joined a concurrent identical request').catch(() => {});
      return { id: joinedMeanwhile, joined: true };
    }
    this.bySymbol.set(key, id);

    const sections: SectionView[] = modules.map((m) => ({
      module: m,
      status: 'pending',
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      inputsAsOf: null,
      output: null,
      error: null,
    }));
    try {
      await db.query(
        `INSERT INTO report_sections (report_id, module, status)
         SELECT $1, m, 'pending' FROM unnest($2::text[]) AS m`,
        [id, modules],
      );
    } catch (err) {
      this.bySymbol.delete(key);
      // Never leave a running report nobody runs; if even this fails, its lease expires and a sweep ends it.
      await this.finishRow(id, 'failed', 'report could not be started: its sections were not stored').catch(
        (e) => this.deps.log.warn({ err: String(e), report: id }, 'could not mark report failed'),
      );
      throw err;
    }
    const view: ReportView = {
      id,
      market: input.market,
      symbol: input.symbol,
      status: 'running',
      modules,
      params,
      language: input.language,
      createdBy: input.createdBy,
      createdAt: this.deps.now().toISOString(),
      finishedAt: null,
      durationMs: null,
      error: null,
      lineage: null,
      degradedSections: 0,
      ungroundedNumbers: null,
      sections,
    };
    const events = new EventEmitter();
    events.setMaxListeners(0);
    const run: LiveRun = { view, events, done: Promise.resolve() };
    this.live.set(id, run);
    const reportId = id;
    // the run's own span (child of the tRPC call's), open until the report is stored
    run.done = withSpan(
      'report.run',
      { 'report.id': reportId, 'report.market': input.market, 'report.symbol': input.symbol },
      () =>
        this.execute(run, {
          symbolInfo: {
            name: info.name,
            nameZh: info.name_zh,
            currency: info.currency,
            exchange: info.exchange,
            isDemo: info.is_demo,
          },
          asOf: input.asOf ?? null,
        }),
    )
      .catch((err) => this.deps.log.error({ err, report: reportId }, 'report run failed'))
      .finally(() => {
        this.bySymbol.delete(key);
        this.live.delete(reportId);
        events.emit('change');
        events.emit('end');
      });
    return { id, joined: false };
  }

  /** Resolves when the report (if running in this process) has finished. */
  async wait(id: string): Promise<void> {
    await this.live.get(id)?.done;
  }

  /** Aborts running reports (their sections end unavailable) and waits for them to be stored. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.stopping.abort(new Error('server shutting down'));
    await Promise.all([...this.live.values()].map((r) => r.done));
  }

  running(): string[] {
    return [...this.live.keys()];
  }

  /**
   * Snapshots of a report as it progresses: the current state first, then one after each change (coalesced
   * to at most one per `minIntervalMs`), ending with the final stored state.
   */
  async *watch(id: string, signal: AbortSignal, minIntervalMs = 100): AsyncGenerator<ReportView> {
    const run = this.live.get(id);
    if (!run) {
      yield* this.follow(id, signal, Math.max(minIntervalMs, 300));
      return;
    }
    let dirty = true;
    let ended = false;
    let wake: (() => void) | null = null;
    const onChange = () => {
      dirty = true;
      wake?.();
    };
    const onEnd = () => {
      ended = true;
      wake?.();
    };
    run.events.on('change', onChange);
    run.events.on('end', onEnd);
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted && !ended) {
        if (dirty) {
          dirty = false;
          yield structuredClone(run.view);
          await new Promise((r) => setTimeout(r, minIntervalMs));
          continue;
        }
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = null;
      }
      if (!signal.aborted) yield await getReport(this.deps.db, id);
    } finally {
      run.events.off('change', onChange);
      run.events.off('end', onEnd);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A report this process does not run (another web process behind the same proxy does): poll its stored
   * state and yield each change until it leaves `running` (or its lease expires and a sweep ends it).
   */
  private async *follow(id: string, signal: AbortSignal, pollMs: number): AsyncGenerator<ReportView> {
    let last = '';
    while (!signal.aborted) {
      const view = await getReport(this.deps.db, id);
      const text = JSON.stringify(view);
      if (text !== last) {
        last = text;
        yield view;
      }
      if (view.status !== 'running') return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, pollMs);
        function done() {
          clearTimeout(t);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  private async finishRow(id: string, status: 'failed', error: string): Promise<void> {
    await this.deps.db.query(
      `UPDATE reports SET status = $2, error = $3, finished_at = now(), lease_expires_at = NULL
        WHERE id = $1 AND status = 'running'`,
      [id, status, error],
    );
  }

  private async execute(
    run: LiveRun,
    extra: { symbolInfo: ModuleContext['symbolInfo']; asOf: string | null },
  ): Promise<void> {
    const { db, now, inference } = this.deps;
    const view = run.view;
    const t0 = now();
    const changed = () => run.events.emit('change');
    const section = (m: TReportModule) => view.sections.find((s) => s.module === m)!;

    try {
      await syncInferenceEndpoints(db, inference);
      const [bars, health] = await Promise.all([
        loadBars(db, view.market, view.symbol, view.params.historyBars, extra.asOf),
        Promise.all(SERVICES.map((s) => inference.health(s))).then(
          (hs) => Object.fromEntries(hs.map((h) => [h.service, h])) as Record<string, ServiceHealthView>,
        ),
      ]);
      const ctx: ModuleContext = {
        db,
        provider: this.deps.provider,
        providerPolicy: this.providerPolicy,
        inference,
        now,
        market: view.market,
        symbol: view.symbol,
        symbolInfo: extra.symbolInfo,
        bars,
        params: view.params,
        language: view.language,
        backtestAsOf: extra.asOf,
        quoteMaxAgeSeconds: this.deps.quoteMaxAgeSeconds,
        quoteFreshness: this.deps.quoteFreshness,
        health,
        outputs: {},
        states: () => view.sections.map((s) => ({ module: s.module, status: s.status, reason: s.error })),
        onNarrativeDelta: (text) => {
          const s = section('narrative');
          const prev = (s.output as { text?: string; streaming?: boolean } | null)?.text ?? '';
          s.output = { text: prev + text, streaming: true };
          changed();
        },
      };
      const scheduled: ScheduledModule<TReportModule, ModuleResult>[] = view.modules.map((m) => ({
        name: m,
        deps: RUNNERS[m].deps.filter((d) => view.modules.includes(d)),
        run: (signal) =>
          withSpan(`report.module ${m}`, { 'report.module': m }, () => RUNNERS[m].run(ctx, signal)),
      }));
      await runSchedule(scheduled, {
        now,
        signal: this.stopping.signal,
        onStart: (m, at) => {
          const s = section(m);
          s.status = 'running';
          s.startedAt = at.toISOString();
          changed();
          void db
            .query(
              `UPDATE report_sections SET status = 'running', started_at = $3 WHERE report_id = $1 AND module = $2 AND status = 'pending'`,
              [view.id, m, at.toISOString()],
            )
            .catch((err) => this.deps.log.warn({ err: String(err) }, 'section start not persisted'));
        },
        onSettle: async (m, outcome) => {
          const s = section(m);
          s.finishedAt = outcome.finishedAt.toISOString();
          s.durationMs = outcome.finishedAt.getTime() - outcome.startedAt.getTime();
          if (outcome.ok) {
            s.status = 'ok';
            s.output = outcome.value.output;
            s.inputsAsOf = outcome.value.inputsAsOf;
            s.error = null;
            ctx.outputs[m] = outcome.value.output;
          } else {
            const e = outcome.error;
            s.status = statusOf(e);
            s.error = e instanceof Error ? e.message : String(e);
            if (s.status === 'failed')
              this.deps.log.error({ err: e, report: view.id, module: m }, 'report module failed');
            s.output = null;
          }
          this.deps.metrics?.sections.inc({ module: m, status: s.status });
          await db.query(
            `UPDATE report_sections SET status = $3, started_at = $4, finished_at = $5, duration_ms = $6,
                    inputs_as_of = $7::jsonb, output = $8::jsonb, error = $9
              WHERE report_id = $1 AND module = $2`,
            [
              view.id,
              m,
              s.status,
              s.startedAt,
              s.finishedAt,
              s.durationMs,
              JSON.stringify(s.inputsAsOf),
              JSON.stringify(s.output),
              s.error,
            ],
          );
          changed();
        },
      });
      view.lineage = {
        ...buildLineage(this.deps.provider.id, view, bars, health, extra.asOf),
        ...(await lineageSources(db, view, extra.asOf).catch((err) => {
          this.deps.log.warn({ err: String(err), report: view.id }, 'report lineage sources unavailable');
          return {};
        })),
        traceId: currentTraceId(),
      };
      view.status = 'complete';
    } catch (err) {
      view.status = 'failed';
      view.error = err instanceof AppError ? err.message : `report failed: ${(err as Error).message}`;
      this.deps.log.error({ err, report: view.id }, 'report failed');
    }
    const t1 = now();
    view.finishedAt = t1.toISOString();
    view.durationMs = t1.getTime() - t0.getTime();
    view.degradedSections = view.sections.filter(
      (s) => s.status === 'unavailable' || s.status === 'failed',
    ).length;
    const narrative = view.sections.find((s) => s.module === 'narrative' && s.status === 'ok');
    view.ungroundedNumbers = narrative
      ? ((narrative.output as { grounding: { unmatched: unknown[] } }).grounding.unmatched.length ?? null)
      : null;
    this.deps.metrics?.reportDuration.observe({ status: view.status }, view.durationMs / 1000);
    if (view.ungroundedNumbers) this.deps.metrics?.ungrounded.inc(view.ungroundedNumbers);
    // The final state must land: retry transient failures; if it still fails, this run stops renewing the
    // lease (it leaves `live`), so a sweep marks the report failed instead of leaving it running for ever.
    const finalParams = [
      view.id,
      view.status,
      view.finishedAt,
      view.durationMs,
      view.error,
      JSON.stringify(view.lineage),
      view.degradedSections,
      view.ungroundedNumbers,
      this.ownerId,
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        await db.query(
          `UPDATE reports SET status = $2, finished_at = $3, duration_ms = $4, error = $5, lineage = $6::jsonb,
                  degraded_sections = $7, ungrounded_numbers = $8, lease_expires_at = NULL
            WHERE id = $1 AND (owner_id = $9 OR owner_id IS NULL)`,
          finalParams,
        );
        return;
      } catch (err) {
        if (attempt >= 4) throw err;
        this.deps.log.warn(
          { err: String(err), report: view.id, attempt },
          'storing final report state failed; retrying',
        );
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }
}

function statusOf(err: unknown): SectionStatus {
  if (err instanceof SectionSkipped) return 'skipped';
  if (err instanceof ServiceUnavailableError) return 'unavailable';
  return 'failed';
}

export async function loadBars(
  db: DatabaseHandle,
  market: string,
  symbol: string,
  limit: number,
  asOf: string | null,
): Promise<TBar[]> {
  const rows = await db.query<{ d: string; o: number; h: number; l: number; c: number; v: number }>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS d, open::float8 AS o, high::float8 AS h, low::float8 AS l,
            close::float8 AS c, volume::float8 AS v
       FROM (SELECT * FROM ${oneBarPerDay('$1', '$2')} one WHERE ($4::date IS NULL OR date <= $4::date)
             ORDER BY date DESC LIMIT $3) x
      ORDER BY date`,
    [market, symbol, limit, asOf],
  );
  return rows.map((r) => ({ time: r.d, open: r.o, high: r.h, low: r.l, close: r.c, volume: r.v }));
}

/** The provider of each input, and the daily-close cross-check of two sources (when configured). */
async function lineageSources(
  db: DatabaseHandle,
  view: ReportView,
  asOf: string | null,
): Promise<Pick<Lineage, 'sources' | 'closeCheck'>> {
  const [bar] = await db.query<{ source: string }>(
    `SELECT source FROM ${oneBarPerDay('$1', '$2')} one WHERE ($3::date IS NULL OR date <= $3::date)
      ORDER BY date DESC LIMIT 1`,
    [view.market, view.symbol, asOf],
  );
  const output = (m: string) => view.sections.find((s) => s.module === m)?.output ?? null;
  const profile = output('profile') as ProfileOutput | null;
  const sentiment = output('sentiment') as SentimentOutput | null;
  const sources: Record<string, string | null> = {
    dailyBars: bar?.source ?? null,
    quote: hasPrice(profile?.quote) ? profile.quote.quote.source : null,
    fundamentals: profile?.fundamentalsSource ?? null,
    news: sentiment?.newsProvider ?? null,
  };
  const { thresholdPercent } = await getSetting(db, SProviderCrossCheck);
  const [check] = await readCloseChecks(db, {
    thresholdPercent,
    ref: { market: view.market as TMarket, symbol: view.symbol },
  });
  return {
    sources,
    closeCheck: check
      ? {
          date: check.date,
          closes: check.closes,
          diffPercent: check.diffPercent,
          thresholdPercent,
          flagged: check.flagged,
        }
      : null,
  };
}

function buildLineage(
  provider: string,
  view: ReportView,
  bars: TBar[],
  health: Record<string, ServiceHealthView>,
  asOf: string | null,
): Lineage {
  const dataAsOf: Record<string, string | null> = { dailyBars: bars.at(-1)?.time ?? null };
  for (const s of view.sections)
    for (const [k, v] of Object.entries(s.inputsAsOf ?? {})) if (v) dataAsOf[k] = v;
  const profile = view.sections.find((s) => s.module === 'profile')?.output as {
    quote?: { status: string } | null;
  } | null;
  const models: Lineage['models'] = {};
  for (const m of view.modules)
    for (const svc of MODULE_SERVICES[m]) {
      const h = health[svc];
      models[svc] =
        h?.reachable && h.model
          ? {
              name: h.model.name,
              version: h.model.version,
              sha256: h.model.sha256,
              executionProvider: h.model.executionProvider,
              url: h.url,
            }
          : null;
    }
  const narrative = view.sections.find((s) => s.module === 'narrative')?.output as {
    template?: Lineage['template'];
  } | null;
  return {
    provider,
    dataAsOf,
    quoteStatus: asOf ? 'historical' : ((profile?.quote?.status as Lineage['quoteStatus']) ?? null),
    models,
    template: narrative?.template ?? null,
    params: view.params as TAnalysisSettings,
    backtestAsOf: asOf,
  };
}
