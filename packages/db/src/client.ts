import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { inCurrentContext, outsideDroppedTrace, withChildSpan } from '@investiq/telemetry';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import * as schema from './schema/index';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DatabaseKind = 'pglite' | 'postgres';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

export type QueryFn = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * Inside a transaction: `COPY <target> FROM STDIN` fed with PostgreSQL text-format rows. An iterable is
 * sent chunk by chunk as it is produced (PostgreSQL parses one chunk while the caller formats the next).
 */
export type CopyInFn = (target: string, text: string | Iterable<string>) => Promise<void>;

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  /** Raw parameterised SQL for hot paths (batch ingest) and maintenance. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Run `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on throw) with a query function bound to it. */
  transaction<T>(fn: (query: QueryFn, copyIn: CopyInFn) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel; the returned function stops listening. On PostgreSQL a lost session (server
   * restart, network) is re-established with backoff and LISTEN re-issued; `onState('down')` fires when it
   * is lost and `onState('up')` once it is back, so a consumer can reload what it may have missed.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    opts?: ListenOptions,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** Human-readable location, without credentials. */
  describe(): string;
  /**
   * PostgreSQL only (PGlite is one process): a new session outside the pool, for state that lives as long as
   * a connection (session-level advisory locks: collector leadership). The caller ends it.
   */
  session?(): Promise<DedicatedSession>;
}

/** One PostgreSQL connection of its own; `onLost` fires once when the server or the network ends it. */
export interface DedicatedSession {
  query: QueryFn;
  onLost(handler: (err: Error) => void): void;
  end(): Promise<void>;
}

export interface ListenOptions {
  onState?: (state: 'down' | 'up') => void;
}

/** Reconnect delays of a lost LISTEN session: 100 ms doubling to 2 s, jittered (a restart takes ~1 s). */
const LISTEN_RETRY_BASE_MS = 100;
const LISTEN_RETRY_MAX_MS = 2_000;

export interface CreateDatabaseOptions {
  /** postgres://… — when set, a pg Pool is used; otherwise embedded PGlite on `dataDir`. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` for an in-memory database. */
  dataDir?: string | undefined;
  /** Apply migrations before returning (default true). */
  migrate?: boolean;
  poolMax?: number;
  /** PostgreSQL: give up opening a connection after this long (default 5 s; 0 waits forever). */
  connectTimeoutMs?: number;
  /** PostgreSQL: `statement_timeout` of pooled sessions (default 30 s; 0 disables). Migrations are exempt. */
  statementTimeoutMs?: number;
  /** Force native partitioning even when TimescaleDB is available (tests of that path). */
  quotesStorage?: 'auto' | 'native';
}

/**
 * PGlite runs in-process, so no driver instrumentation sees its SQL: one span per statement, named and
 * attributed like the pg instrumentation's (PostgreSQL is traced by @opentelemetry/instrumentation-pg), and
 * like it only inside a traced operation, not every background poll.
 */
function pgliteSpan<T>(sql: string, run: () => Promise<T>): Promise<T> {
  const text = sql.trim();
  return withChildSpan(
    `pglite.query:${text.slice(0, text.search(/\s|$/)).toUpperCase()}`,
    { 'db.system.name': 'postgresql', 'db.query.text': text.slice(0, 2000) },
    run,
  );
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

export async function createDatabase(opts: CreateDatabaseOptions): Promise<DatabaseHandle> {
  const handle = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts) : await openPglite(opts);
  if (opts.migrate !== false) {
    try {
      await migrateHandle(handle, opts);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }
  return handle;
}

async function openPglite(opts: CreateDatabaseOptions): Promise<DatabaseHandle & { client: PGlite }> {
  const dataDir = opts.dataDir ?? './data/pglite';
  // 0700: the database files (and the secrets key file beside them) are for this user only
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // pg_trgm: symbol search (migration 0007); PostgreSQL ships it in contrib
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    client,
    async query<T>(sql: string, params: unknown[] = []) {
      const res = await pgliteSpan(sql, () => client.query<T>(sql, params));
      return res.rows;
    },
    transaction(fn) {
      return pgliteSpan('BEGIN', () =>
        client.transaction((tx) =>
          fn(
            async <T>(sql: string, params: unknown[] = []) =>
              (await pgliteSpan(sql, () => tx.query<T>(sql, params))).rows,
            // PGlite reads COPY data from an attached blob
            async (target, text) => {
              const copy = `COPY ${target} FROM '/dev/blob'`;
              const blob = new Blob(typeof text === 'string' ? [text] : [...text]);
              await pgliteSpan(copy, () => tx.query(copy, [], { blob }));
            },
          ),
        ),
      );
    },
    async listen(channel, onPayload) {
      const unsub = await client.listen(channel, onPayload);
      return async () => {
        await unsub();
      };
    },
    async close() {
      if (!client.closed) await client.close();
    },
    describe: () => `pglite:${dataDir}`,
  };
}

