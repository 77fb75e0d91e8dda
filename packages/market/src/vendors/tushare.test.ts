import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, type ProviderErrorKind } from '../provider';
import { type FixtureServer, startFixtureServer } from './test-support/fixture-server';
import { TushareProvider } from './tushare';

const fx = (name: string) => fileURLToPath(new URL(`../../fixtures/tushare/${name}`, import.meta.url));
const json = { 'content-type': 'application/json; charset=utf-8' };

/** Which fixture answers, by token: the token picks the scenario, the api_name the normal file. */
const SCENARIOS: Record<string, { file: string; headers?: Record<string, string>; status?: number }> = {
  'bad-token': { file: 'error-token-invalid.json' },
  'low-points': { file: 'error-points-too-low.json' },
  'per-minute': { file: 'error-per-minute.json' },
  'daily-quota': { file: 'error-daily-quota.json' },
  html: { file: 'maintenance.html', headers: { 'content-type': 'text/html; charset=utf-8' } },
  truncated: { file: 'truncated-json.txt' },
  empty: { file: 'empty-items.json' },
  'bad-row': { file: 'bad-row.json' },
  'http-502': { file: 'maintenance.html', status: 502, headers: { 'content-type': 'text/html' } },
};

let server: FixtureServer;
let lossMaking = false;

beforeAll(async () => {
  server = await startFixtureServer((req) => {
    const body = JSON.parse(req.body) as { api_name: string; token: string; params: Record<string, string> };
    const scenario = SCENARIOS[body.token];
    if (scenario)
      return { file: fx(scenario.file), status: scenario.status, headers: scenario.headers ?? json };
    if (body.token === 'paged') {
      return {
        file: fx(Number(body.params.offset ?? 0) === 0 ? 'daily-page1.json' : 'daily-page2.json'),
        headers: json,
      };
    }
    if (body.api_name === 'daily_basic' && lossMaking)
      return { file: fx('daily_basic_loss.json'), headers: json };
    return { file: fx(`${body.api_name}.json`), headers: json };
  });
});
afterAll(async () => {
  await server.close();
});

const provider = (token = 'good-token') =>
  new TushareProvider({
    baseUrl: server.baseUrl,
    apiKey: token,
    now: () => new Date('2024-01-05T08:00:00Z'),
  });

