import type { DatabaseHandle } from '@investiq/db';
import type { Registry } from 'prom-client';
import type { CollectorStatus } from '../collector/collector';
import type { RecentLogEntry, RecentLogs } from '../observability/recent-errors';
import { inferenceHealth } from '../reports/health';
import type { InferenceGateway } from '../reports/inference-gateway';
import { type ProviderBudget, readProviderBudgets } from './read-provider-budgets';

export interface OperationsOverview {
  at: string;
  database: { kind: string; ok: boolean; latencyMs: number | null; error: string | null };
  services: {
    service: string;
    url: string;
    reachable: boolean;
    status: string;
    breaker: string;
    queueDepth: number | null;
    queueMax: number | null;
    model: string | null;
    provider: string | null;
    error: string | null;
  }[];
  /** This process's collector (on PostgreSQL it usually runs as its own process: see ingest below). */
  collector: CollectorStatus;
  /** Quotes stored, as seen by the database (so it counts every process's ingest). */
  ingest: {
    rowsLastMinute: number;
    rowsLast5Minutes: number;
    perSecond: number;
    lastReceivedAt: string | null;
    lagSeconds: number | null;
  };
  /** Reports created in the last hour by status, and the failure ratio of the finished ones. */
  reports: {
    running: number;
    complete: number;
    failed: number;
    degradedSections: number;
    failureRatio: number;
  };
  /** Per data provider: budget used, breaker, outcomes (this process's metrics); null = none recorded here. */
  providers: ProviderBudget[] | null;
  recentErrors: RecentLogEntry[];
}

/**
 * One read of everything the Operations page shows. Each part is measured independently: a database that
 * does not answer still leaves the inference services and the error list visible.
 */
export async function getOperationsOverview(deps: {
  db: DatabaseHandle;
  gateway: InferenceGateway;
  collector: { status(): CollectorStatus };
  recentLogs: RecentLogs;
  /** The process's prom-client registry (the provider metrics are read from it). */
  metrics: Registry;
  now: () => Date;
}): Promise<OperationsOverview> {
  const now = deps.now();
  const [database, services, ingest, reports, providers] = await Promise.all([
    probeDatabase(deps.db),
    inferenceHealth(deps.gateway).then((h) =>
      Object.values(h.services).map((s) => ({
        service: s.service,
        url: s.url,
        reachable: s.reachable,
        status: s.status,
        breaker: s.breaker,
        queueDepth: s.reachable ? s.queue.depth : null,
        queueMax: s.reachable ? s.queue.max : null,
        model: s.reachable && s.model ? `${s.model.name} ${s.model.version}` : null,
        provider: s.reachable && s.model ? s.model.executionProvider : null,
        error: s.reachable ? (s.error ?? null) : s.error,
      })),
    ),
    ingestStats(deps.db, now).catch(() => null),
    reportStats(deps.db, now).catch(() => null),
    readProviderBudgets(deps.metrics).catch(() => null),
  ]);
  return {
    at: now.toISOString(),
    database,
    services,
    collector: deps.collector.status(),
    ingest: ingest ?? {
      rowsLastMinute: 0,
      rowsLast5Minutes: 0,
      perSecond: 0,
      lastReceivedAt: null,
      lagSeconds: null,
    },
    reports: reports ?? { running: 0, complete: 0, failed: 0, degradedSections: 0, failureRatio: 0 },
    providers,
    recentErrors: deps.recentLogs.list(50),
  };
}

async function probeDatabase(db: DatabaseHandle): Promise<OperationsOverview['database']> {
  const t0 = performance.now();
  try {
    await db.query('SELECT 1');
    return {
      kind: db.kind,
      ok: true,
      latencyMs: Math.round((performance.now() - t0) * 10) / 10,
      error: null,
    };
  } catch (err) {
    return {
      kind: db.kind,
      ok: false,
      latencyMs: null,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

async function ingestStats(db: DatabaseHandle, now: Date): Promise<OperationsOverview['ingest']> {
  // ts bound first: partition pruning keeps this to the newest partitions
  const rows = await db.query<{ m1: number; m5: number; last: string | Date | null }>(
    `SELECT count(*) FILTER (WHERE received_at >= $2::timestamptz - interval '1 minute')::int AS m1,
            count(*) FILTER (WHERE received_at >= $2::timestamptz - interval '5 minutes')::int AS m5,
            max(received_at) AS last
       FROM realtime_quotes
      WHERE ts >= $1 AND received_at >= $2::timestamptz - interval '5 minutes' AND received_at <= $2`,
    [new Date(now.getTime() - 86_400_000).toISOString(), now.toISOString()],
  );
  const r = rows[0];
  const last = r?.last ? new Date(r.last) : null;
  return {
    rowsLastMinute: r?.m1 ?? 0,
    rowsLast5Minutes: r?.m5 ?? 0,
    perSecond: Math.round(((r?.m1 ?? 0) / 60) * 100) / 100,
    lastReceivedAt: last?.toISOString() ?? null,
    lagSeconds: last ? Math.max(0, Math.round((now.getTime() - last.getTime()) / 100) / 10) : null,
  };
}

async function reportStats(db: DatabaseHandle, now: Date): Promise<OperationsOverview['reports']> {
  const rows = await db.query<{ status: string; n: number; degraded: number }>(
    `SELECT status, count(*)::int AS n, coalesce(sum(degraded_sections), 0)::int AS degraded
       FROM reports WHERE created_at >= $1 GROUP BY status`,
    [new Date(now.getTime() - 3_600_000).toISOString()],
  );
  const by = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
  const complete = by('complete');
  const failed = by('failed');
  return {
    running: by('running'),
    complete,
    failed,
    degradedSections: rows.reduce((a, r) => a + r.degraded, 0),
    failureRatio: complete + failed > 0 ? Math.round((failed / (complete + failed)) * 1000) / 1000 : 0,
  };
}
