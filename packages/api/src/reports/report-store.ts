import type { DatabaseHandle } from '@investiq/db';
import type { Logger } from '../observability/logger';
import type { TAnalysisSettings } from './analysis-settings';
import type { ReportLanguage, ReportView, SectionView, TReportModule } from './types';

// The SQL of a report's life: claim (insert under a lease), sections, lease renewal, recovery, final state.

const INTERRUPTED = 'interrupted: the process running this report stopped (its lease expired)';

/**
 * Running reports whose lease expired (their process died or lost the database for a whole lease) are
 * marked failed; optionally only for one symbol. Returns their ids.
 */
export async function failExpiredReports(
  db: DatabaseHandle,
  only?: { market: string; symbol: string },
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `UPDATE reports SET status = 'failed', error = $3, finished_at = now(), lease_expires_at = NULL
      WHERE status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < now())
        AND ($1::text IS NULL OR (market = $1 AND symbol = $2))
      RETURNING id`,
    [only?.market ?? null, only?.symbol ?? null, INTERRUPTED],
  );
  return rows.map((r) => r.id);
}

/** Extends the lease of these running reports of `ownerId`. */
export async function renewReportLeases(
  db: DatabaseHandle,
  ids: string[],
  ownerId: string,
  leaseMs: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE reports SET lease_expires_at = now() + $3 * interval '1 millisecond'
      WHERE id = ANY($1::uuid[]) AND owner_id = $2 AND status = 'running'`,
    [ids, ownerId, leaseMs],
  );
}

export interface NewReportRow {
  market: string;
  symbol: string;
  modules: TReportModule[];
  params: TAnalysisSettings;
  language: ReportLanguage;
  createdBy: string | null;
  createdAt: string;
  runKey: string;
  ownerId: string;
  leaseMs: number;
}

/**
 * Inserts a running report leased to `ownerId`; when another live report runs the same symbol and run key
 * (the partial unique index), returns that one's id as `joined`. `retry`: the other ended meanwhile.
 */
export async function claimReport(
  db: DatabaseHandle,
  r: NewReportRow,
): Promise<{ id: string; joined: boolean } | { retry: unknown }> {
  try {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO reports (market, symbol, status, modules, params, language, created_by, created_at,
                            run_key, owner_id, lease_expires_at)
       VALUES ($1, $2, 'running', $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9,
               now() + $10 * interval '1 millisecond') RETURNING id`,
      [
        r.market,
        r.symbol,
        JSON.stringify(r.modules),
        JSON.stringify(r.params),
        r.language,
        r.createdBy,
        r.createdAt,
        r.runKey,
        r.ownerId,
        r.leaseMs,
      ],
    );
    return { id: row!.id, joined: false };
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
    // Another request (maybe another process) runs the same symbol and key under a live lease: join it.
    const [other] = await db.query<{ id: string }>(
      `SELECT id FROM reports WHERE market = $1 AND symbol = $2 AND run_key = $3 AND status = 'running'
          AND lease_expires_at >= now()`,
      [r.market, r.symbol, r.runKey],
    );
    return other ? { id: other.id, joined: true } : { retry: err };
  }
}

export async function insertPendingSections(
  db: DatabaseHandle,
  id: string,
  modules: TReportModule[],
): Promise<void> {
  await db.query(
    `INSERT INTO report_sections (report_id, module, status)
     SELECT $1, m, 'pending' FROM unnest($2::text[]) AS m`,
    [id, modules],
  );
}

/** Ends a still-running report as failed with `error`. */
export async function failReport(db: DatabaseHandle, id: string, error: string): Promise<void> {
  await db.query(
    `UPDATE reports SET status = 'failed', error = $2, finished_at = now(), lease_expires_at = NULL
      WHERE id = $1 AND status = 'running'`,
    [id, error],
  );
}

export async function markSectionRunning(
  db: DatabaseHandle,
  id: string,
  module: TReportModule,
  at: string,
): Promise<void> {
  await db.query(
    `UPDATE report_sections SET status = 'running', started_at = $3 WHERE report_id = $1 AND module = $2 AND status = 'pending'`,
    [id, module, at],
  );
}

export async function storeSection(db: DatabaseHandle, id: string, s: SectionView): Promise<void> {
  await db.query(
    `UPDATE report_sections SET status = $3, started_at = $4, finished_at = $5, duration_ms = $6,
            inputs_as_of = $7::jsonb, output = $8::jsonb, error = $9
      WHERE report_id = $1 AND module = $2`,
    [
      id,
      s.module,
      s.status,
      s.startedAt,
      s.finishedAt,
      s.durationMs,
      JSON.stringify(s.inputsAsOf),
      JSON.stringify(s.output),
      s.error,
    ],
  );
}

/**
 * The final state must land: retry transient failures; if it still fails, the run stops renewing the lease
 * (it leaves `live`), so a sweep marks the report failed instead of leaving it running for ever.
 */
export async function storeFinalReport(
  db: DatabaseHandle,
  view: ReportView,
  ownerId: string,
  log: Logger,
): Promise<void> {
  const finalParams = [
    view.id,
    view.status,
    view.finishedAt,
    view.durationMs,
    view.error,
    JSON.stringify(view.lineage),
    view.degradedSections,
    view.ungroundedNumbers,
    ownerId,
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
      log.warn({ err: String(err), report: view.id, attempt }, 'storing final report state failed; retrying');
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}
