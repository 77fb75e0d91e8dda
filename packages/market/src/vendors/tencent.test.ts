import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider';
import { TencentProvider, tencentCode } from './tencent';
import { type FixtureServer, startFixtureServer } from './test-support/fixture-server';

const fx = (name: string) => fileURLToPath(new URL(`../../fixtures/tencent/${name}`, import.meta.url));
const gbk = { 'content-type': 'text/html; charset=GBK' };

/** The first path segment of the base URL picks the recorded answer. */
const SCENARIOS: Record<string, { file: string; status?: number; headers?: Record<string, string> }> = {
  ok: { file: 'quotes-cn-hk.gbk.txt' },
  unknown: { file: 'unknown.gbk.txt' },
  'invalid-gbk': { file: 'invalid-gbk.txt' },
  'bad-price': { file: 'bad-price.gbk.txt' },
  html: { file: 'maintenance.html', headers: { 'content-type': 'text/html' } },
  'http-503': { file: 'maintenance.html', status: 503 },
};

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer((req) => {
    const scenario = SCENARIOS[req.url.split('/')[1] ?? ''];
    if (!scenario) return { status: 404, body: 'no such scenario' };
    return { file: fx(scenario.file), status: scenario.status, headers: scenario.headers ?? gbk };
  });
});
afterAll(async () => {
  await server.close();
});

const provider = (scenario: string) => new TencentProvider({ baseUrl: `${server.baseUrl}/${scenario}` });
const MOUTAI = { market: 'CN', symbol: '600519.SH' } as const;
const PINGAN = { market: 'CN', symbol: '000001.SZ' } as const;
const TENCENT = { market: 'HK', symbol: '0700.HK' } as const;

async function errorOf(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('Tencent quote adapter against a replay server', () => {
  it('maps symbols onto Tencent codes', () => {
    expect(tencentCode(MOUTAI)).toBe('sh600519');
    expect(tencentCode({ market: 'CN', symbol: '430047.BJ' })).toBe('bj430047');
    expect(tencentCode(TENCENT)).toBe('hk00700');
    expect(tencentCode({ market: 'HK', symbol: '09988.HK' })).toBe('hk09988');
    expect(tencentCode({ market: 'US', symbol: 'AAPL' })).toBeNull();
  });

  it('decodes GBK and maps CN and HK quotes with exchange-zone timestamps', async () => {
    const quotes = await provider('ok').getQuotes([MOUTAI, PINGAN, TENCENT]);
    expect(server.requests.at(-1)?.url).toBe('/ok/q=sh600519,sz000001,hk00700');
    expect(quotes).toEqual([
      {
        market: 'CN',
        symbol: '600519.SH',
        // 2024-01-02 15:00:03 Asia/Shanghai (UTC+8)
        ts: new Date('2024-01-02T07:00:03Z'),
        source: 'tencent',
        price: 1685.01,
        open: 1715,
        high: 1718.19,
        low: 1678.1,
        prevClose: 1715,
        volume: 3_215_600, // 32156 手
      },
      {
        market: 'CN',
        symbol: '000001.SZ',
        ts: new Date('2024-01-02T07:00:00Z'),
        source: 'tencent',
        price: 9.21,
        open: 9.39,
        high: 9.42,
        low: 9.21,
        prevClose: 9.39,
        volume: 115_895_400,
      },
      {
        market: 'HK',
        symbol: '0700.HK', // the caller's spelling is kept
        // 2018/03/29 16:08:11 Asia/Hong_Kong (UTC+8)
        ts: new Date('2018-03-29T08:08:11Z'),
        source: 'tencent',
        price: 409.6,
        open: 414,
        high: 417,
        low: 405.2,
        prevClose: 412.2,
        volume: 41_115_421, // HK volume is in shares
      },
    ]);
  });

  it('declares the HK feed as delayed and CN as realtime', () => {
    expect(provider('ok').quoteDelaySeconds).toEqual({ HK: 900 });
  });

  it('skips unknown codes (pv_none_match and empty strings)', async () => {
    const quotes = await provider('unknown').getQuotes([MOUTAI, { market: 'CN', symbol: '000000.SH' }]);
    expect(quotes.map((q) => q.symbol)).toEqual(['600519.SH']);
  });

  it('an invalid GBK byte sequence in the name does not shift the fields', async () => {
    const [q] = await provider('invalid-gbk').getQuotes([MOUTAI]);
    expect(q?.price).toBe(1685.01);
    expect(q?.volume).toBe(3_215_600);
  });

  it('bad bodies and HTTP failures are typed errors', async () => {
    const badPrice = await errorOf(provider('bad-price').getQuotes([MOUTAI]));
    expect(badPrice.kind).toBe('bad_response');
    expect(badPrice.message).toMatch(/sh600519: price \(field 3\) is not a number: '-'/);
    expect((await errorOf(provider('html').getQuotes([MOUTAI]))).kind).toBe('bad_response');
    expect((await errorOf(provider('http-503').getQuotes([MOUTAI]))).kind).toBe('unavailable');
    expect((await errorOf(provider('ok').getQuotes([{ market: 'HK', symbol: 'TENCENT' }]))).kind).toBe(
      'invalid_request',
    );
  });

  it('splits more than 60 codes into several requests', async () => {
    const before = server.requests.length;
    const refs = Array.from({ length: 61 }, (_, i) => ({
      market: 'CN' as const,
      symbol: `${String(600000 + i)}.SH`,
    }));
    await provider('unknown').getQuotes(refs);
    expect(server.requests.length - before).toBe(2);
  });
});
