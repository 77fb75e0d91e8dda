export {
  type ArimaFit,
  type ArimaOrder,
  type AutoArimaOptions,
  type AutoArimaResult,
  autoArima,
  chooseDifferencing,
  type ForecastInterval,
  fitArima,
  KPSS_CRITICAL_5PCT,
  kpssStatistic,
  MIN_AUTO_ARIMA_LENGTH,
} from './arima';
export { QuantInputError } from './errors';
export {
  fitGarch,
  type GarchOptions,
  type GarchResult,
  garchLogLikelihood,
  MIN_GARCH_LENGTH,
  percentLogReturns,
  type VarEstimate,
} from './garch';
export {
  type Bar,
  computeIndicators,
  type IndicatorResult,
  type IndicatorSpec,
  indicatorKey,
  kdj,
  rsi,
  type Series,
} from './indicators';
export {
  QUANT_LIMITS,
  runArimaRequest,
  runGarchRequest,
  runIndicatorsRequest,
  type TArimaRequest,
  type TGarchRequest,
  type TIndicatorsRequest,
  ZArimaRequest,
  ZBar,
  ZGarchRequest,
  ZIndicatorSpec,
  ZIndicatorsRequest,
} from './schemas';
