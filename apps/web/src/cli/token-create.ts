/**
 * `npm run token:create -- --name <name> --role admin|analyst|viewer [--out file]`
 * Creates an API token and prints it once. Stop the web server first on the embedded default (PGlite is
 * single-process).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createApiToken, ROLES, type Role } from '@investiq/api';
import { createDatabase } from '@investiq/db';
import { loadEnv, runtimeConfigFromEnv } from '../env';

async function main() {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      role: { type: 'string', default: 'analyst' },
      out: { type: 'string' },
    },
  });
  if (!values.name) throw new Error('--name is required');
  if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const cfg = runtimeConfigFromEnv(loadEnv());
  const db = await createDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, ...cfg.database });
  try {
    const t = await createApiToken(db, { name: values.name, role: values.role as Role });
    if (values.out) writeFileSync(values.out, t.token, { mode: 0o600 });
    else console.log(`API token '${t.name}' (${t.role}) — shown once, store it now:\n${t.token}`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(`token:create failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
