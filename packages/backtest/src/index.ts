export { type ParamInfo, type StrategyInfo, strategyCatalog } from './catalog';
export { type RoundTrip, type SimulateInput, type SimulateResult, simulate } from './engine';
export {
  CN_TRANSFER_FEE,
  cnPriceLimit,
  cnStampDutyRate,
  type FeeBreakdown,
  HK_EXCHANGE_FEES,
  hkStampDutyRate,
  isCnSt,
  MARKET_RULES,
  type MarketRules,
  roundToTick,
  totalFees,
} from './markets';
export { computeMetrics, dailyReturns, drawdownSeries, type Metrics, PERIODS_PER_YEAR } from './metrics';
export {
  BACKTEST_LIMITS,
  type BacktestResult,
  gridCombos,
  type ProgressFn,
  runBacktest,
  type SweepFold,
  type SweepRow,
  type SymbolResult,
  type SymbolSeries,
  type TBacktestSpec,
  type TBacktestSpecParsed,
  ZBacktestSpec,
} from './run';
export {
  getStrategy,
  STRATEGIES,
  STRATEGY_IDS,
  type StrategyDescriptor,
  type StrategyId,
} from './strategies';
export {
  BACKTEST_MARKETS,
  type BacktestMarket,
  type Blocked,
  type BlockReason,
  type DailyBar,
  type Fill,
  type Instrument,
  type Side,
  type TCosts,
  ZCosts,
} from './types';
