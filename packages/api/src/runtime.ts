import type { TMarket } from '@investiq/contracts';
import { createDatabase, type DatabaseHandle, maintainQuoteStorage, quotesStorage } from '@investiq/db';
import { type DataProvider, isMarketOpen } from '@investiq/market';
import { AlertEngine, leadAlertEngine } from './alerts/engine';
import { AlertFeed } from './alerts/feed';
import { attachCredentialCache } from './auth/credential-cache';
import { BacktestService } from './backtests/backtest-service';
import { Collector } from './collector/collector';
import { leadCollector } from './collector/leader';
import type { RuntimeConfig } from './config';
import { syncDailyBars, syncSymbols } from './market/sync-market';
import { startNotifications } from './notifications/runtime';
import type { NotificationDeps } from './notifications/service';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { type RecentLogs, recentLogsOf } from './observability/recent-errors';
import { effectiveBudget } from './providers/budget';
import { fetchCrossCheckBars } from './providers/cross-check';
import { DynamicProvider, LiveProviders } from './providers/live-providers';
import { planMarketRefresh } from './providers/plan-refresh';
import { watchList } from './providers/watch-list';
import { freshnessOptions } from './quotes/freshness-options';
import { validateAndIngest } from './quotes/ingest-pipeline';
import { attachLatestQuoteCache } from './quotes/latest-quote-cache';
import { QuoteHub } from './quotes/quote-hub';
import type { InferenceGateway } from './reports/inference-gateway';
import type { ReportService } from './reports/report-service';
import { attachReports } from './reports/runtime';
import { leadSchedules } from './schedules/leader';
import { ScheduleRunner } from './schedules/runner';
import { startRateLimitPurge } from './security/rate-limits';
import { getQuoteSettings, startSettings } from './settings/runtime-settings';
// registers every domain's settings before the settings service starts (settings/ imports no domain)
import './all-settings';
import { watchedSymbols } from './watchlists/watchlists';

export type { RuntimeConfig } from './config';

export interface Runtime {
  config: RuntimeConfig;
  db: DatabaseHandle;
  /** Always answers from the current provider chains (rebuilt when the admin changes them). */
  provider: DataProvider;
  /** The chains behind `provider`: breakers, budgets, call statistics (admin Providers page). */
  providers: LiveProviders;
  hub: QuoteHub;
  collector: Collector;
  metrics: Metrics;
  log: Logger;
  /** The warnings and errors this process logged lately (admin Operations page). */
  recentLogs: RecentLogs;
  now: () => Date;
  startedAt: Date;
  /** Inference services behind resilience policies (reports, /api/health). */
  inference: InferenceGateway;
  reports: ReportService;
  /** Strategy backtests run as worker-thread jobs (backtests/). */
  backtests: BacktestService;
  /** Notification channels and the delivery queue (notifications/service.ts functions take these). */
  notifications: NotificationDeps;
  /** Evaluates alerts on every ingested quote; runs only in the process holding the alert-engine lock. */
  alerts: AlertEngine;
  /** Per-process "a user's alert events changed" (the bell's SSE). */
  alertFeed: AlertFeed;
  /** Runs users' report schedules; only in the process holding the schedule lock. */
  schedules: ScheduleRunner;
  close(): Promise<void>;
}

/**
 * Everything one server process owns: the database handle, the provider, the live-quote hub and — when
 * enabled — the collector and the partition/retention maintenance tick.
 */
