import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { withChildSpan } from '@investiq/telemetry';
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

/** Inside a transaction: `COPY <target> FROM STDIN` fed with PostgreSQL text-format rows. */
export type CopyInFn = (target: string, text: string) => Promise<void>;

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  /** Raw parameterised SQL for hot paths (batch ingest) and maintenance. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Run `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on throw) with a query function bound to it. */
  transaction<T>(fn: (query: QueryFn, copyIn: CopyInFn) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; the returned function stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** Human-readable location, without credentials. */
  describe(): string;
}

export interface CreateDatabaseOptions {
  /** postgres://… — when set, a pg Pool is used; otherwise embedded PGlite on `dataDir`. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` for an in-memory database. */
  dataDir?: string | undefined;
  /** Apply migrations before returning (default true). */
  migrate?: boolean;
  poolMax?: number;
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
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
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
              await pgliteSpan(copy, () => tx.query(copy, [], { blob: new Blob([text]) }));
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
  const pool = new pg.Pool({ connectionString: url, max: opts.poolMax ?? 10 });
  // An idle client erroring (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzleNodePg({ client: pool, schema }) as unknown as Database;
  const listeners: pg.Client[] = [];
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
      try {
        await conn.query('BEGIN');
        const result = await fn(
          async <T>(sql: string, params: unknown[] = []) => (await conn.query(sql, params)).rows as T[],
          async (target, text) => {
            await pipeline(Readable.from([text]), conn.query(copyFrom(`COPY ${target} FROM STDIN`)));
          },
        );
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        conn.release();
      }
    },
    async listen(channel, onPayload) {
      // LISTEN needs one dedicated session for as long as we listen.
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      listeners.push(client);
      client.on('notification', (msg) => {
        if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        const i = listeners.indexOf(client);
        if (i >= 0) listeners.splice(i, 1);
        await client.end().catch(() => {});
      };
    },
    async close() {
      await Promise.all(listeners.splice(0).map((c) => c.end().catch(() => {})));
      await pool.end();
    },
    describe: () => redact(url),
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
  const client = new pg.Client({ connectionString: opts.databaseUrl });
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
