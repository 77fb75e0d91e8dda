import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Points taken from the shared store in one round trip: 1 % of the limit, at least 1, at most 100. Limits
 * under 200 a window lease one point at a time (every request is one store round trip, exact as before).
 */
export function leaseSize(points: number): number {
  return Math.max(1, Math.min(100, Math.floor(points / 100)));
}

interface KeyState {
  /** Leased points not yet handed out; they belong to the store's window that ends at `until`. */
  left: number;
  until: number;
  /** The store refused (limit reached) until then. */
  blockedUntil: number;
  /** The lease under way for this key (concurrent requests wait for it instead of leasing too). */
  pending: Promise<void> | null;
}

/**
 * A per-process front of a shared rate-limiter-flexible store (PostgreSQL's `rate_limits` table across
 * processes): instead of one store round trip per request, it consumes `lease` points at once and hands them
 * out locally until they are spent or the store's window ends (unspent points lapse with it).
 *
 * Bounds, for one key and one window of `points`: every point handed out was first counted in the shared
 * store, so N processes together never admit more than `points` (no overshoot). A lease the store refuses
 * for want of room still yields the points that were left (from `consumedPoints`), so a single process admits
 * exactly `points`. The cost is undershoot: points leased by one process but not used there are not
 * available to the others, so a key may be refused up to (N − 1) × (lease − 1) requests early when its
 * traffic moves between N processes (with leaseSize: about (N − 1) % of the limit).
 *
 * Fails closed: a store error while a lease is needed is thrown (the caller refuses the request); points
 * leased before the error were already counted and may still be spent.
 */
export class LeasedLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly store: RateLimiterAbstract,
    readonly points: number,
    readonly lease: number = leaseSize(points),
    private readonly clock: () => number = Date.now,
  ) {}

  /** One point for `key`; throws a RateLimiterRes when over the limit, the store's error when it fails. */
  async consume(key: string): Promise<void> {
    for (;;) {
      let s = this.keys.get(key);
      const now = this.clock();
      if (s && s.until > now && s.left > 0) {
        s.left -= 1;
        return;
      }
      if (s && s.blockedUntil > now) throw refused(s.blockedUntil - now, this.points);
      if (!s) {
        s = { left: 0, until: 0, blockedUntil: 0, pending: null };
        this.keys.set(key, s);
        if (this.keys.size > 10_000) this.sweep(now);
      }
      s.pending ??= this.take(key, s);
      await s.pending;
    }
  }

  private async take(key: string, s: KeyState): Promise<void> {
    try {
      const res = await this.store.consume(key, this.lease);
      s.left = this.lease;
      s.until = this.clock() + res.msBeforeNext;
      s.blockedUntil = 0;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      // the store counted the whole lease; what was left before it is ours, the rest of the window is refused
      const before = err.consumedPoints - this.lease;
      const until = this.clock() + err.msBeforeNext;
      s.left = Math.max(0, Math.min(this.lease, this.points - before));
      s.until = until;
      s.blockedUntil = until;
    } finally {
      s.pending = null;
    }
  }

  /** Keys whose window has ended hold nothing: forget them (anonymous limits are per IP). */
  private sweep(now: number): void {
    for (const [k, s] of this.keys)
      if (s.until <= now && s.blockedUntil <= now && !s.pending) this.keys.delete(k);
  }
}

function refused(msBeforeNext: number, points: number): RateLimiterRes {
  return new RateLimiterRes(0, Math.max(1, msBeforeNext), points + 1, false);
}
