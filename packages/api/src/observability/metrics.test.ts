import { describe, expect, it } from 'vitest';
import { createPolicy } from '../resilience';
import { createMetrics, recordIngest } from './metrics';

// The metrics the shipped alert rules (deploy/prometheus/rules.yml) and dashboards read.
describe('operational metrics', () => {
  it('exports each breaker state by policy name, following the breaker', async () => {
    const metrics = createMetrics();
    const p = createPolicy('test:flaky', {
      timeoutMs: 1_000,
      retries: 0,
      breakerThreshold: 2,
      halfOpenAfterMs: 60_000,
      maxConcurrent: 1,
      maxQueue: 1,
    });
    expect(await metrics.registry.getSingleMetricAsString('investiq_breaker_state')).toContain(
      'investiq_breaker_state{policy="test:flaky"} 0',
    );
    for (let i = 0; i < 2; i++)
      await expect(p.policy.execute(() => Promise.reject(new Error('x')))).rejects.toThrow();
    expect(await metrics.registry.getSingleMetricAsString('investiq_breaker_state')).toContain(
      'investiq_breaker_state{policy="test:flaky"} 2',
    );
  });

  it('exports whether each exchange is in session', async () => {
    const text = await createMetrics().registry.getSingleMetricAsString('investiq_market_session_open');
    for (const m of ['CN', 'HK', 'US']) expect(text).toMatch(new RegExp(`market="${m}"\\} [01]\\n?`));
  });

  it('records rows, the newest quote per market and the lag to commit', async () => {
    const metrics = createMetrics();
    const committed = new Date('2026-03-02T15:00:10Z');
    recordIngest(
      metrics,
      'http',
      [
        { market: 'US', ts: new Date('2026-03-02T15:00:00Z') },
        { market: 'US', ts: new Date('2026-03-02T15:00:04Z') },
        { market: 'HK', ts: new Date('2026-03-02T14:59:00Z') },
      ],
      { inserted: 2, duplicates: 1 },
      committed,
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain('investiq_quotes_ingested_total{path="http"} 2');
    expect(text).toContain('investiq_quotes_duplicate_total{path="http"} 1');
    expect(text).toContain(
      `investiq_market_last_quote_timestamp_seconds{market="US"} ${Date.parse('2026-03-02T15:00:04Z') / 1000}`,
    );
    expect(text).toContain(
      `investiq_market_last_quote_timestamp_seconds{market="HK"} ${Date.parse('2026-03-02T14:59:00Z') / 1000}`,
    );
    // newest quote 15:00:04, committed 15:00:10 → 6 s: in the le=10 bucket, not le=5
    expect(text).toContain('investiq_quote_ingest_lag_seconds_bucket{le="5",path="http"} 0');
    expect(text).toContain('investiq_quote_ingest_lag_seconds_bucket{le="10",path="http"} 1');
    expect(text).toContain('investiq_quote_ingest_lag_seconds_sum{path="http"} 6');
  });
});
