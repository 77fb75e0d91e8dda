import { buyAndHold } from './buy-and-hold';
import { channelBreakout } from './channel-breakout';
import { followReport } from './follow-report';
import { maCross } from './ma-cross';
import { rsiReversion } from './rsi-reversion';
import type { StrategyDescriptor } from './types';

/** The strategy registry: adding a strategy is one file plus its entry here (and its UI label). */
export const STRATEGIES = [buyAndHold, maCross, rsiReversion, channelBreakout, followReport] as const;
export const STRATEGY_IDS = STRATEGIES.map((s) => s.id) as [string, ...string[]];
export type StrategyId = (typeof STRATEGIES)[number]['id'];

export function getStrategy(id: string): StrategyDescriptor | undefined {
  return (STRATEGIES as readonly StrategyDescriptor[]).find((s) => s.id === id) as
    | StrategyDescriptor
    | undefined;
}

export { nanArray, type StrategyDescriptor, sma } from './types';
