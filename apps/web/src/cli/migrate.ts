/**
 * `npm run db:migrate`: apply the committed migrations to DATABASE_URL and exit (the Kubernetes migrations
 * Job, deploy/k8s/base/migrate-job.yaml). createDatabase() migrates under the `investiq_migrations` advisory
 * lock, so this is safe while web or collector processes start against the same database.
 */
import { createDatabase, quotesStorage } from '@investiq/db';
import { loadEnv, runtimeConfigFromEnv } from '../env';

async function main() {
  const env = loadEnv();
  if (!env.DATABASE_URL) {
    console.error(
      'db:migrate needs DATABASE_URL (PostgreSQL); the embedded database migrates when it opens.',
    );
    process.exit(2);
  }
  const cfg = runtimeConfigFromEnv(env);
  const db = await createDatabase({ databaseUrl: cfg.databaseUrl, ...cfg.database, migrate: true });
  try {
    console.log(`migrations applied to ${db.describe()} (quotes storage: ${await quotesStorage(db)})`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(`migrations failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
