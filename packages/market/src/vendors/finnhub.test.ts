import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider';
import { FinnhubProvider } from './finnhub';
import { FINNHUB } from './registry-us';
import { type ReplayRoute, type ReplayServer, startReplayServer } from './test-support/replay-server';

const FIXTURES = fileURLToPath(new URL('../../fixtures/finnhub/', import.meta.url));
const KEY = 'test-finnhub-key-0001';
const P = '/api/v1';
const html = { 'content-type': 'text/html; charset=utf-8' };

const ROUTES: ReplayRoute[] = [
  { path: `${P}/quote`, query: { symbol: 'AAPL' }, file: 'quote-AAPL.json' },
  { path: `${P}/quote`, query: { symbol: 'ZZZZ' }, file: 'quote-unknown.json' },
  { path: `${P}/quote`, query: { symbol: 'BADKEY' }, status: 401, file: 'error-401.json' },
  { path: `${P}/quote`, query: { symbol: 'LIMIT' }, status: 429, file: 'error-429.json' },
  {
    path: `${P}/quote`,
    query: { symbol: 'RESET' },
    status: 429,
    headers: { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1764795630' },
    file: 'error-429.json',
  },
  { path: `${P}/quote`, query: { symbol: 'HTML' }, headers: html, file: 'maintenance.html' },
  { path: `${P}/quote`, query: { symbol: 'DOWN' }, status: 503, headers: html, file: 'maintenance.html' },
  { path: `${P}/quote`, query: { symbol: 'TRUNC' }, file: 'quote-truncated.txt' },
  { path: `${P}/quote`, query: { symbol: 'SLOW' }, hang: true },
  { path: `${P}/stock/candle`, query: { symbol: 'AAPL', resolution: 'D' }, file: 'candle-AAPL-D.json' },
  { path: `${P}/stock/candle`, query: { symbol: 'ZZZZ' }, file: 'candle-no_data.json' },
  { path: `${P}/stock/candle`, query: { symbol: 'MSFT' }, status: 403, file: 'error-403.json' },
  { path: `${P}/stock/profile2`, query: { symbol: 'AAPL' }, file: 'profile2-AAPL.json' },
  { path: `${P}/stock/metric`, query: { symbol: 'AAPL', metric: 'all' }, file: 'metric-AAPL.json' },
  {
    path: `${P}/stock/financials-reported`,
    query: { symbol: 'AAPL', freq: 'annual' },
    file: 'financials-reported-AAPL.json',
  },
  { path: `${P}/stock/profile2`, query: { symbol: 'ZZZZ' }, body: {} },
  { path: `${P}/stock/metric`, query: { symbol: 'ZZZZ' }, file: 'metric-empty.json' },
  {
    path: `${P}/stock/financials-reported`,
    query: { symbol: 'ZZZZ' },
    file: 'financials-reported-empty.json',
  },
  { path: `${P}/company-news`, query: { symbol: 'AAPL' }, file: 'company-news-AAPL.json' },
  { path: `${P}/stock/symbol`, query: { exchange: 'US' }, file: 'stock-symbol-US.json' },
  { path: `${P}/search`, query: { q: 'apple' }, file: 'search-apple.json' },
];

let server: ReplayServer;
const NOW = new Date('2025-12-03T22:00:00Z');

function provider(extra: Partial<ConstructorParameters<typeof FinnhubProvider>[0]> = {}): FinnhubProvider {
  return new FinnhubProvider({ baseUrl: `${server.url}${P}`, apiKey: KEY, now: () => NOW, ...extra });
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

beforeAll(async () => {
  server = await startReplayServer(ROUTES, { fixturesDir: FIXTURES });
});
afterAll(async () => {
  await server.close();
});

describe('Finnhub adapter', () => {
  it('maps /quote and sends the key in X-Finnhub-Token, never in the URL', async () => {
    const quotes = await provider().getQuotes([{ market: 'US', symbol: 'AAPL' }]);
    expect(quotes).toEqual([
      {
        market: 'US',
        symbol: 'AAPL',
        ts: new Date(1764795600 * 1000),
        source: 'finnhub',
        price: 261.74,
        open: 262.82,
        high: 263.31,
        low: 260.68,
        prevClose: 262.84,
        volume: null,
      },
    ]);
    const req = server.requests.find((r) => r.pathname === `${P}/quote` && r.query.symbol === 'AAPL');
    expect(req?.headers['x-finnhub-token']).toBe(KEY);
    expect(req?.url).not.toContain(KEY);
    expect(req?.query.token).toBeUndefined();
  });

  it('an all-zero quote (unknown symbol) is no data, not a zero price', async () => {
    const quotes = await provider().getQuotes([
      { market: 'US', symbol: 'ZZZZ' },
      { market: 'US', symbol: 'AAPL' },
    ]);
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL']);
  });

  it.each([
    ['BADKEY', 'unauthorized', 'Invalid API key'],
    ['LIMIT', 'rate_limited', 'API limit reached'],
    ['HTML', 'bad_response', 'non-JSON body'],
    ['DOWN', 'unavailable', 'HTTP 503'],
    ['TRUNC', 'bad_response', 'malformed JSON'],
  ])('quote %s → %s', async (symbol, kind, text) => {
    const e = await failure(provider().getQuotes([{ market: 'US', symbol }]));
    expect(e.kind).toBe(kind);
    expect(e.message).toContain(text);
    expect(e.message).not.toContain(KEY);
  });

  it('429 carries the wait from X-Ratelimit-Reset', async () => {
    const now = new Date(1764795600 * 1000);
    const e = await failure(provider({ now: () => now }).getQuotes([{ market: 'US', symbol: 'RESET' }]));
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterSeconds).toBe(30);
  });

  it('times out against a server that never answers', async () => {
    const e = await failure(provider({ timeoutMs: 150 }).getQuotes([{ market: 'US', symbol: 'SLOW' }]));
    expect(e.kind).toBe('timeout');
  });

  it('daily candles: UTC dates, range filter, no_data → [], 403 plan limit → forbidden', async () => {
    const bars = await provider().getDailyBars(
      { market: 'US', symbol: 'AAPL' },
      { from: '2025-12-01', to: '2025-12-03' },
    );
    expect(bars).toEqual([
      { time: '2025-12-01', open: 269.0, high: 272.36, low: 268.11, close: 271.49, volume: 41562035 },
      { time: '2025-12-02', open: 272.1, high: 276.9, low: 271.94, close: 275.25, volume: 45832105 },
      { time: '2025-12-03', open: 275.9, high: 279.0, low: 275.31, close: 277.55, volume: 38012611 },
    ]);
    const req = server.requests.findLast((r) => r.pathname === `${P}/stock/candle`);
    // 2025-12-01T00:00:00Z and 2025-12-03T23:59:59Z
    expect(req?.query).toMatchObject({ from: '1764547200', to: '1764806399' });
    await expect(
      provider().getDailyBars({ market: 'US', symbol: 'ZZZZ' }, { from: '2025-12-01', to: '2025-12-03' }),
    ).resolves.toEqual([]);
    const e = await failure(
      provider().getDailyBars({ market: 'US', symbol: 'MSFT' }, { from: '2025-12-01', to: '2025-12-03' }),
    );
    expect(e.kind).toBe('forbidden');
    expect(e.message).toContain("You don't have access to this resource.");
  });

  it('fundamentals from the 10-K as reported, ratios derived from it', async () => {
    const f = await provider().getFundamentals({ market: 'US', symbol: 'AAPL' });
    expect(f).toMatchObject({
      market: 'US',
      symbol: 'AAPL',
      currency: 'USD',
      fiscalPeriodEnd: '2025-09-27',
      // EDGAR acceptance 2025-10-30 18:04:43 US Eastern (EDT, UTC-4)
      asOf: '2025-10-30T22:04:43.000Z',
      income: {
        revenue: 416161000000,
        grossProfit: 195201000000,
        operatingIncome: 133050000000,
        netIncome: 112010000000,
        eps: 7.46,
      },
      balance: {
        totalAssets: 359241000000,
        totalLiabilities: 285508000000,
        equity: 73733000000,
        cash: 35934000000,
        sharesOutstanding: 14773260000,
      },
      isDemo: false,
    });
    expect(f.ratios.pe).toBe(35.0629);
    expect(f.ratios.pb).toBe(50.978);
    expect(f.ratios.roe).toBeCloseTo(112010 / 73733, 10);
    expect(f.ratios.grossMargin).toBeCloseTo(195201 / 416161, 10);
    expect(f.ratios.operatingMargin).toBeCloseTo(133050 / 416161, 10);
    expect(f.ratios.netMargin).toBeCloseTo(112010 / 416161, 10);
    expect(f.ratios.revenueGrowth).toBeCloseTo(416161 / 391035 - 1, 10);
    expect(f.ratios.earningsGrowth).toBeCloseTo(112010 / 93736 - 1, 10);
    expect(f.ratios.debtToEquity).toBeCloseTo(285508 / 73733, 10);
  });

  it('fundamentals without an annual report are unsupported, not invented', async () => {
    const e = await failure(provider().getFundamentals({ market: 'US', symbol: 'ZZZZ' }));
    expect(e.kind).toBe('unsupported');
  });

  it('news: newest first, cut at until, window sent as from/to', async () => {
    const until = new Date(1764800000 * 1000);
    const news = await provider().getNews({ market: 'US', symbol: 'AAPL' }, { until, limit: 5 });
    expect(news.map((n) => n.id)).toEqual(['finnhub:137563001', 'finnhub:137562211']);
    expect(news[0]).toMatchObject({
      lang: 'en',
      source: 'MarketWatch',
      publishedAt: new Date(1764792000 * 1000).toISOString(),
      url: 'https://finnhub.io/api/news?id=77b1e0d2',
      isDemo: false,
    });
    const req = server.requests.findLast((r) => r.pathname === `${P}/company-news`);
    expect(req?.query).toMatchObject({ symbol: 'AAPL', from: '2025-11-19', to: '2025-12-03' });
    await expect(provider().getNews({ market: 'US', symbol: 'AAPL' }, { lang: 'zh' })).resolves.toEqual([]);
  });

  it('universe: equities on NYSE/Nasdaq venues in our symbol format, then search filters it locally', async () => {
    const p = provider();
    const uni = await p.listUniverse('US');
    expect(uni.map((s) => s.symbol)).toEqual(['AAPL', 'BABA', 'BRK.B', 'O']);
    expect(uni.find((s) => s.symbol === 'BRK.B')).toEqual({
      market: 'US',
      symbol: 'BRK.B',
      name: 'BERKSHIRE HATHAWAY INC-CL B',
      nameZh: 'BERKSHIRE HATHAWAY INC-CL B',
      currency: 'USD',
      exchange: 'NYSE',
      isDemo: false,
    });
    const before = server.requests.length;
    expect((await p.searchSymbols('berkshire')).map((s) => s.symbol)).toEqual(['BRK.B']);
    expect(server.requests.length).toBe(before);
    await expect(p.listUniverse('HK')).rejects.toMatchObject({ kind: 'unsupported' });
  });

  it('search without a cached universe uses /search and keeps US equities only', async () => {
    const found = await provider().searchSymbols('apple');
    expect(found.map((s) => s.symbol)).toEqual(['AAPL', 'APLE']);
    await expect(provider().searchSymbols('apple', { market: 'CN' })).resolves.toEqual([]);
  });

  it('refuses other markets and a missing key with typed errors', async () => {
    const e = await failure(provider().getQuotes([{ market: 'HK', symbol: '0700.HK' }]));
    expect(e.kind).toBe('unsupported');
    expect(() => new FinnhubProvider({ baseUrl: server.url })).toThrow(ProviderError);
  });

  it('descriptor creates a working provider', async () => {
    expect(FINNHUB).toMatchObject({
      id: 'finnhub',
      needsKey: true,
      keyField: 'finnhub',
      keyEnv: 'FINNHUB_API_KEY',
    });
    const p = FINNHUB.create({ baseUrl: `${server.url}${P}`, apiKey: KEY });
    await expect(p.getQuotes([{ market: 'US', symbol: 'AAPL' }])).resolves.toHaveLength(1);
  });

  it('every request matched a recorded route', () => {
    expect(server.unmatched.map((r) => r.url)).toEqual([]);
  });
});
