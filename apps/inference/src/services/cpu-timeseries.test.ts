import {
  ZArimaResponse,
  ZGarchResponse,
  ZIndicatorsResponse,
  ZServiceHealth,
} from '@investiq/contracts/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../server';
import { errorOf, waitFor } from '../test-support/fake-openai';

const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const closes = Array.from({ length: 120 }, (_, i) => 50 + 0.1 * i + 3 * Math.sin(i / 7) + Math.sin(i * 1.7));
const bars = closes.map((c, i) => ({
  open: c - 0.2,
  high: c + 0.5 + (i % 3) * 0.1,
  low: c - 0.6,
  close: c,
  volume: 1000 + (i % 10) * 37,
}));
// A small auto-ARIMA search keeps the suite fast on two busy cores.
const SMALL_ARIMA = { series: closes.slice(-40), maxP: 1, maxQ: 1, maxD: 1 };
// Deterministic pseudo-random returns with volatility clusters (LCG; no Math.random in tests).
const returns = (() => {
  let s = 12345;
  const u = () => {
    s = (1103515245 * s + 12345) % 2 ** 31;
    return (s + 0.5) / 2 ** 31;
  };
  const out: number[] = [];
  let sigma = 0.01;
  for (let i = 0; i < 250; i++) {
    const z = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    const r = sigma * z;
    out.push(r);
    sigma = Math.sqrt(0.00001 + 0.1 * r * r + 0.85 * sigma * sigma);
  }
  return out;
})();

describe('cpu-timeseries service (worker-thread pool over @investiq/quant)', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService('cpu-timeseries', {
      port: 0,
      logLevel: 'silent',
      cpu: { workers: 2, maxQueue: 8 },
    });
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('is healthy once a worker answered', async () => {
    const h = ZServiceHealth.parse(await (await fetch(`${svc.url}/health`)).json());
    expect(h).toMatchObject({
      status: 'ok',
      service: 'cpu-timeseries',
      warmedUp: true,
      queue: { depth: 0, max: 8 },
    });
  });

  it('computes indicators aligned with the bars', async () => {
    const res = await postJson(`${svc.url}/v1/indicators`, {
      bars,
      specs: [{ kind: 'sma', period: 5 }, { kind: 'rsi', period: 14 }, { kind: 'macd' }],
    });
    expect(res.status).toBe(200);
    const body = ZIndicatorsResponse.parse(await res.json());
    const keys = Object.keys(body.indicators);
    expect(keys.length).toBe(3);
    const sma = Object.entries(body.indicators).find(([k]) => k.startsWith('sma'))?.[1] as (number | null)[];
    expect(sma).toHaveLength(bars.length);
    expect(sma[3]).toBeNull();
    // SMA(5) at index 4 = mean of the first five closes
    expect(sma[4]).toBeCloseTo(closes.slice(0, 5).reduce((a, b) => a + b, 0) / 5, 9);
  });

  it('fits auto-ARIMA and GARCH(1,1)', async () => {
    const arima = await postJson(`${svc.url}/v1/arima`, {
      series: closes.slice(-60),
      horizon: 5,
      maxP: 1,
      maxQ: 1,
      levels: [0.8, 0.95],
    });
    expect(arima.status).toBe(200);
    const a = ZArimaResponse.parse(await arima.json());
    expect(a.forecast).toHaveLength(5);
    expect(a.intervals.map((i) => i.level)).toEqual([0.8, 0.95]);

    const garch = await postJson(`${svc.url}/v1/garch`, { returns, horizon: 10, varLevels: [0.95, 0.99] });
    expect(garch.status).toBe(200);
    const g = ZGarchResponse.parse(await garch.json());
    expect(g.forecastVolatility).toHaveLength(10);
    expect(g.params.alpha + g.params.beta).toBeLessThan(1);
  });

  it('answers a repeated ARIMA/GARCH request from the result cache, keyed by the whole request', async () => {
    const req = { ...SMALL_ARIMA, series: closes.slice(-45), horizon: 4, levels: [0.9] };
    const first = await postJson(`${svc.url}/v1/arima`, req);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-result-cache')).toBe('miss');
    const again = await postJson(`${svc.url}/v1/arima`, req);
    expect(again.headers.get('x-result-cache')).toBe('hit');
    expect(await again.json()).toEqual(await first.json());
    // any setting or any point of the series is part of the key
    const otherHorizon = await postJson(`${svc.url}/v1/arima`, { ...req, horizon: 5 });
    expect(otherHorizon.headers.get('x-result-cache')).toBe('miss');
    expect(ZArimaResponse.parse(await otherHorizon.json()).forecast).toHaveLength(5);
    const lastBar = [...req.series];
    lastBar[lastBar.length - 1] = (lastBar.at(-1) as number) + 0.5;
    const otherSeries = await postJson(`${svc.url}/v1/arima`, { ...req, series: lastBar });
    expect(otherSeries.headers.get('x-result-cache')).toBe('miss');
    const garchReq = { returns: returns.slice(-120), horizon: 3 };
    expect((await postJson(`${svc.url}/v1/garch`, garchReq)).headers.get('x-result-cache')).toBe('miss');
    expect((await postJson(`${svc.url}/v1/garch`, garchReq)).headers.get('x-result-cache')).toBe('hit');
  });

  it('keeps no results when CPU_RESULT_CACHE is 0', async () => {
    const off = await startService('cpu-timeseries', {
      port: 0,
      logLevel: 'silent',
      cpu: { workers: 1, maxQueue: 8, resultCache: 0 },
    });
    try {
      const req = { ...SMALL_ARIMA, horizon: 2 };
      for (let i = 0; i < 2; i++) {
        const res = await postJson(`${off.url}/v1/arima`, req);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-result-cache')).toBeNull();
      }
    } finally {
      await off.close();
    }
  });

  it('runs requests in parallel on the pool', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => postJson(`${svc.url}/v1/arima`, { ...SMALL_ARIMA, horizon: 3 })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('rejects bad input with 400 naming the problem and keeps serving', async () => {
    const cases: [string, unknown, string][] = [
      [
        'indicators',
        { bars: [], specs: [{ kind: 'sma', period: 5 }] },
        'bars: must contain at least one bar',
      ],
      ['indicators', { bars, specs: [{ kind: 'wizard' }] }, 'specs[0]'],
      ['indicators', { bars, specs: [{ kind: 'sma', period: 0 }] }, 'specs[0].period: must be at least 1'],
      [
        'indicators',
        { bars: [{ ...bars[0], close: 'x' }], specs: [{ kind: 'obv' }] },
        'bars[0].close: must be a finite number',
      ],
      ['arima', { series: closes.slice(0, 5), horizon: 3 }, 'series: must have at least 20 points'],
      ['arima', { series: closes, horizon: 0 }, 'horizon: must be at least 1'],
      // an absent field is named as missing, not as a wrong type
      ['arima', { series: closes }, 'horizon: required'],
      ['arima', { series: closes, horizon: 'ten' }, 'horizon: must be an integer'],
      ['garch', { horizon: 3 }, 'returns: required'],
      [
        'arima',
        { series: closes, horizon: 3, levels: [95] },
        'levels[0]: must be a fraction between 0 and 1',
      ],
      ['arima', { series: Array.from({ length: 30 }, () => 5), horizon: 3, maxP: 1, maxQ: 1 }, 'constant'],
      ['garch', { returns: returns.slice(0, 40), horizon: 3 }, 'returns: must have at least 50 returns'],
    ];
    for (const [route, body, message] of cases) {
      const res = await postJson(`${svc.url}/v1/${route}`, body);
      expect(res.status, `${route} ${message}`).toBe(400);
      expect((await errorOf(res)).message).toContain(message);
    }
    expect((await postJson(`${svc.url}/v1/arima`, { ...SMALL_ARIMA, horizon: 2 })).status).toBe(200);
  });
});