async function errorOf(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('Tushare adapter against a replay server', () => {
  it('posts api_name/token/params/fields and maps daily bars (ascending, 手 → shares)', async () => {
    const bars = await provider().getDailyBars(
      { market: 'CN', symbol: '600519.SH' },
      { from: '2024-01-02', to: '2024-01-04' },
    );
    expect(bars).toEqual([
      { time: '2024-01-02', open: 1715, high: 1718.19, low: 1678.1, close: 1685.01, volume: 3_215_596 },
      { time: '2024-01-03', open: 1681.11, high: 1686, low: 1667, close: 1681, volume: 2_071_055 },
      { time: '2024-01-04', open: 1681, high: 1694, low: 1665, close: 1669, volume: 2_453_267 },
    ]);
    const sent = JSON.parse(server.requests.at(-1)?.body ?? '{}');
    expect(server.requests.at(-1)?.method).toBe('POST');
    expect(sent).toMatchObject({
      api_name: 'daily',
      token: 'good-token',
      params: { ts_code: '600519.SH', start_date: '20240102', end_date: '20240104' },
      fields: 'ts_code,trade_date,open,high,low,close,vol',
    });
  });

  it('follows has_more with offset until the last page', async () => {
    const before = server.requests.length;
    const bars = await provider('paged').getDailyBars(
      { market: 'CN', symbol: '600519.SH' },
      { from: '2024-01-02', to: '2024-01-04' },
    );
    expect(bars.map((b) => b.time)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    const offsets = server.requests.slice(before).map((r) => JSON.parse(r.body).params.offset);
    expect(offsets).toEqual([undefined, 2]);
  });

  it('maps the universe, skipping codes outside the A-share format', async () => {
    const list = await provider().listUniverse('CN');
    expect(list.map((s) => s.symbol)).toEqual(['000001.SZ', '600519.SH', '430047.BJ']);
    expect(list[1]).toEqual({
      market: 'CN',
      symbol: '600519.SH',
      name: 'Kweichow Moutai Co.,Ltd.',
      nameZh: '贵州茅台',
      currency: 'CNY',
      exchange: 'SSE',
      isDemo: false,
    });
    // no English name → the Chinese name stands in
    expect(list[2]?.name).toBe('诺思兰德');
    expect(await provider().searchSymbols('茅台')).toHaveLength(1);
  });

  it('maps the trade calendar in date order', async () => {
    const days = await provider().getTradeCalendar('CN', { from: '2023-12-29', to: '2024-01-01' });
    expect(days).toEqual([
      { date: '2023-12-29', open: true },
      { date: '2023-12-30', open: false },
      { date: '2023-12-31', open: false },
      { date: '2024-01-01', open: false },
    ]);
    expect(JSON.parse(server.requests.at(-1)?.body ?? '{}').params.exchange).toBe('SSE');
  });

  it('builds fundamentals from the latest annual report (percent → fraction, 万股 → shares)', async () => {
    const f = await provider().getFundamentals({ market: 'CN', symbol: '600519.SH' });
    expect(f.fiscalPeriodEnd).toBe('2023-12-31'); // the Q1 2024 row is not annual
    expect(f.asOf).toBe('2024-04-02T16:00:00.000Z'); // 2024-04-03 00:00 Asia/Shanghai
    expect(f.income.revenue).toBe(150560330316.45);
    expect(f.income.grossProfit).toBeCloseTo(150560330316.45 - 11867273851.78, 2);
    expect(f.balance.sharesOutstanding).toBe(1_256_197_800); // 125619.78 万股
    expect(f.ratios).toMatchObject({ pe: 29.33, pb: 9.07, debtToEquity: 0.2273 }); // newest trade_date
    expect(f.ratios.roe).toBeCloseTo(0.3419, 10);
    expect(f.ratios.grossMargin).toBeCloseTo(0.9196, 10);
    expect(f.ratios.revenueGrowth).toBeCloseTo(0.1804, 10);
    expect(f.isDemo).toBe(false);
    const period = server.requests
      .map((r) => JSON.parse(r.body))
      .filter((b) => b.api_name === 'income')
      .at(-1)?.params.period;
    expect(period).toBe('20231231');
  });

  it('keeps pe null for a loss-making company (empty pe)', async () => {
    lossMaking = true;
    try {
      const f = await provider().getFundamentals({ market: 'CN', symbol: '600519.SH' });
      expect(f.ratios.pe).toBeNull();
    } finally {
      lossMaking = false;
    }
  });

  const cases: Array<[string, ProviderErrorKind, RegExp]> = [
    ['bad-token', 'unauthorized', /40101.*token不对/],
    ['low-points', 'forbidden', /没有访问该接口的权限/],
    ['per-minute', 'rate_limited', /每分钟最多访问/],
    ['daily-quota', 'quota_exhausted', /每天最多访问/],
    ['html', 'bad_response', /non-JSON body/],
    ['truncated', 'bad_response', /malformed JSON/],
    ['bad-row', 'bad_response', /'close' is not a number/],
    ['http-502', 'unavailable', /HTTP 502/],
  ];
  it.each(cases)('token scenario %s → %s', async (token, kind, message) => {
    const err = await errorOf(
      provider(token).getDailyBars(
        { market: 'CN', symbol: '600519.SH' },
        { from: '2024-01-02', to: '2024-01-04' },
      ),
    );
    expect(err.kind).toBe(kind);
    expect(err.provider).toBe('tushare');
    expect(err.message).toMatch(message);
  });

  it('a per-minute limit carries a retry hint of one minute', async () => {
    const err = await errorOf(provider('per-minute').listUniverse('CN'));
    expect(err.retryAfterSeconds).toBe(60);
  });

  it('empty items → no bars; an empty universe → empty list', async () => {
    expect(
      await provider('empty').getDailyBars(
        { market: 'CN', symbol: '600519.SH' },
        { from: '2024-01-06', to: '2024-01-07' },
      ),
    ).toEqual([]);
  });

  it('no token → unauthorized without a request; quotes and other markets → unsupported', async () => {
    const before = server.requests.length;
    expect(
      (
        await errorOf(
          provider('').getDailyBars(
            { market: 'CN', symbol: '600519.SH' },
            { from: '2024-01-02', to: '2024-01-04' },
          ),
        )
      ).kind,
    ).toBe('unauthorized');
    expect(server.requests.length).toBe(before);
    expect((await errorOf(provider().getQuotes([{ market: 'CN', symbol: '600519.SH' }]))).kind).toBe(
      'unsupported',
    );
    expect((await errorOf(provider().listUniverse('HK'))).kind).toBe('unsupported');
    expect(
      (
        await errorOf(
          provider().getDailyBars(
            { market: 'CN', symbol: '0700.HK' },
            { from: '2024-01-02', to: '2024-01-04' },
          ),
        )
      ).kind,
    ).toBe('invalid_request');
  });

  it('a server that never answers → timeout', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const p = new TushareProvider({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 't', timeoutMs: 200 });
      expect((await errorOf(p.listUniverse('CN'))).kind).toBe('timeout');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
