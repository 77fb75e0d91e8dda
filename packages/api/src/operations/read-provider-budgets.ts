import type { Registry } from 'prom-client';

/**
 * The data-provider metrics, by name and type: the contract between the provider layer that records them
 * and what reads them — this module (the Operations page), deploy/prometheus/rules.yml and the
 * collector/providers Grafana dashboard. Labels: requests {provider, outcome} with outcome `ok` or an error
 * kind (rate_limited, quota_exhausted, timeout, unavailable, bad_response, forbidden, unauthorized);
 * duration {provider}; budget {provider, window} with window minute|day, 0..1; breaker {provider} with
 * 0 closed, 1 half-open, 2 open.
 */
export const PROVIDER_METRICS = {
  requests: { name: 'investiq_provider_requests_total', type: 'counter' },
  duration: { name: 'investiq_provider_request_duration_seconds', type: 'histogram' },
  budget: { name: 'investiq_provider_budget_used_ratio', type: 'gauge' },
  breaker: { name: 'investiq_provider_breaker_state', type: 'gauge' },
} as const;

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;

export interface ProviderBudget {
  provider: string;
  /** Share of the budget used, 0..1, per window; null when the provider has no such limit. */
  minuteUsed: number | null;
  dayUsed: number | null;
  breaker: (typeof BREAKER_STATES)[number] | null;
  /** Requests since this process started: answered, and failed by error kind. */
  ok: number;
  errors: Record<string, number>;
}

interface Sample {
  labels: Record<string, string | number | undefined>;
  value: number;
  metricName?: string;
}

/** A metric's current samples, or [] when it is not registered in this process. */
async function samples(registry: Registry, name: string): Promise<Sample[]> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return [];
  return (await metric.get()).values as Sample[];
}

/**
 * Per-provider request budgets, breaker and outcomes as this process's prom-client registry holds them (the
 * same numbers /metrics exports, so the page and the alerts agree). Null when no provider has recorded
 * anything here: no real (rate-limited) provider is configured, or the collector runs in another process.
 */
export async function readProviderBudgets(registry: Registry): Promise<ProviderBudget[] | null> {
  const [requests, budget, breaker] = await Promise.all([
    samples(registry, PROVIDER_METRICS.requests.name),
    samples(registry, PROVIDER_METRICS.budget.name),
    samples(registry, PROVIDER_METRICS.breaker.name),
  ]);
  const by = new Map<string, ProviderBudget>();
  const entry = (provider: unknown): ProviderBudget | null => {
    if (typeof provider !== 'string' || provider === '') return null;
    let e = by.get(provider);
    if (!e) {
      e = { provider, minuteUsed: null, dayUsed: null, breaker: null, ok: 0, errors: {} };
      by.set(provider, e);
    }
    return e;
  };
  for (const s of budget) {
    const e = entry(s.labels.provider);
    if (!e || !Number.isFinite(s.value)) continue;
    const used = Math.min(1, Math.max(0, s.value));
    if (s.labels.window === 'minute') e.minuteUsed = used;
    else if (s.labels.window === 'day') e.dayUsed = used;
  }
  for (const s of breaker) {
    const e = entry(s.labels.provider);
    if (e) e.breaker = BREAKER_STATES[s.value] ?? null;
  }
  for (const s of requests) {
    const e = entry(s.labels.provider);
    const outcome = s.labels.outcome;
    if (!e || typeof outcome !== 'string') continue;
    if (outcome === 'ok') e.ok += s.value;
    else e.errors[outcome] = (e.errors[outcome] ?? 0) + s.value;
  }
  if (by.size === 0) return null;
  return [...by.values()].sort((a, b) => a.provider.localeCompare(b.provider));
}
