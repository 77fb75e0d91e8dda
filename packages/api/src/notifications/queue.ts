import type { DatabaseHandle, QueryFn } from '@investiq/db';
import PgBoss from 'pg-boss';
import type { Logger } from '../observability/logger';

/**
 * The delivery job queue: pg-boss (a PostgreSQL queue: SKIP LOCKED claims, retries with exponential
 * backoff, expiry of jobs whose worker died) on whatever database the process has. pg-boss takes a
 * `db.executeSql` adapter, so on the embedded PGlite default the very same library runs in-process on the
 * PGlite handle, and on PostgreSQL it shares the process's pool; its tables live in schema `pgboss`, created
 * and migrated by pg-boss itself at start (under its own advisory lock). Jobs are inserted through the
 * caller's transaction (`enqueueIn`), so a delivery row and its job commit or roll back together.
 */
export const DELIVERY_QUEUE = 'notification-delivery';

export interface QueueOptions {
  /** Retries after the first attempt (pg-boss retryLimit); then the delivery is dead-lettered. */
  retryLimit: number;
  /** First retry delay; doubled per retry with jitter (pg-boss retryBackoff). */
  retryDelaySeconds: number;
  /** An active job whose worker has not finished by then is failed and retried (a killed worker). */
  expireInSeconds: number;
  pollingIntervalSeconds: number;
  /** How often pg-boss's maintenance (expiry, archive) runs. */
  maintenanceIntervalSeconds: number;
  /** Jobs one worker runs at once. */
  concurrency: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  retryLimit: 5,
  retryDelaySeconds: 10,
  expireInSeconds: 60,
  pollingIntervalSeconds: 2,
  maintenanceIntervalSeconds: 30,
  concurrency: 2,
};

type ExecResult = { rows: unknown[] };

/**
 * pg-boss's database adapter over our handle: multi-statement SQL (its migrations) runs without parameters.
 *
 * Once the queue has stopped, nothing reaches the database. A job still running when `stop()` gave up waiting
 * (pg-boss has then already failed it, so it is retried: deliveries are idempotent) finishes later, and
 * pg-boss records its outcome with a `complete`/`fail` it does not await — on a pool closed meanwhile that
 * rejection is unhandled and takes the process down during shutdown. After stop such a write is skipped with
 * a log line, and pg-boss gets the "0 rows affected" shape it reads (`rows[0].count`).
 */
function bossDb(
  handle: DatabaseHandle,
  stopped: () => boolean,
  log: Logger,
): { executeSql(text: string, values?: unknown[]): Promise<ExecResult> } {
  const run = bossSql(handle);
  return {
    executeSql: (text, values) => {
      if (!stopped()) return run(text, values);
      log.warn(
        { sql: text.trim().slice(0, 60) },
        'notification queue stopped: a late job outcome is not written (the job was failed at shutdown and is retried)',
      );
      return Promise.resolve({ rows: [{ count: 0 }] });
    },
  };
}

function bossSql(handle: DatabaseHandle): (text: string, values?: unknown[]) => Promise<ExecResult> {
  const inner = handle as DatabaseHandle & {
    client?: { exec(sql: string): Promise<{ rows: unknown[] }[]> };
    pool?: { query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
  };
  if (handle.kind === 'pglite' && inner.client) {
    const client = inner.client;
    return async (text, values) => {
      if (values && values.length > 0) return { rows: await handle.query(text, values) };
      const results = await client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    };
  }
  if (inner.pool) {
    const pool = inner.pool;
    return async (text, values) => ({ rows: (await pool.query(text, values)).rows });
  }
  return async (text, values) => ({ rows: await handle.query(text, values ?? []) });
}

export interface DeliveryJobMeta {
  jobId: string;
  retryCount: number;
  retryLimit: number;
}

export class DeliveryQueue {
  private readonly boss: PgBoss;
  private started = false;
  /** stop() has returned: pg-boss may no longer touch the database (see bossDb). */
  private stopped = false;
  private workerId: string | null = null;

  constructor(
    private readonly db: DatabaseHandle,
    readonly options: QueueOptions,
    private readonly log: Logger,
    /** How long stop() waits for running jobs before failing them (retried by the next start). */
    private readonly stopTimeoutMs = 5_000,
  ) {
    this.boss = new PgBoss({
      db: bossDb(db, () => this.stopped, log),
      schema: 'pgboss',
      supervise: true,
      schedule: false,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    } as PgBoss.ConstructorOptions);
    this.boss.on('error', (err) => this.log.warn({ err: String(err) }, 'notification queue error'));
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.stopped = false;
    await this.boss.start();
    const q = {
      name: DELIVERY_QUEUE,
      policy: 'standard' as const,
      retryLimit: this.options.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: this.options.expireInSeconds,
      retentionDays: 7,
    };
    if (!(await this.boss.getQueue(DELIVERY_QUEUE))) {
      try {
        await this.boss.createQueue(DELIVERY_QUEUE, q);
      } catch (err) {
        // another process created it at the same moment
        if (!(await this.boss.getQueue(DELIVERY_QUEUE))) throw err;
      }
    }
    await this.boss.updateQueue(DELIVERY_QUEUE, q);
    this.started = true;
  }

  /** Insert the job through the caller's transaction. */
  async enqueueIn(q: QueryFn, deliveryId: string): Promise<void> {
    await this.boss.send(
      DELIVERY_QUEUE,
      { deliveryId },
      {
        db: {
          executeSql: async (text: string, values?: unknown[]) => ({ rows: await q(text, values ?? []) }),
        },
      },
    );
    if (this.workerId) this.boss.notifyWorker(this.workerId);
  }

  /** Claim and run jobs; a throw fails the attempt (retried with backoff until retryLimit). */
  async work(handler: (deliveryId: string, meta: DeliveryJobMeta) => Promise<void>): Promise<void> {
    const options = {
      batchSize: 1,
      includeMetadata: true as const,
      pollingIntervalSeconds: this.options.pollingIntervalSeconds,
    };
    // pg-boss runs one polling loop per work() call: more loops = more deliveries at once
    for (let i = 0; i < this.options.concurrency; i++) {
      const id = await this.boss.work<{ deliveryId: string }>(DELIVERY_QUEUE, options, async ([job]) => {
        if (!job) return;
        await handler(job.data.deliveryId, {
          jobId: job.id,
          retryCount: job.retryCount,
          retryLimit: job.retryLimit,
        });
      });
      this.workerId ??= id;
    }
  }

  /** Job counts by state, for the admin page. */
  async counts(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ state: string; n: number }>(
      'SELECT state::text AS state, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state',
      [DELIVERY_QUEUE],
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: this.stopTimeoutMs, close: false });
    this.stopped = true;
  }
}
