import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, type DatabaseHandle, MIGRATIONS_DIR } from './client';

/**
 * A fresh, migrated database for one test file.
 * - `TEST_DATABASE_URL` set → a new PostgreSQL database cloned from a migrated template
 *   (`CREATE DATABASE t_… TEMPLATE investiq_tpl_<migrations hash>`), dropped again on close.
 * - otherwise → an in-memory PGlite.
 */
export async function createTestDatabase(
  opts: { quotesStorage?: 'auto' | 'native' } = {},
): Promise<DatabaseHandle & { url?: string }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return createDatabase({ dataDir: 'memory://', quotesStorage: opts.quotesStorage });
  const template = await ensureTemplate(base, opts.quotesStorage ?? 'auto');
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(base, name);
  const handle = await createDatabase({ databaseUrl: url, migrate: false, poolMax: 5 });
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR)
    .filter((x) => x.endsWith('.sql'))
    .sort()) {
    h.update(f).update(readFileSync(path.join(MIGRATIONS_DIR, f)));
  }
  return h.digest('hex').slice(0, 10);
}

async function ensureTemplate(base: string, storage: 'auto' | 'native'): Promise<string> {
  const template = `investiq_tpl_${storage}_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    // Test files run in parallel workers: one creates the template, the others wait on the lock.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${template}`);
      try {
        const h = await createDatabase({
          databaseUrl: withDatabase(base, template),
          quotesStorage: storage,
          poolMax: 1,
        });
        await h.close();
      } catch (err) {
        await admin.query(`DROP DATABASE IF EXISTS ${template}`);
        throw err;
      }
    }
    return template;
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [template]).catch(() => {});
    await admin.end();
  }
}
