// Reproducible build of the default models (no downloads): `npm run models:build`.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoMarket } from '@investiq/market/demo';
import type { TForecastConfig, TSentimentConfig } from './config.js';
import { fitLinearForecaster, forecastOnnx, predictNormalized, windows } from './forecast-train.js';
import {
  DEFAULT_SENTIMENT_MAX_LENGTH,
  DEFAULT_SENTIMENT_TRAINING,
  type LabelledText,
  readJsonl,
  sentimentOnnx,
  trainSentiment,
  type ZhLexicon,
} from './sentiment-train.js';
import { bertTokenizerJson } from './tokenizer.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const INFERENCE_ROOT = join(here, '../..');
export const DATA_DIR = join(INFERENCE_ROOT, 'data');
/** Where `npm run models:build` writes and the services look by default. */
export const DEFAULT_MODELS_DIR = join(INFERENCE_ROOT, 'models');

export const SENTIMENT_VERSION = '2.0.0';
export const FORECAST_VERSION = '1.0.0';

/** Training data of the default forecaster: the demo market, held-out split per series. */
export const FORECAST_DATA = {
  seed: 1,
  from: '2020-01-02',
  to: '2025-12-31',
  contextLength: 64,
  horizon: 10,
  /** ridge penalties tried; the one with the lowest calibration MAE is kept */
  ridgeGrid: [1e-3, 1e-2, 1e-1, 1, 10, 100],
  /** first 70 % of each series trains, next 15 % calibrates quantiles, last 15 % tests */
  trainFraction: 0.7,
  calibrationFraction: 0.15,
} as const;

const SOURCES = ['build.ts', 'sentiment-train.ts', 'forecast-train.ts', 'onnx-graph.ts', 'tokenizer.ts'];

export interface ForecastSplit {
  symbol: string;
  train: number[];
  calibration: number[];
  test: number[];
}

/** Closes of every demo symbol, split in time. Calibration/test windows start with their own context. */
export function forecastSplits(): ForecastSplit[] {
  const market = createDemoMarket({ seed: FORECAST_DATA.seed });
  const { contextLength: L, trainFraction, calibrationFraction } = FORECAST_DATA;
  return market.universe.map((inst) => {
    const closes = market
      .dailyBars(inst.symbol, { from: FORECAST_DATA.from, to: FORECAST_DATA.to })
      .map((b) => b.close);
    const a = Math.floor(closes.length * trainFraction);
    const b = Math.floor(closes.length * (trainFraction + calibrationFraction));
    return {
      symbol: inst.symbol,
      train: closes.slice(0, a),
      calibration: closes.slice(a - L, b),
      test: closes.slice(b - L),
    };
  });
}

export interface ForecastMetrics {
  windows: number;
  model: { mae: number; mape: number };
  naive: { mae: number; mape: number };
  /** share of test targets inside [p10, p90] (nominal 0.8) */
  coverage80: number;
}

/** MAE (price units, averaged over series of different price levels) and MAPE (%) over all test windows and steps. */
export function evaluateForecasts(
  cases: { context: number[]; actual: number[]; point: number[]; p10: number[]; p90: number[] }[],
): ForecastMetrics {
  let n = 0;
  let mae = 0;
  let mape = 0;
  let naiveMae = 0;
  let naiveMape = 0;
  let inside = 0;
  for (const c of cases) {
    const last = c.context[c.context.length - 1] as number;
    c.actual.forEach((y, h) => {
      const p = c.point[h] as number;
      mae += Math.abs(y - p);
      mape += Math.abs(y - p) / Math.abs(y);
      naiveMae += Math.abs(y - last);
      naiveMape += Math.abs(y - last) / Math.abs(y);
      if (y >= (c.p10[h] as number) && y <= (c.p90[h] as number)) inside++;
      n++;
    });
  }
  return {
    windows: cases.length,
    model: { mae: mae / n, mape: (100 * mape) / n },
    naive: { mae: naiveMae / n, mape: (100 * naiveMape) / n },
    coverage80: inside / n,
  };
}