export async function createRuntime(
  config: RuntimeConfig,
  opts: { now?: () => Date; log?: Logger; db?: DatabaseHandle; onProgress?: (msg: string) => void } = {},
): Promise<Runtime> {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? createLogger({ level: config.logLevel });
  const progress = opts.onProgress ?? ((msg: string) => log.info(msg));
  const metrics = createMetrics();
  progress(
    `opening database ${config.databaseUrl ? '(PostgreSQL)' : `(embedded PGlite at ${config.dataDir})`}`,
  );
  const db =
    opts.db ??
    (await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...config.database }));
  const storage = await quotesStorage(db);
  progress(
    `quotes storage: ${storage === 'hypertable' ? 'TimescaleDB hypertable' : 'native daily partitions'}`,
  );
  const stopSettings = await startSettings(db, config, log);
  // resolved API tokens and sessions, emptied by NOTIFY investiq_auth on revoke / user change (auth/credential-cache.ts)
  const credentials = await attachCredentialCache(db, { log });
  const live = new LiveProviders(db, config, {
    now,
    log,
    metrics,
    onRebuild: (set) => {
      // new chains may list other symbols (or stop being demo): re-register them in the background
      watchList(set)
        .then((list) =>
          syncSymbols(db, provider, {
            list,
            sourceOf: (m) => set.chain(m).primary('universe')?.id ?? set.id,
          }),
        )
        .catch((err) => log.warn({ err: String(err) }, 'symbol re-sync after a provider change failed'));
    },
  });
  const set = await live.current();
  const provider: DataProvider = new DynamicProvider(live);
  const stopPurge = startRateLimitPurge(db, {
    onError: (err) => log.warn({ err: String(err) }, 'rate-limit purge failed'),
  });

  await maintain(db, now, log);
  const watched = await watchList(set);
  const nSymbols = await syncSymbols(db, provider, {
    list: watched,
    sourceOf: (m) => set.chain(m).primary('universe')?.id ?? set.id,
  });
  progress(`symbols: ${nSymbols} from provider '${provider.id}'`);
  const bars = await syncDailyBars(db, provider, {
    years: config.quotes.historyYears,
    now: now(),
    list: watched,
    onError: (symbol, err) => log.warn({ symbol, err: String(err) }, 'daily history unavailable'),
    onProgress: (done, total, symbol) => {
      if (done === total || done % 4 === 0) progress(`daily history ${done}/${total} (${symbol})`);
    },
  });
  progress(`daily history: ${bars} new bars`);

  if (config.collector.enabled) await warmStart(db, provider, config, now, progress);

  const hub = new QuoteHub(log, {
    now,
    freshness: freshnessOptions({ config }),
    defaultMaxAgeSeconds: async () => (await getQuoteSettings({ db })).defaultMaxAgeSeconds,
  });
  await hub.start(db);
  // latest-quote reads from memory, kept current by the hub's NOTIFY stream (quotes/latest-quote-cache.ts)
  const latestCache = attachLatestQuoteCache(db, hub);

  const sessions = config.providers?.sessions ?? 'exchange';
  const collector = new Collector({
    db,
    provider,
    // the tracked symbols (the watch list of every market) plus every symbol in a user's watchlist (the
    // universe is reached through search; what someone watches is polled, within the providers' budgets)
    symbols: async () => {
      const tracked = await db.query<{ market: TMarket; symbol: string }>(
        'SELECT market, symbol FROM symbols WHERE tracked ORDER BY 1, 2',
      );
      const seen = new Set(tracked.map((r) => `${r.market}:${r.symbol}`));
      const watched = (await watchedSymbols(db)).filter((r) => !seen.has(`${r.market}:${r.symbol}`));
      return [...tracked, ...watched];
    },
    intervalMs: config.collector.intervalMs,
    ownPolicy: false,
    plan: async (market, counts) => {
      const chains = live.chainSettings();
      const primaryOf = (m: TMarket) => chains?.[m].quotes[0] ?? null;
      const primary = primaryOf(market);
      const budget = primary ? await effectiveBudget(db, primary) : { perMinute: 0, perDay: 0 };
      const { defaultMaxAgeSeconds } = await getQuoteSettings({ db });
      const p = planMarketRefresh({
        market,
        counts,
        primaryOf,
        budgetOf: () => budget,
        collectorIntervalMs: config.collector.intervalMs,
        freshnessSeconds: defaultMaxAgeSeconds,
      });
      return { ...p, budgetSymbols: p.symbols };
    },
    inSession: (market, at) =>
      sessions === 'always' || (live.demoFirst(market) && config.demo.alwaysOpen) || isMarketOpen(market, at),
    retentionDays: async () => (await getQuoteSettings({ db })).retentionDays,
    log,
    metrics,
    now,
  });
  // One polling collector per database: started under the PostgreSQL advisory lock (collector/leader.ts).
  const leadership = config.collector.enabled
    ? leadCollector(db, collector, { log, retryMs: config.collector.leaderRetryMs })
    : null;
  await leadership?.ready;

  // Daily-close cross-check: where a market's bars chain has two real sources, the collecting process
  // stores recent bars from both (once a day per symbol and source) for admin and report lineage.
  const crossCheck = async () => {
    // only the polling collector (the cluster leader) spends budgets on it
    const role = collector.status().role;
    if (!config.collector.enabled || (role !== 'leader' && role !== 'alone')) return;
    const current = await live.current();
    const refs = await db.query<{ market: TMarket; symbol: string }>(
      'SELECT market, symbol FROM symbols WHERE tracked',
    );
    const n = await fetchCrossCheckBars(db, current, refs, { now: now(), log });
    if (n > 0) log.info({ bars: n }, 'cross-check bars stored');
  };
  crossCheck().catch((err) => log.warn({ err: String(err) }, 'cross-check failed'));
  const maintenance = setInterval(() => {
    maintain(db, now, log).catch((err) => log.warn({ err: String(err) }, 'maintenance failed'));
    crossCheck().catch((err) => log.warn({ err: String(err) }, 'cross-check failed'));
  }, 3_600_000);
  maintenance.unref();

  const reporting = await attachReports({
    db,
    provider,
    log,
    now,
    inference: config.inference,
    quoteMaxAgeSeconds: config.quotes.defaultMaxAgeSeconds,
    quoteFreshness: freshnessOptions({ config }), // exchange calendars (cal)
    registry: metrics.registry,
    leaseMs: config.reportLeaseMs,
  });

  const backtests = new BacktestService({ db, log, now });
  const orphaned = await backtests.recoverInterrupted();
  if (orphaned > 0) log.warn({ orphaned }, 'backtests left running by a stopped server marked failed');
  backtests.startMaintenance();

  const notifications = await startNotifications({ db, log, now, config: config.notifications });
  const alertFeed = new AlertFeed(log);
  await alertFeed.start(db);
  const alerts = new AlertEngine({
    db,
    hub,
    notifications: notifications.deps,
    log,
    now,
    groupWindowMs: config.alerts?.groupWindowMs,
    sweepIntervalMs: config.alerts?.sweepIntervalMs,
    quoteMaxAgeSeconds: config.quotes.defaultMaxAgeSeconds,
    freshness: freshnessOptions({ config }),
  });
  // One evaluating process per database (PostgreSQL advisory lock; alone on PGlite).
  const alertLeadership = leadAlertEngine(db, alerts, log, config.collector.leaderRetryMs);
  await alertLeadership.ready;
  const schedules = new ScheduleRunner({
    db,
    reports: reporting.reports,
    notifications: notifications.deps,
    log,
    now,
    publicUrl: config.publicUrl ?? 'http://127.0.0.1:3000',
    tickMs: config.schedules?.tickMs,
  });
  const scheduleLeadership = leadSchedules(db, schedules, log, config.collector.leaderRetryMs);
  await scheduleLeadership.ready;

  return {
    config,
    db,
    provider,
    providers: live,
    hub,
    collector,
    metrics,
    log,
    recentLogs: recentLogsOf(log),
    now,
    startedAt: now(),
    inference: reporting.inference,
    reports: reporting.reports,
    backtests,
    notifications: notifications.deps,
    alerts,
    alertFeed,
    schedules,
    async close() {
      await scheduleLeadership.stop();
      await alertLeadership.stop();
      await alertFeed.stop();
      await notifications.close();
      clearInterval(maintenance);
      await backtests.close();
      stopPurge();
      await reporting.close();
      await leadership?.stop();
      await collector.stop();
      latestCache.detach();
      await hub.stop();
      await credentials.detach();
      await stopSettings();
      if (!opts.db) await db.close();
    },
  };
}

