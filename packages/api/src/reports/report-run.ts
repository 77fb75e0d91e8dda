import type { EventEmitter } from 'node:events';
import type { DatabaseHandle } from '@investiq/db';
import type { DataProvider } from '@investiq/market';
import { currentTraceId, withSpan } from '@investiq/telemetry';
import { AppError } from '../errors';
import type { Logger } from '../observability/logger';
import type { FreshnessOptions } from '../quotes/decide-freshness';
import type { NamedPolicy } from '../resilience';
import type { TAnalysisSettings } from './analysis-settings';
import { type ModuleContext, type ModuleResult, SectionSkipped } from './context';
import { syncInferenceEndpoints } from './endpoints';
import { type InferenceGateway, ServiceUnavailableError } from './inference-gateway';
import type { ReportMetrics } from './metrics';
import type { AnyReportModule } from './module';
import { moduleDef } from './modules';
import { loadBars, servicesHealth } from './report-inputs';
import { buildLineage, lineageSources } from './report-lineage';
import { markSectionRunning, storeFinalReport, storeSection } from './report-store';
import { runSchedule, type ScheduledModule } from './scheduler';
import type { ReportView, SectionStatus, TReportModule } from './types';

/** A report this process runs: its live view (pushed to watchers on every `change`) and completion. */
export interface LiveRun {
  view: ReportView;
  events: EventEmitter;
  done: Promise<void>;
}

export interface RunDeps {
  db: DatabaseHandle;
  provider: DataProvider;
  providerPolicy: NamedPolicy;
  inference: InferenceGateway;
  log: Logger;
  now: () => Date;
  quoteMaxAgeSeconds: number;
  quoteFreshness?: FreshnessOptions | undefined;
  metrics?: ReportMetrics | undefined;
  ownerId: string;
  /** Aborted when the service closes: running modules end unavailable. */
  signal: AbortSignal;
}

/** Runs one module with its own slice of the settings as `params`. */
export function runModule(
  m: AnyReportModule,
  ctx: ModuleContext<TAnalysisSettings>,
  signal: AbortSignal,
): Promise<ModuleResult> {
  const params = m.params ? (ctx.params as Record<string, unknown>)[m.name] : undefined;
  return m.run({ ...ctx, params }, signal);
}

function statusOf(err: unknown): SectionStatus {
  if (err instanceof SectionSkipped) return 'skipped';
  if (err instanceof ServiceUnavailableError) return 'unavailable';
  return 'failed';
}

/**
 * Runs a report's modules as a dependency graph, persisting and publishing each section's state as it
 * changes, then its lineage and final state.
 */
export async function executeReport(
  deps: RunDeps,
  run: LiveRun,
  extra: { symbolInfo: ModuleContext['symbolInfo']; asOf: string | null },
): Promise<void> {
  const { db, now, inference, log } = deps;
  const view = run.view;
  const t0 = now();
  const changed = () => run.events.emit('change');
  const section = (m: TReportModule) => view.sections.find((s) => s.module === m)!;

  try {
    await syncInferenceEndpoints(db, inference);
    const [bars, health] = await Promise.all([
      loadBars(db, view.market, view.symbol, view.params.historyBars, extra.asOf),
      servicesHealth(inference),
    ]);
    const ctx: ModuleContext<TAnalysisSettings> = {
      db,
      provider: deps.provider,
      providerPolicy: deps.providerPolicy,
      inference,
      now,
      market: view.market,
      symbol: view.symbol,
      symbolInfo: extra.symbolInfo,
      bars,
      params: view.params,
      language: view.language,
      backtestAsOf: extra.asOf,
      quoteMaxAgeSeconds: deps.quoteMaxAgeSeconds,
      quoteFreshness: deps.quoteFreshness,
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
      deps: moduleDef(m).deps.filter((d) => view.modules.includes(d)),
      run: (signal) =>
        withSpan(`report.module ${m}`, { 'report.module': m }, () => runModule(moduleDef(m), ctx, signal)),
    }));
    await runSchedule(scheduled, {
      now,
      signal: deps.signal,
      onStart: (m, at) => {
        const s = section(m);
        s.status = 'running';
        s.startedAt = at.toISOString();
        changed();
        void markSectionRunning(db, view.id, m, at.toISOString()).catch((err) =>
          log.warn({ err: String(err) }, 'section start not persisted'),
        );
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
            log.error({ err: e, report: view.id, module: m }, 'report module failed');
          s.output = null;
        }
        deps.metrics?.sections.inc({ module: m, status: s.status });
        await storeSection(db, view.id, s);
        changed();
      },
    });
    view.lineage = {
      ...buildLineage(deps.provider.id, view, bars, health, extra.asOf),
      ...(await lineageSources(db, view, extra.asOf).catch((err) => {
        log.warn({ err: String(err), report: view.id }, 'report lineage sources unavailable');
        return {};
      })),
      traceId: currentTraceId(),
    };
    view.status = 'complete';
  } catch (err) {
    view.status = 'failed';
    view.error = err instanceof AppError ? err.message : `report failed: ${(err as Error).message}`;
    log.error({ err, report: view.id }, 'report failed');
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
  deps.metrics?.reportDuration.observe({ status: view.status }, view.durationMs / 1000);
  if (view.ungroundedNumbers) deps.metrics?.ungrounded.inc(view.ungroundedNumbers);
  await storeFinalReport(db, view, deps.ownerId, log);
}
