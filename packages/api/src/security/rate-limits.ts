import type { DatabaseHandle } from '@investiq/db';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';
import { SRateLimits } from '../settings/keys';
import { getSetting } from '../settings/service';
import { LeasedLimiter } from './leased-limiter';
import { createLimiter } from './limiter-store';

type LimitsSetting = (typeof SRateLimits)['default'];

/**
 * Every named rate limit, in one place. Points come from the `security.rateLimits` setting (changeable
 * at run time); the store is PostgreSQL when the database is (shared by all processes), memory on the
 * embedded PGlite default (one process). The limiter fails closed: if its store errors, the request is
 * refused (503), never let through unmetered. The per-request limits (`leased: true`) take points from the
 * store in leases of 1 % of the limit (security/leased-limiter.ts: no overshoot across processes; bounded
 * undershoot), so a busy client costs one store round trip per lease, not per request.
 */
export const RATE_LIMITS = {
  /** every API call of an anonymous client, by IP */
  anonymous: {
    points: (s: LimitsSetting) => s.anonymousPerIpPerMinute,
    durationSeconds: 60,
    leased: true,
  },
  /** every API call of a signed-in user, by user id */
  user: { points: (s: LimitsSetting) => s.userPerMinute, durationSeconds: 60, leased: true },
  /** every API call with an API token, by token id */
  token: { points: (s: LimitsSetting) => s.tokenPerMinute, durationSeconds: 60, leased: true },
  /** sign-in attempts by IP */
  loginIp: { points: (s: LimitsSetting) => s.loginPerIpPer15Minutes, durationSeconds: 900 },
  /** failed sign-ins by (username, IP): brute force from one place; blocks only that pair */
  loginUsernameIp: { points: (s: LimitsSetting) => s.loginPerUsernamePer15Minutes, durationSeconds: 900 },
  /** failed sign-ins by username from anywhere: distributed brute force; past it only known IPs get through */
  loginUsername: { points: (s: LimitsSetting) => s.loginFailuresPerUsernamePerHour, durationSeconds: 3600 },
  /** invalid API tokens by IP */
  authFailIp: { points: (s: LimitsSetting) => s.authFailuresPerIpPer15Minutes, durationSeconds: 900 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

interface Store {
  /** The promise, not the limiter: concurrent first requests share one construction (one CREATE TABLE). */
  limiters: Map<string, Promise<RateLimiterAbstract>>;
  /** The per-process lease fronts of the leased limits, by the same id (`name:points`). */
  leased: Map<string, Promise<LeasedLimiter>>;
}
const stores = new WeakMap<DatabaseHandle, Store>();

function storeOf(db: DatabaseHandle): Store {
  let store = stores.get(db);
  if (!store) {
    store = { limiters: new Map(), leased: new Map() };
    stores.set(db, store);
  }
  return store;
}

async function limiter(db: DatabaseHandle, name: RateLimitName): Promise<RateLimiterAbstract> {
  const store = storeOf(db);
  const spec = RATE_LIMITS[name];
  const points = spec.points(await getSetting(db, SRateLimits));
  return limiterFor(db, store, name, points);
}

function limiterFor(
  db: DatabaseHandle,
  store: Store,
  name: RateLimitName,
  points: number,
): Promise<RateLimiterAbstract> {
  const spec = RATE_LIMITS[name];
  const id = `${name}:${points}`;
  const found = store.limiters.get(id);
  if (found) return found;
  const opts = { keyPrefix: `iq_${name}_${points}`, points, duration: spec.durationSeconds };
  const made = createLimiter(db, opts);
  store.limiters.set(id, made);
  // a failed construction is not cached: the next request tries again (the limiter still fails closed now)
  made.catch(() => {
    if (store.limiters.get(id) === made) store.limiters.delete(id);
  });
  return made;
}

function tooMany(name: RateLimitName, res: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError('TOO_MANY_REQUESTS', `rate limit '${name}' exceeded; retry in ${retryAfterSeconds} s`, {
    details: { limit: name, retryAfterSeconds },
  });
}

function unavailable(name: RateLimitName, cause: unknown): AppError {
  return new AppError('SERVICE_UNAVAILABLE', `rate limiter '${name}' is unavailable; request refused`, {
    cause,
  });
}

/** The lease front of a per-request limit (one per process and limit value). */
async function leasedLimiter(db: DatabaseHandle, name: RateLimitName): Promise<LeasedLimiter> {
  const store = storeOf(db);
  const points = RATE_LIMITS[name].points(await getSetting(db, SRateLimits));
  const id = `${name}:${points}`;
  const found = store.leased.get(id);
  if (found) return found;
  const made = limiterFor(db, store, name, points).then((l) => new LeasedLimiter(l, points));
  store.leased.set(id, made);
  made.catch(() => {
    if (store.leased.get(id) === made) store.leased.delete(id);
  });
  return made;
}

/** Count one request against `name` for `key`; throws 429 when over the limit, 503 when the store fails. */
export async function consumeRateLimit(db: DatabaseHandle, name: RateLimitName, key: string, points = 1) {
  if ('leased' in RATE_LIMITS[name] && points === 1) {
    let leased: LeasedLimiter;
    try {
      leased = await leasedLimiter(db, name);
    } catch (err) {
      throw unavailable(name, err);
    }
    try {
      await leased.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw tooMany(name, err);
      throw unavailable(name, err);
    }
    return;
  }
  let l: RateLimiterAbstract;
  try {
    l = await limiter(db, name);
  } catch (err) {
    throw unavailable(name, err);
  }
  try {
    await l.consume(key, points);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw tooMany(name, err);
    throw unavailable(name, err);
  }
}

/** Throws 429 if `key` has no points left under `name`, without spending one. */
export async function assertNotLimited(db: DatabaseHandle, name: RateLimitName, key: string) {
  try {
    const l = await limiter(db, name);
    const res = await l.get(key);
    if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) throw tooMany(name, res);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unavailable(name, err);
  }
}

export async function resetRateLimit(db: DatabaseHandle, name: RateLimitName, key: string) {
  try {
    await (await limiter(db, name)).delete(key);
  } catch {
    // a failed reset only means the counter expires by itself
  }
}

/** Is `key` over its limit under `name` (without spending a point)? Store errors count as limited. */
export async function isLimited(db: DatabaseHandle, name: RateLimitName, key: string): Promise<boolean> {
  try {
    await assertNotLimited(db, name, key);
    return false;
  } catch {
    return true;
  }
}

/** Advisory lock of the purge: with several web processes, one purges at a time and the others skip. */
export const RATE_LIMIT_PURGE_LOCK = 'investiq_rate_limit_purge';

/**
 * Expired counters are never read again but stay in the PostgreSQL store: delete them (memory stores
 * expire their own). Every web process runs this on a timer; under `pg_try_advisory_xact_lock` only one of
 * them scans the table at a time (`ran: false` for the others). A store that does not exist yet has nothing.
 */
export async function purgeExpiredRateLimits(
  db: DatabaseHandle,
  now: Date = new Date(),
): Promise<{ ran: boolean; deleted: number }> {
  if (db.kind !== 'postgres') return { ran: true, deleted: 0 }; // memory counters expire on their own
  try {
    return await db.transaction(async (q) => {
      const [lock] = await q<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok', [
        RATE_LIMIT_PURGE_LOCK,
      ]);
      if (!lock?.ok) return { ran: false, deleted: 0 };
      const rows = await q('DELETE FROM rate_limits WHERE expire < $1 RETURNING key', [now.getTime()]);
      return { ran: true, deleted: rows.length };
    });
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return { ran: true, deleted: 0 }; // no limiter has created the table yet
    throw err;
  }
}

/** Purge expired counters every `intervalMs` (default 5 min); returns a stop function. */
export function startRateLimitPurge(
  db: DatabaseHandle,
  opts: { intervalMs?: number; onError?: (err: unknown) => void } = {},
): () => void {
  const timer = setInterval(() => {
    purgeExpiredRateLimits(db).catch((err) => opts.onError?.(err));
  }, opts.intervalMs ?? 300_000);
  timer.unref();
  return () => clearInterval(timer);
}