/** Test windows (stride = horizon, non-overlapping targets) of every split. */
export function forecastTestCases(splits: ForecastSplit[]): { context: number[]; actual: number[] }[] {
  const { contextLength: L, horizon: H } = FORECAST_DATA;
  const out: { context: number[]; actual: number[] }[] = [];
  for (const s of splits) {
    for (let end = L; end + H <= s.test.length; end += H) {
      out.push({ context: s.test.slice(end - L, end), actual: s.test.slice(end, end + H) });
    }
  }
  return out;
}

async function inputsHash(kind: 'sentiment' | 'timeseries', extra: string[]): Promise<string> {
  const h = createHash('sha256').update(kind);
  for (const f of SOURCES) h.update(f).update(await readFile(join(here, f)));
  for (const e of extra) h.update(e);
  return h.digest('hex');
}

async function readBuildInfo(dir: string): Promise<{ inputsHash?: string } | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as { inputsHash?: string };
  } catch {
    return undefined;
  }
}

/**
 * Writes files into a temp dir, then renames it in place, so a reader never sees half a model. When
 * another process finished the same build first (same inputs hash), its directory is kept.
 */
async function writeModelDir(
  dir: string,
  inputs: string,
  force: boolean,
  files: Record<string, string | Uint8Array>,
): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(tmp, name), content);
  try {
    await rename(tmp, dir);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
  }
  if (!force && (await readBuildInfo(dir))?.inputsHash === inputs) {
    await rm(tmp, { recursive: true, force: true });
    return;
  }
  const old = `${dir}.old-${process.pid}-${Date.now()}`;
  await rename(dir, old);
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export async function buildDefaultModels(opts: {
  outDir: string;
  force?: boolean;
  onProgress?: (msg: string) => void;
}): Promise<{ sentimentDir: string; timeseriesDir: string; built: string[]; skipped: string[] }> {
  const progress = opts.onProgress ?? (() => {});
  const sentimentDir = join(opts.outDir, 'sentiment');
  const timeseriesDir = join(opts.outDir, 'timeseries');
  const built: string[] = [];
  const skipped: string[] = [];
  await mkdir(opts.outDir, { recursive: true });

  // --- sentiment ---
  const trainText = await readFile(join(DATA_DIR, 'sentiment-train.jsonl'), 'utf8');
  const lexText = await readFile(join(DATA_DIR, 'zh-financial-lexicon.json'), 'utf8');
  const afinnVersion = (
    JSON.parse(await readFile(require.resolve('afinn-165-financialmarketnews/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const sHash = await inputsHash('sentiment', [trainText, lexText, afinnVersion, SENTIMENT_VERSION]);
  if (!opts.force && (await readBuildInfo(sentimentDir))?.inputsHash === sHash) {
    progress('sentiment: up to date, skipped');
    skipped.push('sentiment');
  } else {
    const t0 = Date.now();
    progress('sentiment: training on data/sentiment-train.jsonl + AFINN-165 financial + zh lexicon');
    const train = readJsonl<LabelledText>(join(DATA_DIR, 'sentiment-train.jsonl'));
    const zh = JSON.parse(lexText) as ZhLexicon;
    const model = trainSentiment(train, zh);
    progress(`sentiment: vocab ${model.vocab.length}, train accuracy ${model.trainAccuracy.toFixed(3)}`);
    const onnxBytes = sentimentOnnx(model, { version: SENTIMENT_VERSION });
    const config: TSentimentConfig = {
      name: 'investiq-sentiment-bow',
      version: SENTIMENT_VERSION,
      task: 'sentiment',
      labels: ['negative', 'neutral', 'positive'],
      maxLength: DEFAULT_SENTIMENT_MAX_LENGTH,
      inputs: { ids: 'input_ids', mask: 'attention_mask' },
      output: 'logits',
      tokenizer: 'tokenizer.json',
      lowercase: true,
      // fixed width: a text's logits are bit-identical alone or in any batch (sums run over the same length)
      padding: 'max_length',
    };
    await writeModelDir(sentimentDir, sHash, opts.force ?? false, {
      'model.onnx': onnxBytes,
      'config.json': json(config),
      'tokenizer.json': JSON.stringify(bertTokenizerJson(model.vocab, { lowercase: true })),
      'tokenizer_config.json': json({
        tokenizer_class: 'BertTokenizer',
        do_lower_case: true,
        pad_token: '[PAD]',
        model_max_length: DEFAULT_SENTIMENT_MAX_LENGTH,
      }),
      'build-info.json': json({
        inputsHash: sHash,
        trainExamples: train.length,
        vocabSize: model.vocab.length,
        trainAccuracy: model.trainAccuracy,
        training: DEFAULT_SENTIMENT_TRAINING,
        afinn: afinnVersion,
      }),
    });
    progress(
      `sentiment: wrote ${sentimentDir} (${(onnxBytes.length / 1024).toFixed(0)} KiB) in ${Date.now() - t0} ms`,
    );
    built.push('sentiment');
  }

  // --- timeseries ---
  progress('timeseries: generating demo-market closes');
  const splits = forecastSplits();
  const dataFingerprint = createHash('sha256').update(JSON.stringify(splits)).digest('hex');
  const tHash = await inputsHash('timeseries', [
    dataFingerprint,
    JSON.stringify(FORECAST_DATA),
    FORECAST_VERSION,
  ]);
  if (!opts.force && (await readBuildInfo(timeseriesDir))?.inputsHash === tHash) {
    progress('timeseries: up to date, skipped');
    skipped.push('timeseries');
  } else {
    const t0 = Date.now();
    const { contextLength: L, horizon: H } = FORECAST_DATA;
    const merge = (parts: { x: number[][]; y: number[][] }[]) => ({
      x: parts.flatMap((p) => p.x),
      y: parts.flatMap((p) => p.y),
    });
    const train = merge(splits.map((s) => windows(s.train, L, H)));
    const calibration = merge(splits.map((s) => windows(s.calibration, L, H)));
    progress(
      `timeseries: ridge fit on ${train.x.length} windows, quantiles from ${calibration.x.length} held-out windows`,
    );
    let best: { ridge: number; mae: number; fit: ReturnType<typeof fitLinearForecaster> } | undefined;
    for (const ridge of FORECAST_DATA.ridgeGrid) {
      const candidate = fitLinearForecaster(train, calibration, { contextLength: L, horizon: H, ridge });
      let mae = 0;
      calibration.x.forEach((x, i) => {
        const p = predictNormalized(candidate, x);
        p.forEach((v, h) => {
          mae += Math.abs(v - ((calibration.y[i] as number[])[h] as number));
        });
      });
      mae /= calibration.x.length * H;
      progress(`timeseries: ridge ${ridge}: calibration MAE ${mae.toExponential(4)} (normalized)`);
      if (!best || mae < best.mae) best = { ridge, mae, fit: candidate };
    }
    if (!best) throw new Error('empty ridge grid');
    const fit = best.fit;
    const metrics = evaluateForecasts(
      forecastTestCases(splits).map((c) => {
        const last = c.context[L - 1] as number;
        const norm = predictNormalized(
          fit,
          c.context.map((v) => v / last - 1),
        );
        return {
          ...c,
          point: norm.map((v) => (1 + v) * last),
          p10: norm.map((v, h) => (1 + v + (fit.q10[h] as number)) * last),
          p90: norm.map((v, h) => (1 + v + (fit.q90[h] as number)) * last),
        };
      }),
    );
    const onnxBytes = forecastOnnx(fit, { version: FORECAST_VERSION });
    const config: TForecastConfig = {
      name: 'investiq-nlinear',
      version: FORECAST_VERSION,
      task: 'forecast',
      contextLength: L,
      horizon: H,
      inputs: { series: 'past_values', layout: 'batch_time' },
      outputs: { point: 'point', p10: 'p10', p50: 'p50', p90: 'p90' },
      normalization: 'per-series-last-value',
      quantiles: { source: 'outputs' },
    };
    await writeModelDir(timeseriesDir, tHash, opts.force ?? false, {
      'model.onnx': onnxBytes,
      'config.json': json(config),
      'build-info.json': json({
        inputsHash: tHash,
        data: FORECAST_DATA,
        trainWindows: train.x.length,
        calibrationWindows: calibration.x.length,
        ridge: best.ridge,
        heldOut: metrics,
      }),
    });
    progress(
      `timeseries: wrote ${timeseriesDir} in ${Date.now() - t0} ms; held-out MAPE ${metrics.model.mape.toFixed(3)}% vs naive ${metrics.naive.mape.toFixed(3)}%`,
    );
    built.push('timeseries');
  }
  return { sentimentDir, timeseriesDir, built, skipped };
}
