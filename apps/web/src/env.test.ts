import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEnv, runtimeConfigFromEnv, ZEnv } from './env';

describe('web environment', () => {
  it('documents every variable in .env.example', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    for (const key of Object.keys(ZEnv.shape)) {
      expect(example, `${key} missing from .env.example`).toMatch(new RegExp(`^#?${key}=`, 'm'));
    }
  });

  it('defaults to the embedded database with the collector inside the web server', () => {
    const cfg = runtimeConfigFromEnv(loadEnv({}));
    expect(cfg.databaseUrl).toBeUndefined();
    expect(cfg.collector.enabled).toBe(true);
    expect(cfg.dataDir).toMatch(/data[/\\]pglite$/);
    expect(cfg.quotes.defaultMaxAgeSeconds).toBe(30);
  });

  it('builds provider chains from PROVIDERS_* (demo by default) and reads vendor keys and base URLs', () => {
    const def = runtimeConfigFromEnv(loadEnv({}));
    expect(def.providers.chains.US.quotes).toEqual(['demo']);
    expect(def.providers.sessions).toBe('exchange');
    const cfg = runtimeConfigFromEnv(
      loadEnv({
        PROVIDERS_US: 'finnhub, yahoo',
        FINNHUB_API_KEY: 'k1',
        FINNHUB_BASE_URL: 'http://127.0.0.1:9999/api/v1/',
        COLLECTOR_SESSIONS: 'always',
      }),
    );
    expect(cfg.providers.chains.US.quotes).toEqual(['finnhub', 'yahoo']);
    // Yahoo serves no news: the US news chain holds Finnhub alone
    expect(cfg.providers.chains.US.news).toEqual(['finnhub']);
    expect(cfg.providers.apiKeys).toEqual({ finnhub: 'k1' });
    expect(cfg.providers.baseUrls).toEqual({ finnhub: 'http://127.0.0.1:9999/api/v1' });
    expect(cfg.providers.sessions).toBe('always');
  });

  it('refuses unknown providers, a provider of another market, duplicates and bad base URLs', () => {
    expect(() => loadEnv({ PROVIDERS_US: 'nosuch' })).toThrow(/PROVIDERS_US: unknown provider 'nosuch'/);
    expect(() => loadEnv({ PROVIDERS_HK: 'finnhub' })).toThrow(/does not serve market HK/);
    expect(() => loadEnv({ PROVIDERS_US: 'yahoo,yahoo' })).toThrow(/listed twice/);
    expect(() => loadEnv({ YAHOO_BASE_URL: 'ftp://x' })).toThrow(/YAHOO_BASE_URL: must be an http\(s\) URL/);
  });

  it('turns the embedded collector off on PostgreSQL unless asked', () => {
    const pgUrl = 'postgres://u@127.0.0.1:5432/x';
    expect(runtimeConfigFromEnv(loadEnv({ DATABASE_URL: pgUrl })).collector.enabled).toBe(false);
    expect(
      runtimeConfigFromEnv(loadEnv({ DATABASE_URL: pgUrl, COLLECTOR_MODE: 'embedded' })).collector.enabled,
    ).toBe(true);
  });

  it('names the bad variable', () => {
    expect(() => loadEnv({ PORT: 'eighty' })).toThrow(/PORT: /);
    expect(() => loadEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => loadEnv({ QUOTE_MAX_AGE_SECONDS: '0' })).toThrow(/QUOTE_MAX_AGE_SECONDS/);
    expect(() => loadEnv({ DEMO_ALWAYS_OPEN: 'maybe' })).toThrow(/DEMO_ALWAYS_OPEN/);
  });

  it('reads TRUST_PROXY as proxies to believe, METRICS_TOKEN and the SSE limits', () => {
    expect(runtimeConfigFromEnv(loadEnv({})).security.trustProxy).toBe(false);
    expect(runtimeConfigFromEnv(loadEnv({ TRUST_PROXY: 'true' })).security.trustProxy).toBe(1);
    expect(runtimeConfigFromEnv(loadEnv({ TRUST_PROXY: '2' })).security.trustProxy).toBe(2);
    expect(
      runtimeConfigFromEnv(loadEnv({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' })).security.trustProxy,
    ).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() => loadEnv({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY: /);
    expect(() => loadEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: .*32 characters/);
    const cfg = runtimeConfigFromEnv(
      loadEnv({ METRICS_TOKEN: 'm'.repeat(32), SSE_MAX_DURATION_SECONDS: '60' }),
    );
    expect(cfg.security.metricsToken).toBe('m'.repeat(32));
    expect(cfg.streams).toEqual({ maxPerPrincipal: 8, maxDurationMs: 60_000 });
  });

  it('passes the inference token on and refuses inference URLs with credentials or another scheme', () => {
    expect(runtimeConfigFromEnv(loadEnv({ INFERENCE_TOKEN: ' t0k3n-0123456789 ' })).inference.token).toBe(
      't0k3n-0123456789',
    );
    expect(runtimeConfigFromEnv(loadEnv({})).inference.token).toBeUndefined();
    expect(() => loadEnv({ INFERENCE_SENTIMENT_URL: 'http://u:p@127.0.0.1:8002' })).toThrow(
      /INFERENCE_SENTIMENT_URL: must not contain credentials/,
    );
    expect(() => loadEnv({ INFERENCE_CPU_URL: 'ftp://127.0.0.1:8004' })).toThrow(
      /INFERENCE_CPU_URL: must be an http/,
    );
  });
});
