// Registers every domain's settings (settings/ itself imports no domain).
import './all-settings';

export { actorOf, listAudit, writeAudit } from './audit/audit-log';
export { bearerToken, createApiToken, revokeApiToken, verifyApiToken } from './auth/api-tokens';
export { ROLES, type Role, roleAtLeast } from './auth/roles';
export { countUsers, createUser, listUsers } from './auth/users';
export { Collector, type CollectorStatus } from './collector/collector';
export { AppError, type AppErrorCode, isAppError } from './errors';
export {
  CSV_SOURCE,
  type CsvImportErrorDetails,
  type CsvImportProgress,
  type CsvImportResult,
  importCsv,
  MAX_IMPORT_BYTES,
} from './market/csv-import';
export { exactCodeCandidates, type SymbolHit, searchSymbols } from './market/search-symbols';
export { pinyinInitials } from './market/symbol-text';
export { listSymbols, syncDailyBars, syncSymbols } from './market/sync-market';
export {
  refreshCalendar,
  startUniverseRefresh,
  storeUniverse,
  syncUniverse,
  type UniverseSource,
  type UniverseSyncResult,
} from './market/universe';
export {
  type ChannelScope,
  createChannel,
  deleteChannel,
  enqueueNotification,
  listChannels,
  type NotificationDeps,
  sendTest,
  type TEnqueueInput,
} from './notifications/service';
export { createLogger, type Logger } from './observability/logger';
export { createMetrics, type Metrics } from './observability/metrics';
export type { ProvidersConfig } from './providers/live-providers';
export { planRefresh, type RefreshPlan } from './providers/plan-refresh';
export {
  chainListProblem,
  chainsFromList,
  providerDescriptors,
  registerProviderDescriptor,
} from './providers/registry';
export { SProviderBudgets } from './providers/settings';
export { decideFreshness, type FreshnessOptions } from './quotes/decide-freshness';
export { freshnessOptions } from './quotes/freshness-options';
export { getHistory } from './quotes/get-history';
export { getLatestQuote, getLatestQuotes } from './quotes/get-latest-quotes';
export { validateAndIngest } from './quotes/ingest-pipeline';
export {
  ingestQuotes,
  MAX_INGEST_ROWS,
  notifyPayloads,
  parseIngestBatch,
  QUOTES_CHANNEL,
} from './quotes/ingest-quotes';
export { QuoteHub } from './quotes/quote-hub';
export { clearSourceDelays, declareSourceDelay, sourceDelaySeconds } from './quotes/source-delays';
export { createPolicy } from './resilience';
export { type AppRouter, appRouter, createCaller } from './root';
export { createRuntime, type Runtime, type RuntimeConfig } from './runtime';
export { parseTrustProxy, type TrustProxy } from './security/client-ip';
export * from './settings/index';
export { type Context, createContext, type Principal } from './trpc';
export { watchedSymbols } from './watchlists/index';
