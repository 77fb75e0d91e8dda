import { Tensor } from 'onnxruntime-node';
import { readModelConfig, ZForecastConfig } from './config.js';
import { type ExecutionProviderName, type ModelInfo, openModel, type SessionTuning } from './session.js';

export interface ForecastResult {
  point: number[];
  p10: number[];
  p50: number[];
  p90: number[];
}

export interface ForecastModel {
  info: ModelInfo;
  contextLength: number;
  horizon: number;
  /** One session.run for all series; each series uses its last `contextLength` values. */
  predict(series: number[][]): Promise<ForecastResult[]>;
  close(): Promise<void>;
}

/** Input the model cannot use (too short, non-finite, non-positive last value): a 4xx for the caller. */
export class ForecastInputError extends Error {
  override readonly name = 'ForecastInputError';
}

interface Scale {
  shift: number;
  scale: number;
}

export async function loadForecastModel(
  dir: string,
  opts: { provider: ExecutionProviderName; dlaCore?: number; session?: Partial<SessionTuning> },
): Promise<ForecastModel> {
  const config = await readModelConfig(dir, ZForecastConfig);
  const outputNames = [config.outputs.point];
  if (config.quantiles.source === 'outputs') {
    const { p10, p50, p90 } = config.outputs;
    if (!p10 || !p50 || !p90)
      throw new Error(`${dir}/config.json: quantiles.source 'outputs' needs outputs.p10/p50/p90`);
    outputNames.push(p10, p50, p90);
  } else {
    for (const q of ['p10', 'p50', 'p90'] as const) {
      if (config.quantiles.offsets[q].length !== config.horizon) {
        throw new Error(`${dir}/config.json: quantiles.offsets.${q} needs ${config.horizon} values`);
      }
    }
  }
  const { session, info } = await openModel(dir, config, opts, {
    inputs: [config.inputs.series],
    outputs: outputNames,
  });
  const L = config.contextLength;
  const H = config.horizon;

  function scaleOf(window: number[], index: number): Scale {
    if (config.normalization === 'none') return { shift: 0, scale: 1 };
    if (config.normalization === 'per-series-last-value') {
      const last = window[L - 1] as number;
      if (!(last > 0)) throw new ForecastInputError(`series[${index}]: last value must be > 0, got ${last}`);
      return { shift: 0, scale: last };
    }
    const mean = window.reduce((a, b) => a + b, 0) / L;
    const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / L);
    return { shift: mean, scale: sd > 0 ? sd : 1 };
  }

  return {
    info,
    contextLength: L,
    horizon: H,
    async predict(series) {
      if (series.length === 0) return [];
      const n = series.length;
      const input = new Float32Array(n * L);
      const scales = series.map((s, i) => {
        if (s.length < L)
          throw new ForecastInputError(`series[${i}]: needs at least ${L} values, got ${s.length}`);
        const window = s.slice(s.length - L);
        const bad = window.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
        if (bad >= 0)
          throw new ForecastInputError(`series[${i}]: value ${s.length - L + bad} is not a finite number`);
        const sc = scaleOf(window, i);
        window.forEach((v, j) => {
          input[i * L + j] = (v - sc.shift) / sc.scale;
        });
        return sc;
      });
      const dims = config.inputs.layout === 'batch_time' ? [n, L] : [n, L, 1];
      const out = await session.run(
        { [config.inputs.series]: new Tensor('float32', input, dims) },
        outputNames,
      );
      const read = (name: string): Float32Array => {
        const t = out[name];
        if (!t || t.size !== n * H)
          throw new Error(`output '${name}' has shape [${t?.dims.join(', ')}], expected [${n}, ${H}]`);
        return t.data as Float32Array;
      };
      const point = read(config.outputs.point);
      const q =
        config.quantiles.source === 'outputs'
          ? {
              p10: read(config.outputs.p10 as string),
              p50: read(config.outputs.p50 as string),
              p90: read(config.outputs.p90 as string),
            }
          : undefined;
      return scales.map((sc, i) => {
        const back = (v: number) => v * sc.scale + sc.shift;
        const row = (arr: Float32Array) => Array.from(arr.subarray(i * H, (i + 1) * H), back);
        const pointRow = Array.from(point.subarray(i * H, (i + 1) * H));
        const offsets = config.quantiles.source === 'residuals' ? config.quantiles.offsets : undefined;
        const fromOffsets = (o: number[]) => pointRow.map((v, h) => back(v + (o[h] as number)));
        const p10 = q ? row(q.p10) : fromOffsets(offsets?.p10 ?? []);
        const p50 = q ? row(q.p50) : fromOffsets(offsets?.p50 ?? []);
        const p90 = q ? row(q.p90) : fromOffsets(offsets?.p90 ?? []);
        return { point: pointRow.map(back), p10, p50, p90 };
      });
    },
    async close() {
      await session.release();
    },
  };
}
