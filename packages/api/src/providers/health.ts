import type { CallEvent } from '@investiq/market';
import type { Metrics } from '../observability/metrics';

export interface ProviderStatsView {
  provider: string;
  calls: number;
  ok: number;
  errors: Record<string, number>;
  p50Ms: number | null;
  p95Ms: number | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
}

interface Stats {
  calls: number;
  ok: number;
  errors: Map<string, number>;
  /** The latest durations (ring of 500) for p50/p95. */
  durations: number[];
  next: number;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
}

const RING = 500;

/** Nearest-rank percentile of a sample (p in 0..100). */
export function percentile(sample: readonly number[], p: number): number | null {
  if (sample.length === 0) return null;
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Calls, errors by kind, latency and last success per provider in this process (the admin page), fed by
 * the chains' call events; every event also goes to the Prometheus metrics.
 */
export class ProviderHealth {
  private readonly stats = new Map<string, Stats>();
  constructor(private readonly metrics?: Metrics) {}

  record = (e: CallEvent): void => {
    let s = this.stats.get(e.provider);
    if (!s) {
      s = {
        calls: 0,
        ok: 0,
        errors: new Map(),
        durations: [],
        next: 0,
        lastSuccessAt: null,
        lastErrorAt: null,
        lastError: null,
      };
      this.stats.set(e.provider, s);
    }
    s.calls += 1;
    if (e.outcome === 'ok') {
      s.ok += 1;
      s.lastSuccessAt = e.at;
    } else {
      s.errors.set(e.outcome, (s.errors.get(e.outcome) ?? 0) + 1);
      s.lastErrorAt = e.at;
      s.lastError = e.message ?? e.outcome;
    }
    if (e.reached) {
      // a budget refusal or an open breaker never reached the vendor: counted as an outcome, not timed
      if (s.durations.length < RING) s.durations.push(e.durationMs);
      else s.durations[s.next] = e.durationMs;
      s.next = (s.next + 1) % RING;
      this.metrics?.providerDuration.observe({ provider: e.provider }, e.durationMs / 1000);
    }
    this.metrics?.providerRequests.inc({ provider: e.provider, outcome: e.outcome });
  };

  view(provider: string): ProviderStatsView {
    const s = this.stats.get(provider);
    return {
      provider,
      calls: s?.calls ?? 0,
      ok: s?.ok ?? 0,
      errors: Object.fromEntries(s?.errors ?? []),
      p50Ms: s ? percentile(s.durations, 50) : null,
      p95Ms: s ? percentile(s.durations, 95) : null,
      lastSuccessAt: s?.lastSuccessAt?.toISOString() ?? null,
      lastErrorAt: s?.lastErrorAt?.toISOString() ?? null,
      lastError: s?.lastError ?? null,
    };
  }
}
