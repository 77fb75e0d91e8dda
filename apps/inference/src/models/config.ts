import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

/** config.json of a sentiment model directory (see docs/models.md). */
export const ZSentimentConfig = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  task: z.literal('sentiment'),
  /** Class names in the order of the logits output, e.g. FinBERT: positive, negative, neutral. */
  labels: z
    .array(z.enum(SENTIMENT_LABELS))
    .length(3)
    .refine((l) => new Set(l).size === 3, 'labels must name negative, neutral and positive once each'),
  maxLength: z.number().int().min(2).max(8192),
  inputs: z.object({
    ids: z.string().min(1).default('input_ids'),
    mask: z.string().min(1).optional(),
    tokenTypeIds: z.string().min(1).optional(),
  }),
  output: z.string().min(1).default('logits'),
  /** 'tokenizer.json' (Hugging Face fast tokenizer file) or 'vocab' (a BERT vocab.txt, WordPiece). */
  tokenizer: z.enum(['tokenizer.json', 'vocab']).default('tokenizer.json'),
  /** For tokenizer 'vocab': lowercase input (uncased BERT). */
  lowercase: z.boolean().default(true),
  /** 'longest' pads a batch to its longest text; 'max_length' always pads to maxLength. */
  padding: z.enum(['longest', 'max_length']).default('longest'),
  /** Shown in /health beside the model, e.g. "random weights — for throughput measurement only". */
  note: z.string().min(1).optional(),
});
export type TSentimentConfig = z.infer<typeof ZSentimentConfig>;

const ZQuantileLevels = z.object({
  p10: z.array(z.number()),
  p50: z.array(z.number()),
  p90: z.array(z.number()),
});

/** config.json of a forecast model directory (see docs/models.md). */
export const ZForecastConfig = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  task: z.literal('forecast'),
  contextLength: z.number().int().min(1),
  horizon: z.number().int().min(1),
  inputs: z.object({
    /** Graph input holding the context window. */
    series: z.string().min(1).default('past_values'),
    /** `[batch, L]` or `[batch, L, 1]` (PatchTST exports use the latter). */
    layout: z.enum(['batch_time', 'batch_time_channel']).default('batch_time'),
  }),
  outputs: z.object({
    /** Graph output with the point forecast, `[batch, H]` or `[batch, H, 1]`. */
    point: z.string().min(1),
    /** Optional graph outputs with quantile forecasts (same shape as point). */
    p10: z.string().min(1).optional(),
    p50: z.string().min(1).optional(),
    p90: z.string().min(1).optional(),
  }),
  /**
   * Applied around the graph by the runtime. 'per-series-last-value': x / x[L-1] in, y * x[L-1] out.
   * 'per-series-mean-std': z-score in, inverse out. 'none': the graph sees raw values (e.g. RevIN inside).
   */
  normalization: z.enum(['none', 'per-series-last-value', 'per-series-mean-std']),
  /**
   * Where p10/p50/p90 come from: 'outputs' = the graph outputs named above; 'residuals' = offsets per
   * horizon step (in normalized units) added to the point forecast by the runtime.
   */
  quantiles: z.discriminatedUnion('source', [
    z.object({ source: z.literal('outputs') }),
    z.object({ source: z.literal('residuals'), offsets: ZQuantileLevels }),
  ]),
});
export type TForecastConfig = z.infer<typeof ZForecastConfig>;

export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
}

export async function readModelConfig<T>(dir: string, schema: z.ZodType<T>): Promise<T> {
  const path = join(dir, 'config.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ModelConfigError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ModelConfigError(`invalid ${path}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
