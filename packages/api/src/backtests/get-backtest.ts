import type { BacktestResult, Metrics } from '@investiq/backtest';
import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import type { BacktestRecord, BacktestStatus, BacktestSummary } from './types';

interface Row {
  id: string;
  status: BacktestStatus;
  strategy: string;
  spec: Record<string, unknown>;
  symbols: { market: string; symbol: string }[];
  benchmark: { market: string; symbol: string } | null;
  progress: number;
  progress_label: string | null;
  created_by: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
  duration_ms: number | null;
  error: string | null;
  metrics: Metrics | null;
  result?: BacktestResult | null;
}

const iso = (t: Date | string | null): string | null => (t === null ? null : new Date(t).toISOString());

function summary(r: Row): BacktestSummary {
  return {
    id: r.id,
    status: r.status,
    strategy: r.strategy,
    symbols: r.symbols,
    from: String(r.spec.from ?? ''),
    to: String(r.spec.to ?? ''),
    progress: r.progress,
    progressLabel: r.progress_label,
    createdBy: r.created_by,
    createdAt: iso(r.created_at) as string,
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
    error: r.error,
    metrics: r.metrics,
  };
}

const COLUMNS = `id, status, strategy, spec, symbols, benchmark, progress, progress_label, created_by, created_at,
  finished_at, duration_ms, error, metrics`;

export async function getBacktest(db: DatabaseHandle, id: string): Promise<BacktestRecord> {
  const [r] = await db.query<Row>(`SELECT ${COLUMNS}, result FROM backtests WHERE id = $1`, [id]);
  if (!r) throw new AppError('NOT_FOUND', `no backtest ${id}`);
  return { ...summary(r), spec: r.spec, benchmark: r.benchmark, result: r.result ?? null };
}

/** Newest first; `symbol` keeps runs that traded it. */
export async function listBacktests(
  db: DatabaseHandle,
  opts: { limit: number; before?: string | undefined; symbol?: string | undefined },
): Promise<BacktestSummary[]> {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM backtests
      WHERE ($1::timestamptz IS NULL OR created_at < $1)
        AND ($2::text IS NULL OR symbols @> jsonb_build_array(jsonb_build_object('symbol', $2::text)))
      ORDER BY created_at DESC LIMIT $3`,
    [opts.before ?? null, opts.symbol ?? null, opts.limit],
  );
  return rows.map(summary);
}
