/**
 * `npm run token:create -- --name <name> --owner <username> [--role admin|analyst|viewer]
 *   [--expires-days N] [--out file]`
 * Creates an API token acting for the owner (it stops working when the owner is disabled or deleted; its
 * role may not exceed the owner's) and prints it once. Expiry: at most the security.apiTokens setting. Stop the web server first on the embedded default (PGlite is
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
      owner: { type: 'string' },
      'expires-days': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.name) throw new Error('--name is required');
  if (!values.owner) throw new Error('--owner <username> is required (the user the token acts for)');
  const days = values['expires-days'] === undefined ? undefined : Number(values['expires-days']);
  if (days !== undefined && !(Number.isInteger(days) && days >= 1))
    throw new Error('--expires-days must be a whole number ≥ 1');
  if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const cfg = runtimeConfigFromEnv(loadEnv());
  const db = await createDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, ...cfg.database });
  try {
    const owner = await db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [
      values.owner.trim().toLowerCase(),
    ]);
    if (!owner[0]) throw new Error(`--owner: no user '${values.owner}'`);
    const t = await createApiToken(db, {
      name: values.name,
      role: values.role as Role,
      ownerId: owner[0].id,
      expiresInDays: days,
    });
    const expiry = t.expiresAt ? `expires ${t.expiresAt}` : 'does not expire';
    if (values.out) writeFileSync(values.out, t.token, { mode: 0o600 });
    else
      console.log(
        `API token '${t.name}' (${t.role}, owner ${values.owner}, ${expiry}) — shown once, store it now:\n${t.token}`,
      );
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(`token:create failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
