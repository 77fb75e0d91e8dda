import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationDeps } from '../notifications/service';
import { createLogger } from '../observability/logger';
import { QuoteHub } from '../quotes/quote-hub';
import { waitFor } from '../test-support/runtime';
import { AlertEngine, leadAlertEngine } from './engine';

const pgUrl = process.env.TEST_DATABASE_URL;

// Only one process evaluates alerts (else every alert would fire once per web replica).
describe.skipIf(!pgUrl)('alert engine leadership on PostgreSQL (two processes)', () => {
  let base: DatabaseHandle & { url?: string };
  let a: DatabaseHandle;
  let b: DatabaseHandle;
  beforeAll(async () => {
    base = await createTestDatabase();
    a = await createDatabase({ databaseUrl: base.url, migrate: false, poolMax: 3 });
    b = await createDatabase({ databaseUrl: base.url, migrate: false, poolMax: 3 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await base?.close();
  });

  it('runs in exactly one process; the standby takes over when the leader stops', async () => {
    const log = createLogger({ level: 'silent' });
    const engine = (db: DatabaseHandle) =>
      new AlertEngine({
        db,
        hub: new QuoteHub(log),
        // nothing fires in this test: leadership only
        notifications: {} as NotificationDeps,
        log,
        now: () => new Date(),
      });
    const ea = engine(a);
    const eb = engine(b);
    const la = leadAlertEngine(a, ea, log, 100);
    await la.ready;
    const lb = leadAlertEngine(b, eb, log, 100);
    await lb.ready;
    expect([la.role(), lb.role()]).toEqual(['leader', 'standby']);
    expect([ea.isRunning, eb.isRunning]).toEqual([true, false]);
    await la.stop();
    expect(ea.isRunning).toBe(false);
    await waitFor(() => eb.isRunning, 5_000, 'the standby to take over');
    expect(lb.role()).toBe('leader');
    await lb.stop();
  });
});
