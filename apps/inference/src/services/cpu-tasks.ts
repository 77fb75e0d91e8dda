import type { TArimaRequest, TGarchRequest, TIndicatorsRequest } from '@investiq/contracts/inference';
import { autoArima, computeIndicators, fitGarch, QuantInputError } from '@investiq/quant';

/** Runs inside a worker thread of the cpu-timeseries pool (see cpu-worker.mjs). */
export type CpuTask =
  | { kind: 'indicators'; input: TIndicatorsRequest }
  | { kind: 'arima'; input: TArimaRequest }
  | { kind: 'garch'; input: TGarchRequest }
  | { kind: 'ping' };

/** Errors cannot cross the thread boundary with their class, so bad input comes back as a value. */
export type CpuTaskResult =
  | { ok: true; value: unknown }
  | { ok: false; kind: 'input'; message: string; field?: string }
  | { ok: false; kind: 'internal'; message: string };

export function runCpuTask(task: CpuTask): CpuTaskResult {
  try {
    switch (task.kind) {
      case 'ping':
        return { ok: true, value: 'pong' };
      case 'indicators':
        return { ok: true, value: { indicators: computeIndicators(task.input.bars, task.input.specs) } };
      case 'arima': {
        const { series, ...opts } = task.input;
        return { ok: true, value: autoArima(series, opts) };
      }
      case 'garch': {
        const { returns, ...opts } = task.input;
        return { ok: true, value: fitGarch(returns, opts) };
      }
    }
  } catch (err) {
    if (err instanceof QuantInputError) {
      return { ok: false, kind: 'input', message: err.message, ...(err.field ? { field: err.field } : {}) };
    }
    return { ok: false, kind: 'internal', message: err instanceof Error ? err.message : String(err) };
  }
}
