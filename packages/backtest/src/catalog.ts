import { z } from 'zod';
import { MARKET_RULES } from './markets';
import { STRATEGIES, type StrategyDescriptor } from './strategies';
import { BACKTEST_MARKETS, type TCosts } from './types';

export interface ParamInfo {
  name: string;
  default: number;
  min: number | null;
  max: number | null;
  integer: boolean;
}

export interface StrategyInfo {
  id: string;
  uses: string;
  params: ParamInfo[];
  sweep: Record<string, number[]>;
}

/** What the form needs, derived from the registry (parameter bounds come from each zod schema). */
export function strategyCatalog(): { strategies: StrategyInfo[]; defaultCosts: Record<string, TCosts> } {
  const strategies = (STRATEGIES as unknown as readonly StrategyDescriptor[]).map((s) => {
    const schema = z.toJSONSchema(s.params, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, { type?: string; default?: number; minimum?: number; maximum?: number }>;
    };
    const params = Object.entries(schema.properties ?? {}).map(([name, p]) => ({
      name,
      default: p.default ?? 0,
      min: p.minimum ?? null,
      max: p.maximum ?? null,
      integer: p.type === 'integer',
    }));
    return { id: s.id, uses: s.uses, params, sweep: s.sweep as Record<string, number[]> };
  });
  const defaultCosts = Object.fromEntries(BACKTEST_MARKETS.map((m) => [m, MARKET_RULES[m].defaultCosts]));
  return { strategies, defaultCosts };
}
