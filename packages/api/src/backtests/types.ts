import { BACKTEST_LIMITS, type BacktestResult, type Metrics, ZBacktestSpec } from '@investiq/backtest';
import { ZMarketSymbol } from '@investiq/contracts';
import { z } from 'zod';

/** A run request: the backtest spec (strategy, params, dates, costs, sweep) plus what to trade. */
export const ZBacktestRequest = z
  .object({
    symbols: z
      .array(ZMarketSymbol)
      .min(1, 'symbols needs at least one symbol')
      .max(BACKTEST_LIMITS.maxSymbols, `symbols takes at most ${BACKTEST_LIMITS.maxSymbols} symbols`),
    benchmark: ZMarketSymbol.optional(),
  })
  .and(ZBacktestSpec)
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.symbols.forEach((s, i) => {
      const k = `${s.market}:${s.symbol}`;
      if (seen.has(k))
        ctx.addIssue({ code: 'custom', path: ['symbols', i], message: `${k} is listed twice` });
      seen.add(k);
    });
  });
export type TBacktestRequest = z.input<typeof ZBacktestRequest>;

export type BacktestStatus = 'running' | 'complete' | 'failed';

export interface BacktestSummary {
  id: string;
  status: BacktestStatus;
  strategy: string;
  symbols: { market: string; symbol: string }[];
  from: string;
  to: string;
  progress: number;
  progressLabel: string | null;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  metrics: Metrics | null;
}

export interface BacktestRecord extends BacktestSummary {
  spec: Record<string, unknown>;
  benchmark: { market: string; symbol: string } | null;
  result: BacktestResult | null;
}
