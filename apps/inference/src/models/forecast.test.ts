import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateForecasts,
  FORECAST_DATA,
  type ForecastMetrics,
  forecastSplits,
  forecastTestCases,
} from './build.js';
import { ForecastInputError, type ForecastModel, loadForecastModel } from './forecast.js';
import { type ForecastFit, forecastOnnx } from './forecast-train.js';
import { builtDefaultModels } from './test-models.js';

const ramp = (n: number, start = 100) =>
  Array.from({ length: n }, (_, i) => start + i * 0.5 + Math.sin(i) * 2);

describe('default forecast model', () => {
  let model: ForecastModel;
  let dir: string;
  beforeAll(async () => {
    dir = (await builtDefaultModels()).timeseriesDir;
    model = await loadForecastModel(dir, { provider: 'cpu' });
  });
  afterAll(async () => {
    await model.close();
  });

  it('returns H steps per series with p10 <= p50 <= p90', async () => {
    expect(model.contextLength).toBe(64);
    expect(model.horizon).toBe(10);
    const results = await model.predict([ramp(64), ramp(200, 20), ramp(64, 3000)]);
    expect(results).toHaveLength(3);
    for (const r of results) {
      for (const k of ['point', 'p10', 'p50', 'p90'] as const) expect(r[k]).toHaveLength(10);
      r.p10.forEach((v, h) => {
        expect(v).toBeLessThanOrEqual(r.p50[h] as number);
        expect(r.p50[h]).toBeLessThanOrEqual(r.p90[h] as number);
      });
      // the band widens with the horizon (residual spread grows for a random walk)
      expect((r.p90[9] as number) - (r.p10[9] as number)).toBeGreaterThan(
        (r.p90[0] as number) - (r.p10[0] as number),
      );
    }
  });

  it('is scale-equivariant (normalized by the last value) and batch-independent', async () => {
    const s = ramp(64);
    const [a, b] = await model.predict([s, s.map((v) => v * 10)]);
    const [alone] = await model.predict([s]);
    expect(alone).toEqual(a);
    a?.point.forEach((v, h) => {
      expect(b?.point[h]).toBeCloseTo(v * 10, 2);
    });
  });

  it('rejects series that are too short, non-finite or non-positive at the end, naming the series', async () => {
    await expect(model.predict([ramp(64), ramp(10)])).rejects.toThrow(ForecastInputError);
    await expect(model.predict([ramp(64), ramp(10)])).rejects.toThrow(
      /series\[1\]: needs at least 64 values, got 10/,
    );
    await expect(model.predict([[...ramp(63), Number.NaN]])).rejects.toThrow(
      /series\[0\]: value 63 is not a finite number/,
    );
    await expect(model.predict([[...ramp(63), 0]])).rejects.toThrow(/last value must be > 0/);
  });

  it('reproduces the held-out MAE/MAPE of build-info.json (BENCHMARKS.md, "Default ONNX models") through onnxruntime', async () => {
    const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as {
      heldOut: ForecastMetrics;
    };
    const cases = forecastTestCases(forecastSplits());
    const predicted = await model.predict(cases.map((c) => c.context));
    const metrics = evaluateForecasts(
      cases.map((c, i) => ({ ...c, ...(predicted[i] as { point: number[]; p10: number[]; p90: number[] }) })),
    );
    expect(metrics.windows).toBe(info.heldOut.windows);
    // float32 graph vs float64 fit: agree to 1e-4 relative
    expect(metrics.model.mape).toBeCloseTo(info.heldOut.model.mape, 3);
    expect(metrics.model.mae / info.heldOut.model.mae).toBeCloseTo(1, 4);
    expect(metrics.naive.mape).toBeCloseTo(info.heldOut.naive.mape, 6);
    expect(Math.abs(metrics.coverage80 - info.heldOut.coverage80)).toBeLessThanOrEqual(
      2 / (metrics.windows * FORECAST_DATA.horizon),
    );
    // Figures quoted in BENCHMARKS.md, "Default ONNX models" (demo market seed 1, 299 windows x 10 steps).
    expect(metrics.model.mape).toBeCloseTo(3.514, 2);
    expect(metrics.naive.mape).toBeCloseTo(3.515, 2);
    // random walk: no better than naive by more than noise, but not much worse either
    expect(metrics.model.mape).toBeLessThan(metrics.naive.mape * 1.01);
    expect(metrics.coverage80).toBeGreaterThan(0.75);
    expect(metrics.coverage80).toBeLessThan(0.88);
  });
});

describe('forecast model directory variants', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  // A hand-set fit: point = last value + 1 % per step; quantile offsets ±2 %.
  const L = 8;
  const H = 3;
  const fit: ForecastFit = {
    contextLength: L,
    horizon: H,
    weights: new Float64Array(L * H),
    bias: Float64Array.from([0.01, 0.02, 0.03]),
    q10: Float64Array.from([-0.02, -0.02, -0.02]),
    q50: Float64Array.from([0, 0, 0]),
    q90: Float64Array.from([0.02, 0.02, 0.02]),
  };
  async function makeDir(
    layout: 'batch_time' | 'batch_time_channel',
    quantiles: 'outputs' | 'residuals',
  ): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'iq-forecast-'));
    dirs.push(dir);
    await writeFile(join(dir, 'model.onnx'), forecastOnnx(fit, { version: 't', layout }));
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({
        name: 'tiny',
        version: '0.0.1',
        task: 'forecast',
        contextLength: L,
        horizon: H,
        inputs: { series: 'past_values', layout },
        outputs:
          quantiles === 'outputs'
            ? { point: 'point', p10: 'p10', p50: 'p50', p90: 'p90' }
            : { point: 'point' },
        normalization: 'per-series-last-value',
        quantiles:
          quantiles === 'outputs'
            ? { source: 'outputs' }
            : {
                source: 'residuals',
                offsets: { p10: [-0.02, -0.02, -0.02], p50: [0, 0, 0], p90: [0.02, 0.02, 0.02] },
              },
      }),
    );
    return dir;
  }

  it.each([
    ['batch_time', 'outputs'],
    ['batch_time_channel', 'outputs'],
    ['batch_time', 'residuals'],
  ] as const)('layout %s with quantiles from %s gives the same forecast', async (layout, quantiles) => {
    const m = await loadForecastModel(await makeDir(layout, quantiles), { provider: 'cpu' });
    try {
      const [r] = await m.predict([[1, 2, 3, 4, 5, 6, 7, 200]]);
      const expected = {
        point: [202, 204, 206],
        p10: [198, 200, 202],
        p50: [202, 204, 206],
        p90: [206, 208, 210],
      };
      for (const k of ['point', 'p10', 'p50', 'p90'] as const) {
        r?.[k].forEach((v, h) => {
          expect(v).toBeCloseTo(expected[k][h] as number, 3);
        });
      }
    } finally {
      await m.close();
    }
  });
});
