import { ZForecastResponse, ZServiceHealth } from '@investiq/contracts/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../server';
import { errorOf } from '../test-support/fake-openai';

const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A deterministic price-like path: trend + two cycles. */
const path = (n: number, seed: number) =>
  Array.from(
    { length: n },
    (_, i) => 100 + seed + 0.05 * i + 2 * Math.sin((i + seed) / 6) + Math.cos(i / 17),
  );

describe('timeseries service', () => {
  let batched: RunningService;
  let unbatched: RunningService;
  let L = 0;
  let H = 0;

  beforeAll(async () => {
    [batched, unbatched] = await Promise.all([
      startService('timeseries', { port: 0, logLevel: 'silent', batch: { maxBatch: 32, maxWaitMs: 4 } }),
      startService('timeseries', { port: 0, logLevel: 'silent', batch: { maxBatch: 1, maxWaitMs: 0 } }),
    ]);
    const probe = ZForecastResponse.parse(
      await (await postJson(`${batched.url}/v1/forecast`, { series: [path(2000, 0)] })).json(),
    );
    L = probe.contextLength;
    H = probe.horizon;
  });
  afterAll(async () => {
    await Promise.all([batched?.close(), unbatched?.close()]);
  });

  it('reports health with the model identity', async () => {
    const h = ZServiceHealth.parse(await (await fetch(`${batched.url}/health`)).json());
    expect(h).toMatchObject({ status: 'ok', service: 'timeseries', warmedUp: true });
    expect(h.model?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('forecasts several series with ordered quantiles, using the last L points of longer series', async () => {
    expect(L).toBeGreaterThan(0);
    expect(H).toBeGreaterThan(0);
    const long = path(L + 500, 3);
    const res = await postJson(`${batched.url}/v1/forecast`, { series: [long, long.slice(-L), path(L, 9)] });
    expect(res.status).toBe(200);
    const body = ZForecastResponse.parse(await res.json());
    expect(body.forecasts).toHaveLength(3);
    expect(body.horizon).toBe(H);
    const [a, b] = body.forecasts;
    expect(a).toEqual(b); // only the last L points matter
    for (const f of body.forecasts) {
      expect(f.point).toHaveLength(H);
      for (let i = 0; i < H; i++) {
        expect(f.p10[i]!).toBeLessThanOrEqual(f.p50[i]!);
        expect(f.p50[i]!).toBeLessThanOrEqual(f.p90[i]!);
      }
    }
  });

  it('cuts forecasts to a shorter requested horizon', async () => {
    const body = ZForecastResponse.parse(
      await (await postJson(`${batched.url}/v1/forecast`, { series: [path(L, 1)], horizon: 1 })).json(),
    );
    expect(body.horizon).toBe(1);
    expect(body.forecasts[0]?.p90).toHaveLength(1);
  });

  it('gives the same forecasts batched as unbatched', async () => {
    const series = Array.from({ length: 24 }, (_, i) => path(L + i, i));
    const one = async (svc: RunningService, s: number[]) =>
      ZForecastResponse.parse(await (await postJson(`${svc.url}/v1/forecast`, { series: [s] })).json())
        .forecasts[0]!;
    const viaBatch = await Promise.all(series.map((s) => one(batched, s)));
    const viaSingle = [];
    for (const s of series) viaSingle.push(await one(unbatched, s));
    for (let i = 0; i < series.length; i++) {
      for (let h = 0; h < H; h++) {
        expect(viaBatch[i]!.point[h]!).toBeCloseTo(viaSingle[i]!.point[h]!, 4);
        expect(viaBatch[i]!.p90[h]!).toBeCloseTo(viaSingle[i]!.p90[h]!, 4);
      }
    }
  });

  it('rejects bad input with 400 naming the problem and keeps serving', async () => {
    const url = `${batched.url}/v1/forecast`;
    const good = path(L, 0);
    const cases: [unknown, string][] = [
      [{ series: [] }, 'series: must contain at least one series'],
      [{ series: [good, path(5, 0)] }, `series[1]: needs at least ${L} points`],
      [
        { series: [good, good, [...good.slice(0, 5), 'x', ...good.slice(6)]] },
        'series[2][5]: must be a finite number',
      ],
      [{ series: [good], horizon: H + 1 }, `horizon: must be at most ${H}`],
      [{ series: [good], horizon: 1.5 }, 'horizon: must be an integer'],
      [{ series: [good], horizon: 0 }, 'horizon: must be at least 1'],
      [{ series: Array.from({ length: 65 }, () => good) }, 'series: too many series: at most 64'],
      [{ series: [[]] }, 'series[0]: must not be empty'],
      [{ series: 'abc' }, 'series: must be an array of number arrays'],
    ];
    for (const [body, message] of cases) {
      const res = await postJson(url, body);
      expect(res.status, message).toBe(400);
      expect((await errorOf(res)).message).toContain(message);
    }
    // 1e999 parses as Infinity in JSON: it must be refused, not forecast.
    const inf = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"series": [[${good.slice(1).join(',')}, 1e999]]}`,
    });
    expect(inf.status).toBe(400);
    expect((await errorOf(inf)).message).toContain(`series[0][${L - 1}]: must be a finite number`);
    // NaN is not JSON at all
    const nan = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"series": [[NaN]]}`,
    });
    expect(nan.status).toBe(400);
    expect((await errorOf(nan)).code).toBe('invalid_json');
    expect((await postJson(url, { series: [good] })).status).toBe(200);
  });
});
