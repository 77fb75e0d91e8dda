/**
 * A notification delivery worker as its own process, for the crash test (notifications/crash.test.ts):
 * NOTIFY_DB_URL (PostgreSQL), NOTIFY_SECRETS_KEY (base64) and NOTIFY_QUEUE (JSON queue options) from the
 * parent. Prints "ready" once the worker polls.
 */
import { createDatabase } from '@investiq/db';
import { startNotifications } from '../notifications/runtime';
import { createLogger } from '../observability/logger';
import { attachSettings } from '../settings/service';

const db = await createDatabase({ databaseUrl: process.env.NOTIFY_DB_URL, migrate: false, poolMax: 4 });
await attachSettings(db, {
  keyring: { current: Buffer.from(process.env.NOTIFY_SECRETS_KEY ?? '', 'base64'), previous: [] },
});
await startNotifications({
  db,
  log: createLogger({ level: 'silent' }),
  now: () => new Date(),
  config: { allowPrivate: true, sendTimeoutMs: 60_000, queue: JSON.parse(process.env.NOTIFY_QUEUE ?? '{}') },
});
process.stdout.write('ready\n');
