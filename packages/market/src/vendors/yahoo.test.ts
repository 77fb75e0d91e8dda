import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider';
import { YAHOO } from './registry-us';
import { type ReplayRoute, type ReplayServer, startReplayServer } from './test-support/replay-server';
import { toYahooSymbol, YahooProvider } from './yahoo';

const FIXTURES = fileURLToPath(new URL('../../fixtures/yahoo/', import.meta.url));
const C = '/v8/finance/chart';
const html = { 'content-type': 'text/html; charset=utf-8' };
const quoteQ = { interval: '1d', range: '1d' };

const ROUTES: ReplayRoute[] = [
  { path: `${C}/AAPL`, query: quoteQ, file: 'chart-AAPL-quote.json' },
  { path: `${C}/AAPL`, query: { interval: '5m' }, file: 'chart-AAPL-5m.json' },
  { path: `${C}/AAPL`, query: { interval: '1d' }, file: 'chart-AAPL-1d.json' },
  { path: `${C}/BRK-B`, query: quoteQ, file: 'chart-BRK-B-quote.json' },
  { path: `${C}/0700.HK`, query: quoteQ, file: 'chart-0700.HK-quote.json' },
  { path: `${C}/000001.SZ`, query: quoteQ, file: 'chart-000001.SZ-quote.json' },
  { path: `${C}/600519.SS`, query: { interval: '1d' }, file: 'chart-600519.SS-1d.json' },
  { path: `${C}/EMPTY`, file: 'chart-empty.json' },
  { path: `${C}/GONE`, status: 404, file: 'chart-not-found.json' },
  { path: `${C}/NOTF`, status: 200, file: 'chart-not-found.json' },
  { path: `${C}/MSFT`, query: { interval: '1m' }, status: 400, file: 'chart-bad-request.json' },
  {
    path: `${C}/BUSY`,
    status: 429,
    headers: { 'content-type': 'text/plain', 'retry-after': '60' },
    file: 'error-429.txt',
  },
  { path: `${C}/HTML`, headers: html, file: 'maintenance.html' },
  { path: `${C}/DOWN`, status: 503, headers: html, file: 'maintenance.html' },
  { path: `${C}/TRUNC`, file: 'chart-truncated.txt' },
  { path: `${C}/SLOW`, hang: true },
];

let server: ReplayServer;

