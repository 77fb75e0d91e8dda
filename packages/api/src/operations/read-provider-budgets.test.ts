import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../observability/metrics';
import { PROVIDER_METRICS, readProviderBudgets } from './read-provider-budgets';

// The provider layer's metrics as it declares them (names, types and labels from PROVIDER_METRICS), on a
// real prom-client registry; the reader must give the page the numbers /metrics exports.
function providerMetrics(registry: Registry) {
  return {
    requests: new Counter({
      name: PROVIDER_METRICS.requests.name,
      help: 'provider requests by outcome',
      labelNames: ['provider', 'outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: PROVIDER_METRICS.duration.name,
      help: 'provider request duration',
      labelNames: ['provider'] as const,
      registers: [registry],
    }),
    budget: new Gauge({
      name: PROVIDER_METRICS.budget.name,
      help: 'budget used',
      labelNames: ['provider', 'window'] as const,
      registers: [registry],
    }),
    breaker: new Gauge({
      name: PROVIDER_METRICS.breaker.name,
      help: 'breaker state',
      labelNames: ['provider'] as const,
      registers: [registry],
    }),
  };
}

describe('provider budgets from the metrics registry', () => {
  it('is null when no provider metric is registered (no real provider configured here)', async () => {
    expect(await readProviderBudgets(new Registry())).toBeNull();
  });

  it('is null when the metrics exist but no provider has recorded anything yet', async () => {
    const registry = new Registry();
    providerMetrics(registry);
    expect(await readProviderBudgets(registry)).toBeNull();
  });

  it('gives each provider its windows, breaker and outcomes, sorted by name', async () => {
    const registry = new Registry();
    const m = providerMetrics(registry);
    m.budget.set({ provider: 'tushare', window: 'minute' }, 0.4);
    m.budget.set({ provider: 'tushare', window: 'day' }, 0.93);
    m.budget.set({ provider: 'finnhub', window: 'minute' }, 1.2); // over-counted: shown as spent
    m.breaker.set({ provider: 'tushare' }, 0);
    m.breaker.set({ provider: 'finnhub' }, 2);
    m.requests.inc({ provider: 'finnhub', outcome: 'ok' }, 57);
    m.requests.inc({ provider: 'finnhub', outcome: 'rate_limited' }, 3);
    m.requests.inc({ provider: 'finnhub', outcome: 'timeout' });
    m.requests.inc({ provider: 'tushare', outcome: 'ok' }, 10);
    expect(await readProviderBudgets(registry)).toEqual([
      {
        provider: 'finnhub',
        minuteUsed: 1,
        dayUsed: null,
        breaker: 'open',
        ok: 57,
        errors: { rate_limited: 3, timeout: 1 },
      },
      { provider: 'tushare', minuteUsed: 0.4, dayUsed: 0.93, breaker: 'closed', ok: 10, errors: {} },
    ]);
  });

  it('reads a breaker alone, and a half-open one', async () => {
    const registry = new Registry();
    providerMetrics(registry).breaker.set({ provider: 'yahoo' }, 1);
    expect(await readProviderBudgets(registry)).toEqual([
      { provider: 'yahoo', minuteUsed: null, dayUsed: null, breaker: 'half-open', ok: 0, errors: {} },
    ]);
  });

  it("reads the process registry's provider metrics once they are declared there", async () => {
    const metrics = createMetrics();
    // declared by the provider layer when it is merged; until then this test declares them
    const budget =
      (metrics.registry.getSingleMetric(PROVIDER_METRICS.budget.name) as Gauge<'provider' | 'window'>) ??
      providerMetrics(metrics.registry).budget;
    budget.set({ provider: 'finnhub', window: 'day' }, 0.5);
    const read = await readProviderBudgets(metrics.registry);
    expect(read?.find((p) => p.provider === 'finnhub')?.dayUsed).toBe(0.5);
  });
});
