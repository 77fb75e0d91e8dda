import type { DatabaseHandle, QueryFn } from '@investiq/db';
import type { Logger } from '../observability/logger';

/** NOTIFY channel: "some credential changed" (token revoked, user's role changed, user disabled or deleted, sign-out). */
export const AUTH_CHANNEL = 'investiq_auth';

interface Entry<T> {
  value: T;
  /** The credential's own expiry (ms since epoch), checked against the request's clock at every hit. */
  expiresAt: number | null;
  /** When the database confirmed it (process clock, ms). */
  cachedAt: number;
}

/**
 * Resolved API tokens and sessions of this process, by the SHA-256 of the credential. Any change made through
 * our own functions (`revokeApiToken`, `updateUser`, `deleteUser`, `deleteSession`) sends NOTIFY
 * `investiq_auth` in its transaction: every process empties its cache when it arrives, and the changing
 * process empties its own at once. Changes made outside these functions (SQL by hand) send the same NOTIFY
 * from row triggers on users, api_tokens and sessions (migration 0014_credential_triggers). While LISTEN is
 * down nothing is cached (every request reads the database); an entry older than `ttlMs` (default 30 s) is
 * read again, a last bound. Misses (unknown credentials) are never cached.
 */
export class CredentialCache {
  private readonly maps = {
    token: new Map<string, Entry<unknown>>(),
    session: new Map<string, Entry<unknown>>(),
  };
  private trusted = true;
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get<T>(kind: 'token' | 'session', hash: string, now: Date): T | undefined {
    const m = this.maps[kind];
    const e = m.get(hash);
    if (!e || !this.trusted) {
      this.stats.misses += 1;
      return undefined;
    }
    if (this.clock() - e.cachedAt > this.ttlMs || (e.expiresAt !== null && e.expiresAt <= now.getTime())) {
      m.delete(hash);
      this.stats.misses += 1;
      return undefined;
    }
    this.stats.hits += 1;
    return e.value as T;
  }

  /**
   * Store what the database answered. `generation` is `generation()` taken before the read: a change announced
   * while the read was in flight may not be in it, so such a read is not stored.
   */
  set<T>(
    kind: 'token' | 'session',
    hash: string,
    value: T,
    expiresAt: number | null,
    generation: number,
  ): void {
    if (!this.trusted || generation !== this.gen) return;
    const m = this.maps[kind];
    m.delete(hash);
    m.set(hash, { value, expiresAt, cachedAt: this.clock() });
    if (m.size > this.maxEntries) m.delete(m.keys().next().value!);
  }

  private gen = 0;
  generation(): number {
    return this.gen;
  }

  /** Forget every credential (a change was announced, or made by this process). */
  clear(): void {
    this.gen += 1;
    this.maps.token.clear();
    this.maps.session.clear();
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.clear();
  }

  get isTrusted(): boolean {
    return this.trusted;
  }
}

const caches = new WeakMap<DatabaseHandle, CredentialCache>();

export function credentialCacheOf(db: DatabaseHandle): CredentialCache | undefined {
  return caches.get(db);
}

/**
 * Cache resolved credentials for this database handle (one per process), emptied by NOTIFY `investiq_auth`
 * from any process. Returns the function that detaches it (every request reads the database again).
 */
export async function attachCredentialCache(
  db: DatabaseHandle,
  opts: { ttlMs?: number; log?: Logger } = {},
): Promise<{ cache: CredentialCache; detach: () => Promise<void> }> {
  const cache = new CredentialCache(opts.ttlMs);
  const unlisten = await db.listen(AUTH_CHANNEL, () => cache.clear(), {
    onState: (st) => {
      cache.setTrusted(st === 'up');
      opts.log?.[st === 'up' ? 'info' : 'warn'](
        { channel: AUTH_CHANNEL },
        st === 'up' ? 'auth LISTEN restored; credential cache reset' : 'auth LISTEN lost; reading through',
      );
    },
  });
  caches.set(db, cache);
  return {
    cache,
    detach: async () => {
      if (caches.get(db) === cache) caches.delete(db);
      await unlisten();
    },
  };
}

/** Announce a credential change to every process (inside the changing transaction: sent at its commit). */
export async function announceCredentialChange(q: QueryFn, what: string): Promise<void> {
  await q('SELECT pg_notify($1, $2)', [AUTH_CHANNEL, what]);
}

/** After the changing transaction committed: this process forgets at once (others on the NOTIFY). */
export function forgetCredentials(db: DatabaseHandle): void {
  credentialCacheOf(db)?.clear();
}
