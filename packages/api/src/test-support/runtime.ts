import { createTestDatabase } from '@investiq/db/testing';
import { createLogger } from '../observability/logger';
import { createRuntime, type Runtime, type RuntimeConfig } from '../runtime';

export const testConfig = (over: Partial<RuntimeConfig> = {}): RuntimeConfig => ({
  dataDir: 'memory://',
  provider: 'demo',
  demo: { seed: 42, alwaysOpen: true },
  collector: { enabled: false, intervalMs: 1000 },
  quotes: { defaultMaxAgeSeconds: 30, retentionDays: 30, historyYears: 1, maxIngestRows: 10_000 },
  logLevel: 'silent',
  ...over,
});

/** A real runtime on a fresh test database (PGlite, or PostgreSQL when TEST_DATABASE_URL is set). */
export async function createTestRuntime(
  opts: { now?: () => Date; config?: Partial<RuntimeConfig> } = {},
): Promise<Runtime & { dbUrl?: string }> {
  const db = await createTestDatabase();
  const rt = await createRuntime(testConfig(opts.config), {
    db,
    now: opts.now,
    log: createLogger({ level: 'silent' }),
    onProgress: () => {},
  });
  return {
    ...rt,
    dbUrl: db.url,
    async close() {
      await rt.close();
      await db.close();
    },
  };
}

/** Wait until `check` returns a truthy value, polling, with a deadline. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
