import type { ExecutionProvider } from '../config';
import type { ModelInfo, SessionTuning } from '../models/session';

/** The runtime surface of helper B's models (src/models/sentiment.ts, src/models/forecast.ts). */
export interface SentimentModelLike {
  info: ModelInfo;
  maxLength: number;
  predict(
    texts: string[],
    lang: 'zh' | 'en' | 'auto',
  ): Promise<
    {
      label: 'negative' | 'neutral' | 'positive';
      scores: { negative: number; neutral: number; positive: number };
    }[]
  >;
  close(): Promise<void>;
}

export interface ForecastModelLike {
  info: ModelInfo;
  contextLength: number;
  horizon: number;
  predict(series: number[][]): Promise<{ point: number[]; p10: number[]; p50: number[]; p90: number[] }[]>;
  close(): Promise<void>;
}

export interface LoadOptions {
  provider: ExecutionProvider;
  dlaCore?: number;
  session?: Partial<SessionTuning>;
}

// Loaded lazily so a service that does not need a model never loads onnxruntime.
export async function loadSentiment(dir: string, opts: LoadOptions): Promise<SentimentModelLike> {
  const { loadSentimentModel } = await import('../models/sentiment');
  return loadSentimentModel(dir, opts);
}

export async function loadForecast(dir: string, opts: LoadOptions): Promise<ForecastModelLike> {
  const { loadForecastModel } = await import('../models/forecast');
  return loadForecastModel(dir, opts);
}
