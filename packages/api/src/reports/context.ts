import type { TBar, TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import type { DataProvider } from '@investiq/market';
import type { FreshnessOptions } from '../quotes/decide-freshness';
import type { NamedPolicy } from '../resilience';
import type { InferenceGateway, ServiceHealthView } from './inference-gateway';
import type { ReportLanguage } from './report-basics';

/**
 * What every module gets: the report's inputs (loaded once), the dependencies to call, and its own slice of
 * `analysis.modules` (`params`; `undefined` for a module without parameters).
 */
export interface ModuleContext<P = unknown> {
  db: DatabaseHandle;
  provider: DataProvider;
  providerPolicy: NamedPolicy;
  inference: InferenceGateway;
  now: () => Date;
  market: TMarket;
  symbol: string;
  symbolInfo: { name: string; nameZh: string; currency: string; exchange: string; isDemo: boolean };
  /** Stored daily bars up to the as-of date, oldest first (at most `analysis.modules` historyBars). */
  bars: TBar[];
  params: P;
  language: ReportLanguage;
  /** Set for a backtest report: inputs end at this date and no live quote is used. */
  backtestAsOf: string | null;
  quoteMaxAgeSeconds: number;
  /** Exchange-calendar mode of the live quote (see quotes/freshness-options.ts); default: calendar applies. */
  quoteFreshness?: FreshnessOptions;
  /** Services' /health taken at the start (lineage, and whether an LLM upstream is configured). */
  health: Partial<Record<string, ServiceHealthView>>;
  /** Outputs of modules that finished ok (the narrative reads them). */
  outputs: Partial<Record<string, unknown>>;
  /** Section-level states of the other modules, for the narrative's prompt. */
  states: () => { module: string; status: string; reason: string | null }[];
  onNarrativeDelta: (text: string) => void;
}

export interface ModuleResult<O = unknown> {
  output: O;
  inputsAsOf: Record<string, string | null>;
}

/** A module that could not run for a reason that is not a fault (disabled input, too little history). */
export class SectionSkipped extends Error {
  override readonly name = 'SectionSkipped';
}

/** Next `n` weekdays after `date` (YYYY-MM-DD): the forecast's trading days (holidays not modelled). */
export function nextTradingDays(date: string, n: number): string[] {
  const out: string[] = [];
  const d = new Date(`${date}T00:00:00Z`);
  while (out.length < n) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

export function requireHistory(ctx: Pick<ModuleContext, 'bars' | 'market' | 'symbol'>, need: number): void {
  if (ctx.bars.length < need)
    throw new SectionSkipped(
      `not enough price history: ${ctx.bars.length} daily bars stored for ${ctx.market}:${ctx.symbol}, this section needs at least ${need}`,
    );
}

export const MIN_BARS = 70;

export const lastBarDate = (ctx: Pick<ModuleContext, 'bars'>): string | null => ctx.bars.at(-1)?.time ?? null;
