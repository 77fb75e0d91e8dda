import type { DatabaseHandle } from '@investiq/db';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  /** window in seconds */
  duration: number;
}

/**
 * Where every counter of ours lives (rate limits, provider budgets): rate-limiter-flexible in PostgreSQL's
 * shared `rate_limits` table when the database is PostgreSQL (all processes count together), in memory on
 * the embedded PGlite (one process). On PostgreSQL the first construction creates the table; another process
 * may be doing the same at that moment, so it is tried once more before the error goes to the caller (which
 * fails closed).
 */
export function createLimiter(db: DatabaseHandle, opts: LimiterOptions): Promise<RateLimiterAbstract> {
  const pool = db.kind === 'postgres' ? (db as unknown as { pool?: unknown }).pool : undefined;
  if (!pool) return Promise.resolve(new RateLimiterMemory(opts));
  return createPostgresLimiter(pool, opts).catch(() => createPostgresLimiter(pool, opts));
}

function createPostgresLimiter(pool: unknown, opts: LimiterOptions): Promise<RateLimiterAbstract> {
  return new Promise<RateLimiterAbstract>((resolve, reject) => {
    const l: RateLimiterPostgres = new RateLimiterPostgres(
      { ...opts, storeClient: pool, tableName: 'rate_limits', clearExpiredByTimeout: false },
      (err?: Error) => (err ? reject(err) : resolve(l)),
    );
  });
}