describe('cpu-timeseries limits', () => {
  it('answers 429 when the worker queue is full and 504 past the task time limit, then keeps serving', async () => {
    const svc = await startService('cpu-timeseries', {
      port: 0,
      logLevel: 'silent',
      cpu: { workers: 1, maxQueue: 1, taskTimeoutMs: 1500 },
      arima: { maxGrid: 108 }, // the full 5/5/2 grid, to run past the deadline
    });
    try {
      const big = { series: closes, horizon: 5, maxP: 3, maxQ: 3 };
      const results = await Promise.all(
        Array.from({ length: 4 }, () => postJson(`${svc.url}/v1/arima`, big)),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses).toContain(429);
      const rejected = results.find((r) => r.status === 429)!;
      expect(rejected.headers.get('retry-after')).toBe('1');
      expect((await errorOf(rejected)).code).toBe('queue_full');

      const slow = await postJson(`${svc.url}/v1/arima`, {
        series: Array.from({ length: 3000 }, (_, i) => closes[i % closes.length]! + i * 0.01),
        horizon: 5,
        maxP: 5,
        maxQ: 5,
      });
      if (slow.status === 504) expect((await errorOf(slow)).message).toContain('1500 ms');
      else expect(slow.status).toBe(200); // a very fast machine finished in time
      // the timed-out thread was killed; a replacement takes over
      await waitFor(
        async () => (await postJson(`${svc.url}/v1/arima`, { ...SMALL_ARIMA, horizon: 2 })).status === 200,
        15_000,
        'a replacement worker answers',
      );
    } finally {
      await svc.close();
    }
  });
});
