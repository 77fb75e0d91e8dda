import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { BudgetExhaustedError } from '@investiq/market';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../settings/service';
import { ProviderBudgets } from './budget';
import { SProviderBudgets } from './settings';

describe('provider budgets', () => {
  let db: DatabaseHandle & { url?: string };
  beforeAll(async () => {
    db = await createTestDatabase();
    // finnhub may not be registered on this branch: budgets of a provider id come from the setting
    await setSetting(db, SProviderBudgets, { demo: { perMinute: 5, perDay: 7 } }, 'system:test');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('spends the minute window, then refuses with quota_exhausted and a retry time', async () => {
    const b = new ProviderBudgets(db);
    await b.reset('demo');
    for (let i = 0; i < 5; i++) await b.take('demo', 1);
    const err = await b.take('demo', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExhaustedError);
    expect((err as BudgetExhaustedError).kind).toBe('quota_exhausted');
    expect((err as BudgetExhaustedError).message).toMatch(/per minute \(5\) spent/);
    const usage = await b.usage('demo');
    expect(usage.find((u) => u.window === 'minute')).toMatchObject({ limit: 5, used: 6, ratio: 1 });
    // the day window counted every accepted call (5) plus the refused one that passed it (6 of 7)
    expect(usage.find((u) => u.window === 'day')).toMatchObject({ limit: 7, used: 6 });
  });

  it('refuses a call that costs more than the whole window', async () => {
    const b = new ProviderBudgets(db);
    await b.reset('demo');
    await expect(b.take('demo', 6)).rejects.toThrow(/exceeds the whole per-minute budget of 5/);
  });

  it('a provider without a limit is never refused', async () => {
    const b = new ProviderBudgets(db);
    for (let i = 0; i < 50; i++) await b.take('unlimited-vendor', 1);
    expect((await b.usage('unlimited-vendor')).every((u) => u.limit === 0 && u.used === 0)).toBe(true);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'two handles on the same PostgreSQL database share one budget (two processes)',
    async () => {
      const other = await createDatabase({ databaseUrl: db.url!, migrate: false, poolMax: 2 });
      try {
        const a = new ProviderBudgets(db);
        const b = new ProviderBudgets(other);
        await a.reset('demo');
        for (let i = 0; i < 3; i++) await a.take('demo', 1);
        await b.take('demo', 2); // 5 of 5 spent across both handles
        await expect(a.take('demo', 1)).rejects.toBeInstanceOf(BudgetExhaustedError);
        await expect(b.take('demo', 1)).rejects.toBeInstanceOf(BudgetExhaustedError);
        expect((await b.usage('demo')).find((u) => u.window === 'minute')?.used).toBeGreaterThanOrEqual(5);
      } finally {
        await other.close();
      }
    },
  );
});
