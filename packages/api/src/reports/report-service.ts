import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import type { DataProvider } from '@investiq/market';
import { withSpan } from '@investiq/telemetry';
import { AppError } from '../errors';
import { requireSymbol } from '../market/get-symbol';
import type { Logger } from '../observability/logger';
import type { FreshnessOptions } from '../quotes/decide-freshness';
import { createPolicy, type NamedPolicy } from '../resilience';
import { moduleEnabled } from './analysis-settings';
import type { InferenceGateway } from './inference-gateway';
import type { ReportMetrics } from './metrics';
import { executeReport, type LiveRun } from './report-run';
import {
  claimReport,
  failExpiredReports,
  failReport,
  insertPendingSections,
  renewReportLeases,
} from './report-store';
import { followStoredReport, watchLiveRun } from './report-watch';
import { getAnalysisSettings } from './settings';
import {
  REPORT_MODULES,
  type ReportLanguage,
  type ReportView,
  type SectionView,
  type TReportModule,
} from './types';

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
        renewReportLeases(deps.db, [...this.live.keys()], this.ownerId, this.leaseMs)
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
    const ids = await failExpiredReports(this.deps.db, only);
    if (ids.length > 0) this.deps.log.warn({ reports: ids }, 'reports with an expired lease marked failed');
    return ids.length;
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
      const claimed = await claimReport(db, {
        market: input.market,
        symbol: input.symbol,
        modules,
        params,
        language: input.language,
        createdBy: input.createdBy,
        createdAt: this.deps.now().toISOString(),
        runKey,
        ownerId: this.ownerId,
        leaseMs: this.leaseMs,
      });
      if ('retry' in claimed) {
        if (attempt >= 2) throw claimed.retry; // it ended (or expired) meanwhile: try again, a bounded number of times
      } else if (claimed.joined) return claimed;
      else id = claimed.id;
    }
    const joinedMeanwhile = this.bySymbol.get(key);
    if (joinedMeanwhile && joinedMeanwhile !== id) {
      await failReport(this.deps.db, id, 'superseded: joined a concurrent identical request').catch(() => {});
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
      await insertPendingSections(db, id, modules);
    } catch (err) {
      this.bySymbol.delete(key);
      // Never leave a running report nobody runs; if even this fails, its lease expires and a sweep ends it.
      await failReport(db, id, 'report could not be started: its sections were not stored').catch((e) =>
        this.deps.log.warn({ err: String(e), report: id }, 'could not mark report failed'),
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
        executeReport(
          {
            ...this.deps,
            providerPolicy: this.providerPolicy,
            ownerId: this.ownerId,
            signal: this.stopping.signal,
          },
          run,
          {
            symbolInfo: {
              name: info.name,
              nameZh: info.name_zh,
              currency: info.currency,
              exchange: info.exchange,
              isDemo: info.is_demo,
            },
            asOf: input.asOf ?? null,
          },
        ),
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
   * to at most one per `minIntervalMs`), ending with the final stored state. A report another process runs
   * is followed by polling its stored state.
   */
  async *watch(id: string, signal: AbortSignal, minIntervalMs = 100): AsyncGenerator<ReportView> {
    const run = this.live.get(id);
    if (run) yield* watchLiveRun(this.deps.db, run, signal, minIntervalMs);
    else yield* followStoredReport(this.deps.db, id, signal, Math.max(minIntervalMs, 300));
  }
}
