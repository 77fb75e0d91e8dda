import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import {
  REPORT_MODULES,
  type ReportStatus,
  type ReportView,
  type SectionView,
  type TReportModule,
} from './types';

interface ReportRow {
  id: string;
  market: TMarket;
  symbol: string;
  status: ReportStatus;
  modules: TReportModule[];
  params: ReportView['params'];
  language: ReportView['language'];
  created_by: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
  duration_ms: number | null;
  error: string | null;
  lineage: ReportView['lineage'];
  degraded_sections: number;
  ungrounded_numbers: number | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertReportId(id: string): void {
  if (!UUID.test(id)) throw new AppError('BAD_REQUEST', `report id '${id}' is not a UUID`);
}

export async function getReport(db: DatabaseHandle, id: string): Promise<ReportView> {
  assertReportId(id);
  const [r] = await db.query<ReportRow>('SELECT * FROM reports WHERE id = $1', [id]);
  if (!r) throw new AppError('NOT_FOUND', `no report ${id}`);
  const rows = await db.query<{
    module: TReportModule;
    status: SectionView['status'];
    started_at: Date | string | null;
    finished_at: Date | string | null;
    duration_ms: number | null;
    inputs_as_of: SectionView['inputsAsOf'];
    output: unknown;
    error: string | null;
  }>('SELECT * FROM report_sections WHERE report_id = $1', [id]);
  const sections = rows
    .map((s) => ({
      module: s.module,
      status: s.status,
      startedAt: iso(s.started_at),
      finishedAt: iso(s.finished_at),
      durationMs: s.duration_ms,
      inputsAsOf: s.inputs_as_of,
      output: s.output,
      error: s.error,
    }))
    .sort((a, b) => REPORT_MODULES.indexOf(a.module) - REPORT_MODULES.indexOf(b.module));
  return {
    id: r.id,
    market: r.market,
    symbol: r.symbol,
    status: r.status,
    modules: r.modules,
    params: r.params,
    language: r.language,
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
    error: r.error,
    lineage: r.lineage,
    degradedSections: r.degraded_sections,
    ungroundedNumbers: r.ungrounded_numbers,
    sections,
  };
}

export interface ReportSummary {
  id: string;
  market: TMarket;
  symbol: string;
  status: ReportStatus;
  createdAt: string;
  createdBy: string | null;
  durationMs: number | null;
  degradedSections: number;
  ungroundedNumbers: number | null;
  backtestAsOf: string | null;
}

/** Newest first; filter by symbol (substring, case-insensitive) and status; keyset pagination by time. */
export async function listReports(
  db: DatabaseHandle,
  q: { symbol?: string; market?: TMarket; status?: ReportStatus; limit: number; before?: string },
): Promise<ReportSummary[]> {
  const rows = await db.query<ReportRow>(
    `SELECT id, market, symbol, status, created_at, created_by, duration_ms, degraded_sections, ungrounded_numbers,
            lineage
       FROM reports
      WHERE ($1::text IS NULL OR symbol ILIKE '%' || $1 || '%')
        AND ($2::text IS NULL OR market = $2)
        AND ($3::text IS NULL OR status = $3)
        AND ($4::timestamptz IS NULL OR created_at < $4)
      ORDER BY created_at DESC LIMIT $5`,
    [q.symbol ?? null, q.market ?? null, q.status ?? null, q.before ?? null, q.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    market: r.market,
    symbol: r.symbol,
    status: r.status,
    createdAt: iso(r.created_at)!,
    createdBy: r.created_by,
    durationMs: r.duration_ms,
    degradedSections: r.degraded_sections,
    ungroundedNumbers: r.ungrounded_numbers,
    backtestAsOf: r.lineage?.backtestAsOf ?? null,
  }));
}