async function openPostgres(
  url: string,
  opts: CreateDatabaseOptions,
): Promise<DatabaseHandle & { pool: pg.Pool }> {
  const connectionTimeoutMillis = opts.connectTimeoutMs ?? 5_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax ?? 10,
    connectionTimeoutMillis,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
  });
  // An idle client erroring (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Every user of this pool (this handle, drizzle, the rate limiters): inside a trace the sampler dropped, a
  // query runs with no parent span, so the pg instrumentation (requireParentSpan) skips it outright — its
  // per-query span, attribute and metric bookkeeping was most of an unsampled request's tracing cost.
  // pool.query waits for a client through this.connect: bind that callback to the query's context, or a
  // queued query resumes in the trace of whichever request released a client (and gets spans there).
  const poolQuery = pool.query as (...args: unknown[]) => unknown;
  pool.query = function (this: pg.Pool, ...args: unknown[]) {
    return outsideDroppedTrace((...a: unknown[]) => poolQuery.apply(this, a), args);
  } as typeof pool.query;
  const poolConnect = pool.connect as (cb?: (...args: never[]) => unknown) => unknown;
  pool.connect = function (this: pg.Pool, cb?: (...args: never[]) => unknown) {
    return poolConnect.call(this, cb && inCurrentContext(cb));
  } as typeof pool.connect;
  const db = drizzleNodePg({ client: pool, schema }) as unknown as Database;
  const listeners = new Set<() => Promise<void>>();
  return {
    db,
    kind: 'postgres',
    pool,
    async query<T>(sql: string, params: unknown[] = []) {
      const res = await pool.query(sql, params);
      return res.rows as T[];
    },
    async transaction(fn) {
      const conn = await pool.connect();
      // A checked-out client has no pool error listener: a server restart between two statements would
      // otherwise be an uncaught 'error' event that crashes the process. Remember it and discard the client.
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken = err;
      };
      conn.on('error', onError);
      try {
        await conn.query('BEGIN');
        const result = await fn(
          async <T>(sql: string, params: unknown[] = []) => (await conn.query(sql, params)).rows as T[],
          async (target, text) => {
            const chunks = typeof text === 'string' ? [text] : text;
            await pipeline(Readable.from(chunks), conn.query(copyFrom(`COPY ${target} FROM STDIN`)));
          },
        );
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        if (!broken) await conn.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        conn.off('error', onError);
        conn.release(broken);
      }
    },
    async listen(channel, onPayload, listenOpts) {
      const stop = await resilientListen(url, connectionTimeoutMillis, channel, onPayload, listenOpts);
      listeners.add(stop);
      return async () => {
        listeners.delete(stop);
        await stop();
      };
    },
    async close() {
      const stops = [...listeners];
      listeners.clear();
      await Promise.all(stops.map((stop) => stop()));
      await pool.end();
    },
    describe: () => redact(url),
    async session() {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis, keepAlive: true });
      const handlers: Array<(err: Error) => void> = [];
      let over = false;
      const lost = (err: Error) => {
        if (over) return;
        over = true;
        client.end().catch(() => {});
        for (const h of handlers) h(err);
      };
      client.on('error', lost);
      client.on('end', () => lost(new Error('the database session ended')));
      try {
        await client.connect();
      } catch (err) {
        over = true;
        await client.end().catch(() => {});
        throw err;
      }
      return {
        query: async <T>(sql: string, params: unknown[] = []) =>
          (await client.query(sql, params)).rows as T[],
        onLost: (h: (err: Error) => void) => void handlers.push(h),
        async end() {
          over = true;
          await client.end().catch(() => {});
        },
      };
    },
  };
}

/**
 * One dedicated session LISTENing on `channel`, re-established after it is lost. The first connect must
 * succeed (start-up fails loudly); later losses are retried forever with backoff until stopped.
 */
async function resilientListen(
  url: string,
  connectionTimeoutMillis: number,
  channel: string,
  onPayload: (payload: string) => void,
  opts: ListenOptions | undefined,
): Promise<() => Promise<void>> {
  let current: pg.Client | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis, keepAlive: true });
    client.on('error', () => lost(client));
    client.on('end', () => lost(client));
    client.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    if (stopped) {
      await client.end().catch(() => {});
      return;
    }
    current = client;
  };

  const lost = (client: pg.Client) => {
    if (client !== current || stopped) return;
    current = null;
    client.end().catch(() => {});
    opts?.onState?.('down');
    retry();
  };

  const retry = () => {
    const delay =
      Math.min(LISTEN_RETRY_MAX_MS, LISTEN_RETRY_BASE_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt += 1;
    timer = setTimeout(() => {
      timer = null;
      if (stopped) return;
      connect().then(
        () => {
          if (stopped) return;
          attempt = 0;
          opts?.onState?.('up');
        },
        () => {
          if (!stopped) retry();
        },
      );
    }, delay);
    timer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const client = current;
    current = null;
    await client?.end().catch(() => {});
  };
}

async function migrateHandle(handle: DatabaseHandle, opts: CreateDatabaseOptions): Promise<void> {
  if (handle.kind === 'pglite') {
    const client = (handle as DatabaseHandle & { client: PGlite }).client;
    if (opts.quotesStorage === 'native') await client.query(`SET investiq.quotes_storage = 'native'`);
    await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  // Several processes (web, collector) may start together: serialise migrations with an advisory lock
  // held on one dedicated connection.
  const client = new pg.Client({
    connectionString: opts.databaseUrl,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
  });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['investiq_migrations']);
    if (opts.quotesStorage === 'native') await client.query(`SET investiq.quotes_storage = 'native'`);
    await migrateNodePg(drizzleNodePg({ client, schema }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['investiq_migrations']).catch(() => {});
    await client.end();
  }
}
