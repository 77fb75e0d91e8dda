import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import pg from 'pg';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import { LeasedLimiter, leaseSize } from './leased-limiter';
import { createLimiter } from './limiter-store';
import { consumeRateLimit } from './rate-limits';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const POINTS = 1000;
const LEASE = leaseSize(POINTS); // 10

/** Consume until refused; the number admitted. */
async function drain(l: LeasedLimiter, key: string, max = POINTS * 2): Promise<number> {
  let n = 0;
  for (; n < max; n++) {
    try {
      await l.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) return n;
      throw err;
    }
  }
  return n;
}

describe(`leased rate limits (${DB})`, () => {
  let a: DatabaseHandle & { url?: string };
  /** A second process's handle on PostgreSQL (its own pool, the same rate_limits table). */
  let b: DatabaseHandle;
  const limiters = async (prefix: string) => {
    const opts = { keyPrefix: prefix, points: POINTS, duration: 60 };
    const storeA = await createLimiter(a, opts);
    // PGlite is one process with a memory store: the two lease fronts share it
    const storeB = b === a ? storeA : await createLimiter(b, opts);
    return [new LeasedLimiter(storeA, POINTS), new LeasedLimiter(storeB, POINTS)] as const;
  };

  beforeAll(async () => {
    a = await createTestDatabase();
    b = a.url ? await createDatabase({ databaseUrl: a.url, migrate: false }) : a;
  });
  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
  });

  it('leases 1 % of the limit; small limits lease one point (every request asks the store)', () => {
    expect([leaseSize(5), leaseSize(120), leaseSize(1200), leaseSize(6000), leaseSize(1_000_000)]).toEqual([
      1, 1, 12, 60, 100,
    ]);
  });

  it('one process admits exactly the limit, then refuses with the time until the window ends', async () => {
    const [la] = await limiters('t_one');
    expect(await drain(la, 'k')).toBe(POINTS);
    const refused = await la.consume('k').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimiterRes);
    expect((refused as RateLimiterRes).msBeforeNext).toBeGreaterThan(0);
    expect((refused as RateLimiterRes).msBeforeNext).toBeLessThanOrEqual(60_000);
  });

  it('two processes together never admit more than the limit, also when called concurrently', async () => {
    const [la, lb] = await limiters('t_two');
    let admitted = 0;
    let refused = 0;
    const one = async (l: LeasedLimiter) => {
      try {
        await l.consume('shared');
        admitted += 1;
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        refused += 1;
      }
    };
    // 1 300 calls, interleaved and concurrent, half on each process
    for (let round = 0; round < 13; round++)
      await Promise.all(Array.from({ length: 100 }, (_, i) => one(i % 2 ? la : lb)));
    expect(admitted + refused).toBe(1300);
    expect(admitted).toBeLessThanOrEqual(POINTS);
    // what one process leased and did not spend is the documented undershoot: at most lease − 1 each
    expect(admitted).toBeGreaterThanOrEqual(POINTS - 2 * (LEASE - 1));
    // both drained: every leased point gets spent, the total is the limit exactly
    admitted += (await drain(la, 'shared')) + (await drain(lb, 'shared'));
    expect(admitted).toBe(POINTS);
  });

  it("points one process leased and left unspent are the other's undershoot: (N − 1) × (lease − 1)", async () => {
    const [la, lb] = await limiters('t_under');
    await lb.consume('k'); // b leases LEASE points and spends one
    expect(await drain(la, 'k')).toBe(POINTS - LEASE);
    expect(await drain(lb, 'k')).toBe(LEASE - 1);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('leased rate limits fail closed (PostgreSQL)', () => {
  it('refuses (503) a request that needs the store once the database is gone', async () => {
    const db = await createTestDatabase();
    try {
      await consumeRateLimit(db, 'token', 'tok-1');
      const store = new LeasedLimiter(
        await createLimiter(db, { keyPrefix: 't_gone', points: POINTS, duration: 60 }),
        POINTS,
      );
      await store.consume('leased'); // LEASE points counted in the store, one spent
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE ${new URL(db.url!).pathname.slice(1)} WITH (FORCE)`);
      await admin.end();
      // a key with no leased points left needs the store: refused, never let through
      for (const key of ['tok-2', 'tok-3']) {
        const err = await consumeRateLimit(db, 'token', key).then(
          () => null,
          (e: unknown) => e,
        );
        expect(isAppError(err) && err.code).toBe('SERVICE_UNAVAILABLE');
      }
      // the store's own error, not a refusal by count: the caller turns it into 503
      const storeErr = await store.consume('fresh').then(
        () => null,
        (e: unknown) => e,
      );
      expect(storeErr).toBeInstanceOf(Error);
      expect(storeErr).not.toBeInstanceOf(RateLimiterRes);
      // points leased before the store went away were counted there: they may still be spent
      expect(await drain(store, 'leased', LEASE - 1).catch((e: unknown) => e)).toBe(LEASE - 1);
      await expect(store.consume('leased')).rejects.toBeInstanceOf(Error);
    } finally {
      await db.close();
    }
  });
});
