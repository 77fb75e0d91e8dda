// Builds the default forecast model: an NLinear-style linear map from the last L closes (divided by
// the last close) to the next H closes (same scale), fit by ridge regression, with p10/p50/p90 from
// held-out residual quantiles per horizon step baked into the ONNX graph as extra outputs.
import { Matrix, solve } from 'ml-matrix';
import { encodeModel, floatTensor, int64Tensor, node, valueInfo } from './onnx-graph.js';

export interface ForecastFit {
  contextLength: number;
  horizon: number;
  /** [L, H] row-major */
  weights: Float64Array;
  /** [H] */
  bias: Float64Array;
  /** residual quantiles per step, normalized units */
  q10: Float64Array;
  q50: Float64Array;
  q90: Float64Array;
}

/** Sliding windows of one series: x = context / last, y = future / last - 1 (normalized targets). */
export function windows(
  series: number[],
  L: number,
  H: number,
  stride = 1,
): { x: number[][]; y: number[][] } {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let end = L; end + H <= series.length; end += stride) {
    const last = series[end - 1] as number;
    x.push(series.slice(end - L, end).map((v) => v / last - 1));
    y.push(series.slice(end, end + H).map((v) => v / last - 1));
  }
  return { x, y };
}

function quantile(sorted: number[], q: number): number {
  // linear interpolation between order statistics (numpy's default, "type 7")
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Ridge fit on (x, y); quantiles from residuals on (xCal, yCal). */
export function fitLinearForecaster(
  train: { x: number[][]; y: number[][] },
  calibration: { x: number[][]; y: number[][] },
  opts: { contextLength: number; horizon: number; ridge: number },
): ForecastFit {
  const L = opts.contextLength;
  const H = opts.horizon;
  // Design matrix with a trailing 1 column for the bias; the bias is not penalised.
  const X = new Matrix(train.x.map((r) => [...r, 1]));
  const Y = new Matrix(train.y);
  const XtX = X.transpose().mmul(X);
  const n = train.x.length;
  for (let i = 0; i < L; i++) XtX.set(i, i, XtX.get(i, i) + opts.ridge * n);
  const beta = solve(XtX, X.transpose().mmul(Y)); // [(L+1), H]
  const weights = new Float64Array(L * H);
  const bias = new Float64Array(H);
  for (let i = 0; i < L; i++) for (let h = 0; h < H; h++) weights[i * H + h] = beta.get(i, h);
  for (let h = 0; h < H; h++) bias[h] = beta.get(L, h);
  const fit: ForecastFit = {
    contextLength: L,
    horizon: H,
    weights,
    bias,
    q10: new Float64Array(H),
    q50: new Float64Array(H),
    q90: new Float64Array(H),
  };
  const pred = calibration.x.map((r) => predictNormalized(fit, r));
  for (let h = 0; h < H; h++) {
    const res = calibration.y
      .map((r, i) => (r[h] as number) - ((pred[i] as number[])[h] as number))
      .sort((a, b) => a - b);
    fit.q10[h] = quantile(res, 0.1);
    fit.q50[h] = quantile(res, 0.5);
    fit.q90[h] = quantile(res, 0.9);
  }
  return fit;
}

export function predictNormalized(fit: ForecastFit, x: number[]): number[] {
  const out: number[] = [];
  for (let h = 0; h < fit.horizon; h++) {
    let s = fit.bias[h] as number;
    for (let i = 0; i < fit.contextLength; i++)
      s += (x[i] as number) * (fit.weights[i * fit.horizon + h] as number);
    out.push(s);
  }
  return out;
}

/**
 * ONNX graph on normalized input r = x / x_last (the runtime divides and multiplies back):
 * point = 1 + (r - 1)·W + b;  p_q = point + q_q  (q: residual quantiles per horizon step).
 */
export function forecastOnnx(
  fit: ForecastFit,
  meta: { version: string; layout?: 'batch_time' | 'batch_time_channel' },
): Uint8Array {
  const channel = meta.layout === 'batch_time_channel';
  const L = fit.contextLength;
  const H = fit.horizon;
  const graph = {
    name: 'investiq-nlinear',
    input: [valueInfo('past_values', 'float', channel ? ['batch', L, 1] : ['batch', L])],
    output: ['point', 'p10', 'p50', 'p90'].map((n) =>
      valueInfo(n, 'float', channel ? ['batch', H, 1] : ['batch', H]),
    ),
    initializer: [
      floatTensor('weights', [L, H], fit.weights),
      floatTensor(
        'bias_plus_one',
        [H],
        Array.from(fit.bias, (b) => b + 1),
      ),
      floatTensor('one', [], [1]),
      floatTensor('q10', [H], fit.q10),
      floatTensor('q50', [H], fit.q50),
      floatTensor('q90', [H], fit.q90),
      int64Tensor('channel_axis', [1], [2]),
    ],
    node: [
      ...(channel ? [node('Squeeze', ['past_values', 'channel_axis'], ['context'])] : []),
      node('Sub', [channel ? 'context' : 'past_values', 'one'], ['relative']),
      node('MatMul', ['relative', 'weights'], ['projected']),
      node('Add', ['projected', 'bias_plus_one'], [channel ? 'point_2d' : 'point']),
      ...(['p10', 'p50', 'p90'] as const).map((q) =>
        node('Add', [channel ? 'point_2d' : 'point', `q${q.slice(1)}`], [channel ? `${q}_2d` : q]),
      ),
      ...(channel
        ? (['point', 'p10', 'p50', 'p90'] as const).map((o) =>
            node('Unsqueeze', [`${o}_2d`, 'channel_axis'], [o]),
          )
        : []),
    ],
  };
  return encodeModel(graph, {
    producerVersion: meta.version,
    docString: `InvestIQ default forecaster: NLinear-style ridge regression, context ${L}, horizon ${H}, input normalized by the last value.`,
  });
}