function provider(extra: Partial<ConstructorParameters<typeof YahooProvider>[0]> = {}): YahooProvider {
  return new YahooProvider({ baseUrl: server.url, ...extra });
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

describe('toYahooSymbol', () => {
  it.each([
    ['CN', '600519.SH', '600519.SS'],
    ['CN', '000001.SZ', '000001.SZ'],
    ['HK', '00700.HK', '0700.HK'],
    ['HK', '0700.HK', '0700.HK'],
    ['HK', '09988.HK', '9988.HK'],
    ['HK', '0005.HK', '0005.HK'],
    ['US', 'BRK.B', 'BRK-B'],
    ['US', 'AAPL', 'AAPL'],
  ] as const)('%s %s → %s', (market, symbol, expected) => {
    expect(toYahooSymbol({ market, symbol })).toBe(expected);
  });

  it('Beijing listings are unsupported', () => {
    expect(() => toYahooSymbol({ market: 'CN', symbol: '430047.BJ' })).toThrow(
      expect.objectContaining({ kind: 'unsupported' }),
    );
  });
});

describe('Yahoo adapter', () => {
  it('quotes from chart meta, for every market, requested under the Yahoo symbol', async () => {
    const quotes = await provider().getQuotes([
      { market: 'US', symbol: 'AAPL' },
      { market: 'US', symbol: 'BRK.B' },
      { market: 'HK', symbol: '00700.HK' },
      { market: 'CN', symbol: '000001.SZ' },
    ]);
    expect(quotes).toHaveLength(4);
    expect(quotes[0]).toEqual({
      market: 'US',
      symbol: 'AAPL',
      ts: new Date(1764795601 * 1000),
      source: 'yahoo',
      price: 277.55,
      open: 275.9,
      high: 279.0,
      low: 275.31,
      prevClose: 275.25,
      volume: 38012611,
    });
    // Our symbols are kept on the way back.
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL', 'BRK.B', '00700.HK', '000001.SZ']);
    expect(quotes[2]).toMatchObject({ market: 'HK', price: 612.5, open: 610.0, prevClose: 609.0 });
    const paths = server.requests.map((r) => r.pathname);
    expect(paths).toEqual(expect.arrayContaining([`${C}/BRK-B`, `${C}/0700.HK`, `${C}/000001.SZ`]));
    expect(server.requests.at(-1)?.headers['user-agent']).toContain('InvestIQ');
  });

  it('an unknown symbol (404 chart.error) is left out of quotes but is not_found for bars', async () => {
    await expect(provider().getQuotes([{ market: 'US', symbol: 'GONE' }])).resolves.toEqual([]);
    const e = await failure(
      provider().getDailyBars({ market: 'US', symbol: 'GONE' }, { from: '2025-12-01', to: '2025-12-03' }),
    );
    expect(e.kind).toBe('not_found');
    expect(e.message).toContain('No data found, symbol may be delisted');
  });

  it('a chart.error inside a 200 answer is still typed', async () => {
    const e = await failure(
      provider().getDailyBars({ market: 'US', symbol: 'NOTF' }, { from: '2025-12-01', to: '2025-12-03' }),
    );
    expect(e.kind).toBe('not_found');
  });

  it('daily bars: null entries skipped, dates in the exchange zone, range filter', async () => {
    const bars = await provider().getDailyBars(
      { market: 'US', symbol: 'AAPL' },
      { from: '2025-12-01', to: '2025-12-03' },
    );
    expect(bars).toEqual([
      { time: '2025-12-01', open: 269.0, high: 272.36, low: 268.11, close: 271.49, volume: 41562035 },
      { time: '2025-12-03', open: 275.9, high: 279.0, low: 275.31, close: 277.55, volume: 38012611 },
    ]);
    const req = server.requests.findLast((r) => r.pathname === `${C}/AAPL`);
    // one day of margin each side of 2025-12-01..2025-12-03 (UTC midnights)
    expect(req?.query).toMatchObject({ interval: '1d', period1: '1764460800', period2: '1764892800' });
  });

  it('CN daily bars stamped at local midnight keep their Shanghai date (600519.SH → 600519.SS)', async () => {
    const bars = await provider().getDailyBars(
      { market: 'CN', symbol: '600519.SH' },
      { from: '2025-12-01', to: '2025-12-03' },
    );
    expect(bars.map((b) => b.time)).toEqual(['2025-12-01', '2025-12-02', '2025-12-03']);
    expect(bars[2]).toEqual({
      time: '2025-12-03',
      open: 1442.0,
      high: 1449.0,
      low: 1436.01,
      close: 1441.0,
      volume: 2701234,
    });
  });

  it('intraday bars: ISO times, nulls skipped, period sent in seconds', async () => {
    const from = new Date('2025-12-03T14:30:00Z');
    const to = new Date('2025-12-03T15:00:00Z');
    const bars = await provider().getIntradayBars(
      { market: 'US', symbol: 'AAPL' },
      { intervalMinutes: 5, from, to },
    );
    expect(bars.map((b) => b.time)).toEqual([
      '2025-12-03T14:30:00.000Z',
      '2025-12-03T14:35:00.000Z',
      '2025-12-03T14:45:00.000Z',
    ]);
    expect(bars[1]).toMatchObject({ open: 276.1, high: 276.8, low: 275.9, close: 276.55, volume: 640113 });
    const req = server.requests.findLast((r) => r.pathname === `${C}/AAPL`);
    expect(req?.query).toMatchObject({ interval: '5m', period1: '1764772200', period2: '1764774000' });
    await expect(
      provider().getIntradayBars({ market: 'US', symbol: 'AAPL' }, { intervalMinutes: 2, from, to }),
    ).rejects.toMatchObject({ kind: 'invalid_request' });
  });

  it('Yahoo rejecting the interval/range (400 Bad Request) is invalid_request', async () => {
    const e = await failure(
      provider().getIntradayBars(
        { market: 'US', symbol: 'MSFT' },
        { intervalMinutes: 1, from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-12-01T00:00:00Z') },
      ),
    );
    expect(e.kind).toBe('invalid_request');
    expect(e.message).toContain('interval=1m is not supported');
  });

  it('an empty chart result is no bars and no quote price invented', async () => {
    await expect(
      provider().getDailyBars({ market: 'US', symbol: 'EMPTY' }, { from: '2025-12-01', to: '2025-12-03' }),
    ).resolves.toEqual([]);
    const [q] = await provider().getQuotes([{ market: 'US', symbol: 'EMPTY' }]);
    // meta still carries the last price; the open (from a bar) is unknown, not zero.
    expect(q).toMatchObject({ price: 277.55, open: null });
  });

  it.each([
    ['BUSY', 'rate_limited'],
    ['HTML', 'bad_response'],
    ['DOWN', 'unavailable'],
    ['TRUNC', 'bad_response'],
  ])('%s → %s', async (symbol, kind) => {
    const e = await failure(provider().getQuotes([{ market: 'US', symbol }]));
    expect(e.kind).toBe(kind);
    if (kind === 'rate_limited') expect(e.retryAfterSeconds).toBe(60);
  });

  it('times out against a server that never answers', async () => {
    const e = await failure(provider({ timeoutMs: 150 }).getQuotes([{ market: 'US', symbol: 'SLOW' }]));
    expect(e.kind).toBe('timeout');
  });

  it('descriptor: keyless, all three markets, declared HK delay', () => {
    expect(YAHOO).toMatchObject({ id: 'yahoo', needsKey: false, baseUrlEnv: 'YAHOO_BASE_URL' });
    const p = YAHOO.create({ baseUrl: server.url });
    expect(p.markets).toEqual(['CN', 'HK', 'US']);
    expect(p.quoteDelaySeconds).toEqual({ HK: 900 });
  });

  it('every request matched a recorded route', () => {
    expect(server.unmatched.map((r) => r.url)).toEqual([]);
  });
});