/**
 * A fresh install has no intraday history, so the 1-minute chart would start empty. A simulated provider
 * can replay its own past: backfill the last 3 hours at 10-second steps when nothing recent is stored.
 */
async function warmStart(
  db: DatabaseHandle,
  provider: DataProvider,
  config: RuntimeConfig,
  now: () => Date,
  progress: (msg: string) => void,
): Promise<void> {
  if (!provider.backfillQuotes) return;
  const to = now();
  const from = new Date(to.getTime() - 3 * 3_600_000);
  const recent = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM (SELECT 1 FROM realtime_quotes WHERE ts >= $1 LIMIT 1) x',
    [from.toISOString()],
  );
  if ((recent[0]?.n ?? 0) > 0) return;
  const refs = (await provider.listSymbols()).map((s) => ({ market: s.market, symbol: s.symbol }));
  const quotes = provider.backfillQuotes(refs, from, to, 10_000);
  let written = 0;
  for (let i = 0; i < quotes.length; i += 5_000) {
    written += (
      await validateAndIngest(db, quotes.slice(i, i + 5_000), {
        now: to,
        retentionDays: config.quotes.retentionDays,
        defaultSource: provider.id,
      })
    ).inserted;
    progress(`intraday warm start: ${Math.min(i + 5_000, quotes.length)}/${quotes.length} quotes`);
  }
  progress(`intraday warm start: ${written} demo quotes for the last 3 hours`);
}

/**
 * Partitions for yesterday … a week ahead, and retention from the stored quotes.freshness setting (one value
 * for every process). Runs at start-up and hourly, under an advisory lock: one process at a time does it.
 */
async function maintain(db: DatabaseHandle, now: () => Date, log: Logger): Promise<void> {
  const t = now().getTime();
  const { retentionDays } = await getQuoteSettings({ db });
  const res = await maintainQuoteStorage(db, {
    from: new Date(t - 86_400_000),
    to: new Date(t + 7 * 86_400_000),
    retentionDays,
    now: now(),
  });
  if (!res.ran) log.debug('quote maintenance skipped: another process holds the lock');
  if (res.dropped > 0)
    log.info({ dropped: res.dropped, retentionDays }, 'dropped quote partitions past retention');
}
