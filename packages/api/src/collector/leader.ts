import type { DatabaseHandle, DedicatedSession } from '@investiq/db';
import type { Logger } from '../observability/logger';

/**
 * Cluster singletons by PostgreSQL session advisory lock. Every process that may do the work (say, two
 * collector replicas) runs `startLeadership`: the one whose dedicated session holds
 * `pg_try_advisory_lock(hashtext(lock))` is the leader and works; the others are standbys and try again every
 * `retryMs`. The lock lives exactly as long as the leader's session: a clean stop unlocks, a crash or a lost
 * connection ends the session and PostgreSQL releases it, so a standby takes over within one retry interval.
 * The leader checks its session every `retryMs` too and stops working the moment it is lost (before anyone else
 * can win the lock, unless the server noticed the loss first; the work is idempotent either way).
 * On PGlite the database is embedded in one process, so that process is alone and always leads.
 */
export type LeadershipRole = 'alone' | 'leader' | 'standby' | 'stopped';

export interface LeadershipOptions {
  /** Name of the advisory lock (hashed with hashtext); one per singleton. */
  lock: string;
  /** What is led, for log lines ("collector"). */
  name: string;
  /** How often a standby retries and a leader checks its session (default 5 s). */
  retryMs?: number;
  log: Logger;
  /** This process became the one: start the work. */
  onLead: () => void | Promise<void>;
  /** This process stopped being the one (session lost, or stop()): the work must be stopped when it resolves. */
  onStandby: () => void | Promise<void>;
  /** Every change of role, for status pages. */
  onRole?: (role: LeadershipRole) => void;
}

export interface Leadership {
  role(): LeadershipRole;
  /** Settles after the first attempt (this process is then leader, standby, or alone). */
  ready: Promise<void>;
  /** Stop working if leading, release the lock, close the session. */
  stop(): Promise<void>;
}

export const DEFAULT_LEADER_RETRY_MS = 5_000;

export function startLeadership(db: DatabaseHandle, opts: LeadershipOptions): Leadership {
  const retryMs = opts.retryMs ?? DEFAULT_LEADER_RETRY_MS;
  let role: LeadershipRole = 'standby';
  const setRole = (next: LeadershipRole) => {
    role = next;
    opts.onRole?.(next);
  };

  if (!db.session) {
    setRole('alone');
    const ready = Promise.resolve(opts.onLead());
    return {
      role: () => role,
      ready,
      async stop() {
        if (role === 'stopped') return;
        await ready.catch(() => {});
        setRole('stopped');
        await opts.onStandby();
      },
    };
  }
  const connect = db.session.bind(db);

  let session: DedicatedSession | null = null;
  let stopped = false;
  let announced = false;
  let timer: NodeJS.Timeout | null = null;
  // Steps (attempt, check, demote, stop) run one after another, never interleaved.
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (fn: () => Promise<void>) => {
    chain = chain.then(fn, fn);
    return chain;
  };

  /** The session `lost` is gone: drop it (if it is still the current one) and, if leading, stop the work. */
  const demote = async (lost: DedicatedSession | null, reason: string) => {
    if (lost !== session) return; // already replaced by a newer session
    session = null;
    await lost?.end();
    if (role === 'leader') {
      setRole('standby');
      opts.log.warn({ reason }, `${opts.name} lost the lock: stopped, standing by`);
      await opts.onStandby();
    }
  };

  const attempt = async () => {
    if (stopped) return;
    try {
      if (!session) {
        const s = await connect();
        if (stopped) return void (await s.end());
        session = s;
        s.onLost((err) => void enqueue(() => demote(s, err.message)));
      }
      if (role === 'leader') {
        await session.query('SELECT 1'); // the session is alive, so the lock is still ours
        return;
      }
      const [row] = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
        opts.lock,
      ]);
      if (row?.ok) {
        setRole('leader');
        announced = false;
        opts.log.info({ lock: opts.lock }, `${opts.name} leader: holds the lock`);
        await opts.onLead();
      } else if (!announced) {
        announced = true;
        setRole('standby');
        opts.log.info({ lock: opts.lock, retryMs }, `${opts.name} standby: another process holds the lock`);
      }
    } catch (err) {
      await demote(session, err instanceof Error ? err.message : String(err));
      opts.log.warn({ err: String(err) }, `${opts.name} leadership: database unavailable, retrying`);
    }
  };

  const loop = () => {
    timer = setTimeout(() => {
      timer = null;
      void enqueue(attempt).then(() => {
        if (!stopped) loop();
      });
    }, retryMs);
    timer.unref();
  };

  const ready = enqueue(attempt).then(() => {
    if (!stopped) loop();
  });

  return {
    role: () => role,
    ready,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await enqueue(async () => {
        if (role === 'leader') await opts.onStandby();
        const s = session;
        session = null;
        if (s) {
          await s.query('SELECT pg_advisory_unlock(hashtext($1))', [opts.lock]).catch(() => {});
          await s.end();
        }
        setRole('stopped');
      });
    },
  };
}

/** The collector's advisory lock: one polling collector per database. */
export const COLLECTOR_LOCK = 'investiq_collector';

/**
 * Start `collector` under leadership: it polls only while this process holds the collector lock, and its
 * status says `role: 'leader' | 'standby' | 'alone'`.
 */
export function leadCollector(
  db: DatabaseHandle,
  collector: { start(): void; stop(): Promise<void>; setRole(role: LeadershipRole): void },
  opts: { log: Logger; retryMs?: number | undefined },
): Leadership {
  return startLeadership(db, {
    lock: COLLECTOR_LOCK,
    name: 'collector',
    retryMs: opts.retryMs,
    log: opts.log,
    onLead: () => collector.start(),
    onStandby: () => collector.stop(),
    onRole: (role) => collector.setRole(role),
  });
}
