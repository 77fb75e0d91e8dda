/**
 * The collector on a chain of two vendors replayed by real local HTTP servers (Finnhub primary, Yahoo
 * second; recorded formats from packages/market/fixtures, see the READMEs there). Nothing of ours is
 * faked: the runtime, its database, the chain, the adapters and their HTTP all run for real; only the
 * vendors are replays. A manual clock drives the collector's intervals and the quotes' freshness; the
 * breaker's half-open delay runs on real time (200 ms).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TLatestQuote } from '@investiq/contracts';
import { DEMO_UNIVERSE } from '@investiq/market/demo';
import { type ReplayRoute, type ReplayServer, startReplayServer } from '@investiq/market/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestQuotes } from '../quotes/get-latest-quotes';
import type { Runtime } from '../runtime';
import { setSetting } from '../settings/service';
import { createTestRuntime, waitFor } from '../test-support/runtime';
import { getProviderOverview, testProviderConnection } from './get-provider-overview';
import { chainsFromList } from './registry';
import { SProviderBudgets } from './settings';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../market/fixtures');
const finnhubQuote = JSON.parse(readFileSync(path.join(FIXTURES, 'finnhub/quote-AAPL.json'), 'utf8'));
const yahooChart = JSON.parse(readFileSync(path.join(FIXTURES, 'yahoo/chart-AAPL-quote.json'), 'utf8'));
const maintenanceHtml = readFileSync(path.join(FIXTURES, 'finnhub/maintenance.html'), 'utf8');
const finnhub429 = readFileSync(path.join(FIXTURES, 'finnhub/error-429.json'), 'utf8');

const US = DEMO_UNIVERSE.filter((i) => i.market === 'US').map((i) => ({
  market: 'US' as const,
  symbol: i.symbol,
}));
const INTERVAL_MS = 2_000;

describe('collector failover on a chain of two replayed vendors', () => {
  let rt: Runtime;
  let finnhub: ReplayServer;
  let yahoo: ReplayServer;
  // the replay servers read their routes per request: the test edits these arrays to script outages
  const finnhubRoutes: ReplayRoute[] = [];
  const yahooRoutes: ReplayRoute[] = [];
  // a US session (Wednesday 2025-12-03 13:00 New York, the day the fixtures were recorded): the quotes
  // answer fresh/stale, not `closed`; the replayed quote times follow this clock
  let clock = Date.parse('2025-12-03T18:00:00Z');
  const now = () => new Date(clock);

  // the healthy answers; outages are routes put in front of them
  const finnhubOk: ReplayRoute = { path: '/api/v1/quote', body: finnhubQuote };
  const yahooOk: ReplayRoute = { path: /^\/v8\/finance\/chart\//, body: yahooChart };

  /** The vendors answer with the current clock as quote time (a live feed), each with its own price. */
  const refreshBodies = () => {
    const t = Math.floor(clock / 1000);
    finnhubOk.body = { ...finnhubQuote, t };
    const chart = structuredClone(yahooChart);
    chart.chart.result[0].meta.regularMarketTime = t;
    yahooOk.body = chart;
  };

  /** One collector interval later: advance the clock, refresh the replayed quotes, tick. */
  const tick = async () => {
    clock += INTERVAL_MS;
    refreshBodies();
    return rt.collector.tick().catch((err: unknown) => err);
  };

  const latestUs = async (): Promise<TLatestQuote[]> => getLatestQuotes(rt.db, US, 30, now());
  const sourcesOf = (qs: TLatestQuote[]) => qs.map((q) => (q.status === 'fresh' ? q.quote.source : q.status));

  beforeAll(async () => {
    finnhubRoutes.push(finnhubOk);
    yahooRoutes.push(yahooOk);
    finnhub = await startReplayServer(finnhubRoutes);
    yahoo = await startReplayServer(yahooRoutes);
    rt = await createTestRuntime({
      now,
      config: {
        collector: { enabled: false, intervalMs: INTERVAL_MS },
        providers: {
          chains: { US: chainsFromList('US', ['finnhub', 'yahoo']) },
          baseUrls: { finnhub: `${finnhub.url}/api/v1`, yahoo: yahoo.url },
          apiKeys: { finnhub: 'replay-key' },
          sessions: 'always',
          timeoutMs: 2_000,
          breaker: { threshold: 2, halfOpenAfterMs: 200, maxHalfOpenAfterMs: 200 },
        },
      },
    });
    // generous budgets: this test is about failures, not spending (budget.test.ts covers that)
    await setSetting(
      rt.db,
      SProviderBudgets,
      { finnhub: { perMinute: 10_000, perDay: 0 }, yahoo: { perMinute: 10_000, perDay: 0 } },
      'system:test',
    );
  }, 120_000);

  afterAll(async () => {
    await rt?.close();
    await finnhub?.close();
    await yahoo?.close();
  });

  it('polls the primary and labels quotes with it', async () => {
    await tick();
    const latest = await latestUs();
    expect(sourcesOf(latest)).toEqual(US.map(() => 'finnhub'));
    expect(latest[0]).toMatchObject({ status: 'fresh', quote: { price: finnhubQuote.c } });
    expect(finnhub.requests.some((r) => r.headers['x-finnhub-token'] === 'replay-key')).toBe(true);
    expect(yahoo.requests).toHaveLength(0);
    expect(rt.collector.status().markets.find((m) => m.market === 'US')).toMatchObject({
      lastSource: 'finnhub',
      provider: 'finnhub',
    });
  });

  it('the primary answers 429: the next poll comes from the second source, labelled with it', async () => {
    finnhubRoutes.unshift({ path: '/api/v1/quote', status: 429, body: finnhub429 });
    await tick(); // one polling interval
    const latest = await latestUs();
    expect(sourcesOf(latest)).toEqual(US.map(() => 'yahoo'));
    expect(latest[0]).toMatchObject({
      status: 'fresh',
      quote: { price: yahooChart.chart.result[0].meta.regularMarketPrice },
    });
    expect(rt.providers.health.view('finnhub').errors.rate_limited).toBeGreaterThan(0);
  });

  it('both fail (429 and an HTML maintenance page): nothing is invented and the quotes turn stale', async () => {
    yahooRoutes.unshift({
      path: /^\/v8\/finance\/chart\//,
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: maintenanceHtml,
    });
    const lastFresh = (await latestUs())[0];
    // 30 s freshness limit, 2 s per poll: 16 failed polls later the last quote is 32 s old
    for (let i = 0; i < 16; i++) await tick();
    const latest = await latestUs();
    expect(latest.every((q) => q.status === 'stale')).toBe(true);
    expect(latest[0]).toMatchObject({
      status: 'stale',
      lastSeenAt: lastFresh?.status === 'fresh' ? lastFresh.quote.ts : '',
    });
    expect(rt.providers.health.view('yahoo').errors.bad_response).toBeGreaterThan(0);
    expect(rt.providers.breakers.state('finnhub')).toBe('open');
    expect(rt.collector.status().lastError).toMatch(/every provider failed/);
  });

  it('the primary returns: a half-open probe succeeds, the breaker closes and the source switches back', async () => {
    finnhubRoutes.shift(); // the 429 is gone
    yahooRoutes.shift(); // and Yahoo is back too: the chain must still prefer its primary
    // the probe waits for the breaker's half-open delay (real time): tick until the primary answers
    await waitFor(
      async () => {
        await tick();
        return sourcesOf(await latestUs()).every((s) => s === 'finnhub');
      },
      10_000,
      'quotes from finnhub again',
    );
    expect(rt.providers.breakers.state('finnhub')).toBe('closed');
    expect((await latestUs()).every((q) => q.status === 'fresh')).toBe(true);
  });

  it('exports the provider metrics the alert rules read', async () => {
    const text = await rt.metrics.registry.metrics();
    expect(text).toMatch(/^investiq_provider_requests_total\{provider="finnhub",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(
      /^investiq_provider_requests_total\{provider="finnhub",outcome="rate_limited"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^investiq_provider_requests_total\{provider="yahoo",outcome="bad_response"\} [1-9]/m,
    );
    expect(text).toMatch(/^investiq_provider_request_duration_seconds_count\{provider="yahoo"\} [1-9]/m);
    expect(text).toMatch(/^investiq_provider_breaker_state\{provider="finnhub"\} 0$/m);
    // budgets of 10 000 a minute: a few dozen calls are a small, non-zero share
    const used = text.match(
      /^investiq_provider_budget_used_ratio\{provider="finnhub",window="minute"\} (\S+)$/m,
    );
    expect(Number(used?.[1])).toBeGreaterThan(0);
    expect(Number(used?.[1])).toBeLessThan(0.1);
  });

  it('the admin overview names the chains, calls and errors; "test connection" answers ok or the typed error', async () => {
    const { providers } = await getProviderOverview({
      db: rt.db,
      live: rt.providers,
      collector: rt.collector,
    });
    const fh = providers.find((p) => p.id === 'finnhub')!;
    expect(fh.serves).toContainEqual({ market: 'US', kind: 'quotes', position: 1 });
    expect(fh.keyConfigured).toBe(true);
    expect(fh.stats.ok).toBeGreaterThan(0);
    expect(fh.stats.errors.rate_limited).toBeGreaterThan(0);
    expect(fh.budget.find((b) => b.window === 'minute')).toMatchObject({ limit: 10_000 });
    expect(fh.refresh).toEqual([
      expect.objectContaining({ market: 'US', symbols: US.length, keepsFresh: true }),
    ]);
    expect(providers.find((p) => p.id === 'yahoo')?.serves).toContainEqual({
      market: 'US',
      kind: 'quotes',
      position: 2,
    });

    const ok = await testProviderConnection(rt.providers, 'finnhub');
    expect(ok).toMatchObject({ ok: true, probe: `quote US:${US[0]!.symbol}` });
    finnhubRoutes.unshift({ path: '/api/v1/quote', status: 401, body: { error: 'Invalid API key' } });
    const denied = await testProviderConnection(rt.providers, 'finnhub');
    finnhubRoutes.shift();
    expect(denied).toMatchObject({ ok: false, kind: 'unauthorized' });
  });
});
