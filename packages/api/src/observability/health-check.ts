import { quotesStorage } from '@investiq/db';
import { inferenceHealth } from '../reports/health';
import type { Runtime } from '../runtime';

export interface HealthSnapshot {
  status: 'ok' | 'degraded' | 'down';
  time: string;
  uptimeSeconds: number;
  database: { status: 'ok' | 'down'; kind: string; quotesStorage?: string; error?: string };
  collector: ReturnType<Runtime['collector']['status']>;
  inference: Record<string, unknown>;
  breakers: Record<string, string>;
}

/** One look at everything /api/health reports: the database, the collector, four services, breakers. */
export async function collectHealth(rt: Runtime): Promise<HealthSnapshot> {
  let database: HealthSnapshot['database'];
  try {
    database = { status: 'ok', kind: rt.db.kind, quotesStorage: await quotesStorage(rt.db) };
  } catch (err) {
    database = { status: 'down', kind: rt.db.kind, error: (err as Error).message };
  }
  const collector = rt.collector.status();
  const collectorOk = collector.state !== 'running' || collector.lastError === null;
  const inference = await inferenceHealth(rt.inference, rt.db);
  const status = database.status === 'down' ? 'down' : collectorOk && inference.ok ? 'ok' : 'degraded';
  return {
    status,
    time: rt.now().toISOString(),
    uptimeSeconds: Math.round((rt.now().getTime() - rt.startedAt.getTime()) / 1000),
    database,
    collector,
    inference: inference.services,
    breakers: {
      [`provider:${rt.provider.id}`]: collector.breaker,
      // one breaker per market-data provider (the chains' failover)
      ...Object.fromEntries(rt.providers.breakers.states().map((b) => [`provider:${b.provider}`, b.state])),
      [rt.reports.providerPolicy.name]: rt.reports.providerPolicy.breakerState(),
      ...rt.inference.breakerStates(),
    },
  };
}

/**
 * The health answer, computed at most once per `ttlMs` and shared by concurrent callers: a flood of
 * /api/health requests costs one database query and four service calls per interval, not per request.
 */
export function createHealthCache(rt: Runtime, ttlMs: number) {
  let cached: { at: number; value: HealthSnapshot } | null = null;
  let pending: Promise<HealthSnapshot> | null = null;
  return {
    /** How many times the health was actually collected (tests, metrics). */
    collections: 0,
    async get(): Promise<HealthSnapshot> {
      const now = Date.now();
      if (cached && now - cached.at < ttlMs) return cached.value;
      if (!pending) {
        this.collections++;
        pending = collectHealth(rt)
          .then((value) => {
            cached = { at: Date.now(), value };
            return value;
          })
          .finally(() => {
            pending = null;
          });
      }
      return pending;
    },
  };
}
