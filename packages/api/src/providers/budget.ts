import type { DatabaseHandle } from '@investiq/db';
import { BudgetExhaustedError, type ProviderBudgetGate } from '@investiq/market';
import type { VendorBudget } from '@investiq/market/vendors';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { createLimiter } from '../security/limiter-store';
import { getSetting } from '../settings/service';
import { providerDescriptor } from './registry';
import { SProviderBudgets } from './settings';

export const BUDGET_WINDOWS = { minute: 60, day: 86_400 } as const;
export type BudgetWindow = keyof typeof BUDGET_WINDOWS;

export interface BudgetUsage {
  provider: string;
  window: BudgetWindow;
  limit: number;
  used: number;
  /** used / limit (0 when the window has no limit). */
  ratio: number;
  resetInSeconds: number;
}

/** The budget in force: the admin's setting, else the vendor's free-tier default (0 = no limit). */
export async function effectiveBudget(db: DatabaseHandle, providerId: string): Promise<VendorBudget> {
  const set = (await getSetting(db, SProviderBudgets))[providerId];
  return set ?? providerDescriptor(providerId)?.budget ?? { perMinute: 0, perDay: 0 };
}

const limitOf = (b: VendorBudget, w: BudgetWindow) => (w === 'minute' ? b.perMinute : b.perDay);

/**
 * Per-provider request budgets, two windows each (minute, day), counted with rate-limiter-flexible: in
 * PostgreSQL (the shared `rate_limits` table) when the database is, so every process spends the same
 * budget; in memory on the embedded PGlite (one process). Fails closed: a store error refuses the call.
 */
export class ProviderBudgets implements ProviderBudgetGate {
  /** One limiter per (window, limit); the counters live under one key prefix, so an edited limit keeps them. */
  private readonly limiters = new Map<string, Promise<RateLimiterAbstract>>();

  constructor(private readonly db: DatabaseHandle) {}

  private limiter(window: BudgetWindow, points: number): Promise<RateLimiterAbstract> {
    const id = `${window}:${points}`;
    const found = this.limiters.get(id);
    if (found) return found;
    const opts = { keyPrefix: `iq_pbudget_${window}`, points, duration: BUDGET_WINDOWS[window] };
    const made = createLimiter(this.db, opts);
    this.limiters.set(id, made);
    made.catch(() => {
      if (this.limiters.get(id) === made) this.limiters.delete(id);
    });
    return made;
  }

  /** Spend `cost` requests of `providerId`'s budget in every limited window, or throw `BudgetExhaustedError`. */
  async take(providerId: string, cost = 1): Promise<void> {
    let budget: VendorBudget;
    try {
      budget = await effectiveBudget(this.db, providerId);
    } catch (err) {
      throw storeDown(providerId, err);
    }
    for (const window of ['day', 'minute'] as const) {
      const limit = limitOf(budget, window);
      if (limit <= 0) continue;
      if (cost > limit)
        throw new BudgetExhaustedError(
          providerId,
          `a call of ${cost} requests exceeds the whole per-${window} budget of ${limit}`,
          BUDGET_WINDOWS[window],
        );
      try {
        await (await this.limiter(window, limit)).consume(providerId, cost);
      } catch (err) {
        if (err instanceof RateLimiterRes) {
          const retry = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
          throw new BudgetExhaustedError(
            providerId,
            `request budget per ${window} (${limit}) spent; next in ${retry} s`,
            retry,
          );
        }
        throw storeDown(providerId, err);
      }
    }
  }

  /** Used/limit per window, for the admin page and the budget gauge. */
  async usage(providerId: string): Promise<BudgetUsage[]> {
    const budget = await effectiveBudget(this.db, providerId);
    const out: BudgetUsage[] = [];
    for (const window of ['minute', 'day'] as const) {
      const limit = limitOf(budget, window);
      let used = 0;
      let resetInSeconds = 0;
      if (limit > 0) {
        const res = await (await this.limiter(window, limit)).get(providerId);
        if (res && res.msBeforeNext > 0) {
          used = res.consumedPoints;
          resetInSeconds = Math.ceil(res.msBeforeNext / 1000);
        }
      }
      out.push({
        provider: providerId,
        window,
        limit,
        used,
        ratio: limit > 0 ? Math.min(1, used / limit) : 0,
        resetInSeconds,
      });
    }
    return out;
  }

  /** Forget the counters of a provider (tests, and an admin resetting after a plan upgrade). */
  async reset(providerId: string): Promise<void> {
    const budget = await effectiveBudget(this.db, providerId);
    for (const window of ['minute', 'day'] as const) {
      const limit = limitOf(budget, window);
      if (limit > 0) await (await this.limiter(window, limit)).delete(providerId);
    }
  }
}

function storeDown(providerId: string, cause: unknown): BudgetExhaustedError {
  const e = new BudgetExhaustedError(providerId, 'request budget store unavailable; call refused', 5);
  (e as { cause?: unknown }).cause = cause;
  return e;
}
