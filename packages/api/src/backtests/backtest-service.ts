import type { BacktestResult, SymbolSeries } from '@investiq/backtest';
import { runBacktestInWorker } from '@investiq/backtest/worker';
import type { DatabaseHandle } from '@investiq/db';
import { ZodError } from 'zod';
import { AppError } from '../errors';
import type { Logger } from '../observability/logger';
import { loadDailyBars } from './load-bars';
import { type TBacktestRequest, ZBacktestRequest } from './types';

export const BACKTEST_CONCURRENCY = { running: 2 } as const;
const HEARTBEAT_MS = 10_000;
/** Well above HEARTBEAT_MS: a row this stale has no live process behind it. */
const ORPHAN_AFTER_S = 60;

export interface BacktestServiceDeps {
  db: DatabaseHandle;
  log: Logger;
  now: () => Date;
  /** Runs the computation; a worker thread in production (tests may pass the same function in-process). */
  run?: typeof runBacktestInWorker;
}

/**
 * Starts backtests as jobs: validate the request and load the bars (errors here are the caller's 4xx), insert
 * the row, then compute on a worker thread while the row's progress is updated; the result (or the error) is
 * written when it ends. At most BACKTEST_CONCURRENCY.running jobs per process; more is a 429.
 */
export class BacktestService {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: BacktestServiceDeps) {}

  /**
   * Rows left 'running' by a process that died cannot finish: a running row whose heartbeat is older than
   * ORPHAN_AFTER_S is marked failed (other live processes keep their rows' heartbeats fresh). Runs at
   * start-up and every minute.
   */
  async recoverInterrupted(): Promise<number> {
    const rows = await this.deps.db.query<{ id: string }>(
      `UPDATE backtests SET status = 'failed', error = 'interrupted: the server running it stopped', finished_at = now()
        WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1) RETURNING id`,
      [ORPHAN_AFTER_S],
    );
    return rows.length;
  }

  /** Heartbeats for this process's jobs and the orphan sweep, every HEARTBEAT_MS. */
  startMaintenance(): void {
    this.timer ??= setInterval(() => {
      const ids = [...this.running.keys()];
      const beat = ids.length
        ? this.deps.db.query('UPDATE backtests SET heartbeat_at = now() WHERE id = ANY($1::uuid[])', [ids])
        : Promise.resolve();
      beat
        .then(() => this.recoverInterrupted())
        .catch((err: unknown) => this.deps.log.warn({ err: String(err) }, 'backtest heartbeat failed'));
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  async start(input: TBacktestRequest, createdBy: string | null): Promise<{ id: string }> {
    if (this.closed) throw new AppError('SERVICE_UNAVAILABLE', 'the server is shutting down');
    let req: ReturnType<typeof ZBacktestRequest.parse>;
    try {
      req = ZBacktestRequest.parse(input);
    } catch (err) {
      if (err instanceof ZodError) {
        const msg = err.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
          .join('; ');
        throw new AppError('BAD_REQUEST', msg, {
          cause: err,
          details: { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
        });
      }
      throw err;
    }
    if (this.running.size >= BACKTEST_CONCURRENCY.running)
      throw new AppError(
        'TOO_MANY_REQUESTS',
        `${this.running.size} backtests are already running; wait for one to finish`,
      );
    const { symbols, benchmark, ...spec } = req;
    const range = { from: spec.from, to: spec.to };
    const series: SymbolSeries[] = [];
    for (const s of symbols) series.push(await loadDailyBars(this.deps.db, s, range));
    const bench = benchmark ? await loadDailyBars(this.deps.db, benchmark, range) : undefined;

    const [row] = await this.deps.db.query<{ id: string }>(
      `INSERT INTO backtests (status, strategy, spec, symbols, benchmark, progress_label, created_by)
       VALUES ('running', $1, $2::jsonb, $3::jsonb, $4::jsonb, 'queued', $5) RETURNING id`,
      [
        spec.strategy,
        JSON.stringify(spec),
        JSON.stringify(symbols.map((s) => ({ market: s.market, symbol: s.symbol }))),
        benchmark ? JSON.stringify({ market: benchmark.market, symbol: benchmark.symbol }) : null,
        createdBy,
      ],
    );
    const id = (row as { id: string }).id;
    const abort = new AbortController();
    const done = this.execute(id, spec, series, bench, abort.signal).finally(() => this.running.delete(id));
    this.running.set(id, { abort, done });
    return { id };
  }

  private async execute(
    id: string,
    spec: Parameters<typeof runBacktestInWorker>[0],
    series: SymbolSeries[],
    benchmark: SymbolSeries | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const { db, log, now } = this.deps;
    const started = now().getTime();
    let writing: Promise<unknown> = Promise.resolve();
    let lastWrite = 0;
    const run = this.deps.run ?? runBacktestInWorker;
    try {
      const result: BacktestResult = await run(spec, series, {
        ...(benchmark ? { benchmark } : {}),
        signal,
        onProgress: (doneSteps, total, label) => {
          const t = Date.now();
          if (t - lastWrite < 250 && doneSteps < total) return;
          lastWrite = t;
          // progress writes are serialised and never fail the run
          writing = writing
            .then(() =>
              db.query(
                `UPDATE backtests SET progress = $2, progress_label = $3, heartbeat_at = now() WHERE id = $1 AND status = 'running'`,
                [id, total > 0 ? doneSteps / total : 0, label.slice(0, 200)],
              ),
            )
            .catch((err: unknown) => log.warn({ err: String(err), id }, 'backtest progress write failed'));
        },
      });
      await writing;
      await db.query(
        `UPDATE backtests SET status = 'complete', progress = 1, progress_label = 'done', finished_at = now(),
                duration_ms = $2, metrics = $3::jsonb, result = $4::jsonb WHERE id = $1`,
        [id, now().getTime() - started, JSON.stringify(result.metrics), JSON.stringify(result)],
      );
      log.info({ id, ms: now().getTime() - started }, 'backtest complete');
    } catch (err) {
      await writing;
      const message = signal.aborted
        ? 'stopped: the server shut down'
        : err instanceof Error
          ? err.message
          : String(err);
      log.warn({ id, err: message }, 'backtest failed');
      await db
        .query(
          `UPDATE backtests SET status = 'failed', error = $2, finished_at = now(), duration_ms = $3 WHERE id = $1`,
          [id, message.slice(0, 2_000), now().getTime() - started],
        )
        .catch((e: unknown) => log.error({ err: String(e), id }, 'could not record the backtest failure'));
    }
  }

  /** Resolves when the job ends (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const job of this.running.values()) job.abort.abort();
    await Promise.allSettled([...this.running.values()].map((j) => j.done));
  }
}
