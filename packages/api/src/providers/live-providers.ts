import { MARKETS, type TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import {
  type BreakerOptions,
  DATA_KINDS,
  type DataKind,
  type DataProvider,
  ProviderBreakers,
  ProviderChain,
  ProviderError,
  ProviderSet,
} from '@investiq/market';
import { createDemoMarket } from '@investiq/market/demo';
import type { VendorDescriptor } from '@investiq/market/vendors';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { SProviderKeys } from '../settings/keys';
import { getSetting, getSettingWithVersion } from '../settings/service';
import { ProviderBudgets } from './budget';
import { ProviderHealth } from './health';
import { providerDescriptor } from './registry';
import { SProviderBaseUrls, SProviderChains, type TProviderChains } from './settings';

/** Provider configuration of one process, from its environment (admin settings override it at run time). */
export interface ProvidersConfig {
  /** PROVIDERS_US/CN/HK: one ordered list per market, applied to every kind the providers serve. */
  chains?: Partial<Record<TMarket, Record<DataKind, string[]>>>;
  /** API keys by provider id from the environment (FINNHUB_API_KEY, TUSHARE_TOKEN, …). */
  apiKeys?: Record<string, string>;
  /** `<ID>_BASE_URL` by provider id. */
  baseUrls?: Record<string, string>;
  /** `COLLECTOR_SESSIONS`: poll only while the exchange is in session (plus one poll after the close). */
  sessions?: 'exchange' | 'always';
  /** Per vendor call (ms, default 8 s). */
  timeoutMs?: number;
  breaker?: BreakerOptions;
}

/** A configured provider that cannot be used: every call fails with a clear reason (and the chain moves on). */
function unusableProvider(
  d: VendorDescriptor,
  kind: 'unauthorized' | 'unavailable',
  reason: string,
): DataProvider {
  const fail = async (): Promise<never> => {
    throw new ProviderError(d.id, kind, reason);
  };
  return {
    id: d.id,
    markets: d.markets,
    listSymbols: fail,
    searchSymbols: fail,
    getQuotes: fail,
    getDailyBars: fail,
    getFundamentals: fail,
    getNews: fail,
    getIntradayBars: fail,
    listUniverse: fail,
    getTradeCalendar: fail,
  };
}

export interface ResolvedProvider {
  id: string;
  label: string;
  baseUrl: string;
  keyConfigured: boolean;
  /** Why the provider cannot be called (missing key), or null. */
  problem: string | null;
}

/**
 * The process's provider set, rebuilt from the settings (`providers.chains`, `providers.baseUrls`,
 * `providers.apiKeys`) whenever one of them changes — settings changes reach every process by NOTIFY —
 * so an admin's change applies without a restart. Breakers, budgets and call statistics live here and
 * survive rebuilds.
 */
export class LiveProviders {
  readonly breakers: ProviderBreakers;
  readonly health: ProviderHealth;
  readonly budgets: ProviderBudgets;
  private set: ProviderSet | null = null;
  private signature = '';
  private building: Promise<ProviderSet> | null = null;
  private readonly instances = new Map<string, DataProvider>();
  private resolved = new Map<string, ResolvedProvider>();
  private chains: TProviderChains | null = null;
  private demo: DataProvider | null = null;

  constructor(
    private readonly db: DatabaseHandle,
    private readonly config: { providers?: ProvidersConfig; demo: { seed: number; alwaysOpen: boolean } },
    private readonly deps: {
      now: () => Date;
      log: Logger;
      metrics?: Metrics;
      /** After a rebuild caused by a settings change (not the first build). */
      onRebuild?: (set: ProviderSet) => void;
    },
  ) {
    this.breakers = new ProviderBreakers(config.providers?.breaker);
    this.health = new ProviderHealth(deps.metrics);
    this.budgets = new ProviderBudgets(db);
    if (deps.metrics)
      deps.metrics.providerSource.current = {
        budgetRatios: async () => {
          const out: { provider: string; window: 'minute' | 'day'; ratio: number }[] = [];
          for (const id of this.providerIds())
            for (const u of await this.budgets.usage(id))
              out.push({ provider: id, window: u.window, ratio: u.ratio });
          return out;
        },
        breakerStates: () =>
          this.providerIds().map((provider) => {
            const s = this.breakers.state(provider);
            return { provider, state: s === 'isolated' ? 'open' : s };
          }),
      };
  }

  /** The demo market of this process (one instance: its simulated prices must not jump on a rebuild). */
  demoMarket(): DataProvider {
    this.demo ??= createDemoMarket({
      seed: this.config.demo.seed,
      alwaysOpen: this.config.demo.alwaysOpen,
      now: this.deps.now,
    });
    return this.demo;
  }

  /** Provider ids used by any chain (last build). */
  providerIds(): string[] {
    const ids = new Set<string>();
    for (const m of MARKETS)
      for (const k of DATA_KINDS) for (const id of this.chains?.[m][k] ?? []) ids.add(id);
    return [...ids];
  }

  chainSettings(): TProviderChains | null {
    return this.chains;
  }

  resolvedProvider(id: string): ResolvedProvider | undefined {
    return this.resolved.get(id);
  }

  /** The last built set (synchronous readers: ids, demo flags); null before the first `current()`. */
  peek(): ProviderSet | null {
    return this.set;
  }

  /** The provider set for the current settings (rebuilt when they changed). */
  async current(): Promise<ProviderSet> {
    const [chains, urls, keys] = await Promise.all([
      getSettingWithVersion(this.db, SProviderChains),
      getSettingWithVersion(this.db, SProviderBaseUrls),
      this.readKeys(),
    ]);
    const signature = `${chains.version}:${urls.version}:${keys.version}`;
    if (this.set && signature === this.signature) return this.set;
    if (this.building) return this.building;
    const first = this.set === null;
    this.building = Promise.resolve().then(() => {
      const set = this.build(chains.value, urls.value, keys.value);
      this.set = set;
      this.signature = signature;
      if (!first) this.deps.onRebuild?.(set);
      return set;
    });
    try {
      return await this.building;
    } finally {
      this.building = null;
    }
  }

  /** The configured instance of one provider (current settings), for a connection test outside the chains. */
  async providerInstance(id: string): Promise<DataProvider | null> {
    const [urls, keys] = await Promise.all([getSetting(this.db, SProviderBaseUrls), this.readKeys()]);
    return this.instance(id, urls, keys.value);
  }

  /** The encrypted admin keys; unreadable (no SECRETS_KEY) → the environment's keys, with a warning. */
  private async readKeys(): Promise<{ version: number; value: Record<string, string> }> {
    try {
      return await getSettingWithVersion(this.db, SProviderKeys);
    } catch (err) {
      this.deps.log.warn({ err: String(err) }, 'provider keys setting unreadable; using the environment');
      return { version: -1, value: {} };
    }
  }

  /** One instance of a vendor for the given url and key (kept across rebuilds while they are unchanged). */
  private instance(
    id: string,
    urls: Record<string, string>,
    keys: Record<string, string>,
  ): DataProvider | null {
    if (id === 'demo') {
      this.resolved.set(id, { id, label: 'Demo market', baseUrl: '', keyConfigured: false, problem: null });
      return this.demoMarket();
    }
    const d = providerDescriptor(id);
    if (!d) return null;
    const env = this.config.providers ?? {};
    const baseUrl = urls[id] || env.baseUrls?.[id] || d.defaultBaseUrl;
    const field = d.keyField ?? id;
    const apiKey = keys[field] || env.apiKeys?.[id] || undefined;
    const problem =
      d.needsKey && !apiKey
        ? `no API key: set it in admin (Providers) or ${d.keyEnv ?? `${id.toUpperCase()}_API_KEY`}`
        : null;
    this.resolved.set(id, { id, label: d.label, baseUrl, keyConfigured: Boolean(apiKey), problem });
    const cacheKey = `${id}\u0000${baseUrl}\u0000${apiKey ?? ''}`;
    const found = this.instances.get(cacheKey);
    if (found) return found;
    const made = problem
      ? unusableProvider(d, 'unauthorized', problem)
      : d.create({ baseUrl, apiKey, timeoutMs: env.timeoutMs ?? 8_000, now: this.deps.now });
    this.instances.set(cacheKey, made);
    return made;
  }

  private build(
    chains: TProviderChains,
    urls: Record<string, string>,
    keys: Record<string, string>,
  ): ProviderSet {
    // the environment's lists are the defaults of the setting (see startSettings): `chains` is complete
    this.chains = chains;
    const map = new Map<TMarket, ProviderChain>();
    for (const market of MARKETS) {
      const providers: Partial<Record<DataKind, DataProvider[]>> = {};
      for (const kind of DATA_KINDS)
        providers[kind] = chains[market][kind]
          .map((id) => this.instance(id, urls, keys))
          .filter((p): p is DataProvider => p !== null);
      map.set(
        market,
        new ProviderChain({
          market,
          providers,
          breakers: this.breakers,
          budget: this.budgets,
          timeoutMs: (this.config.providers?.timeoutMs ?? 8_000) + 2_000,
          onCall: this.health.record,
          now: this.deps.now,
        }),
      );
    }
    const allDemo = MARKETS.every((m) => chains[m].quotes.every((id) => id === 'demo'));
    this.deps.log.info(
      { chains: Object.fromEntries(MARKETS.map((m) => [m, chains[m].quotes])) },
      'provider chains built',
    );
    return new ProviderSet(map, allDemo ? 'demo' : 'chain');
  }

  /** Is `market`'s quote chain served by the demo market first (its simulated session may be always open)? */
  demoFirst(market: TMarket): boolean {
    return this.chains?.[market].quotes[0] === 'demo';
  }
}

/**
 * A `DataProvider` that always answers from the current provider set: everything holding `rt.provider`
 * (reports, routers) follows an admin's change of chains without a restart.
 */
export class DynamicProvider implements DataProvider {
  constructor(private readonly live: LiveProviders) {}

  private get last(): ProviderSet {
    const s = this.live.peek();
    if (!s) throw new Error('provider set used before it was built');
    return s;
  }
  get id(): string {
    return this.last.id;
  }
  get markets(): readonly TMarket[] {
    return this.last.markets;
  }
  get quoteDelaySeconds() {
    return this.last.quoteDelaySeconds;
  }
  get backfillQuotes(): DataProvider['backfillQuotes'] {
    return this.last.backfillQuotes;
  }
  async listSymbols() {
    return (await this.live.current()).listSymbols();
  }
  async searchSymbols(q: string, o?: { market?: TMarket; limit?: number }) {
    return (await this.live.current()).searchSymbols(q, o);
  }
  async getQuotes(refs: Parameters<DataProvider['getQuotes']>[0]) {
    return (await this.live.current()).getQuotes(refs);
  }
  async getDailyBars(
    ref: Parameters<DataProvider['getDailyBars']>[0],
    range: Parameters<DataProvider['getDailyBars']>[1],
  ) {
    return (await this.live.current()).getDailyBars(ref, range);
  }
  async getDailyBarsSourced(
    ref: Parameters<DataProvider['getDailyBars']>[0],
    range: Parameters<DataProvider['getDailyBars']>[1],
  ) {
    return (await this.live.current()).getDailyBarsSourced(ref, range);
  }
  async getIntradayBars(
    ref: Parameters<DataProvider['getDailyBars']>[0],
    o: { intervalMinutes: number; from: Date; to: Date },
  ) {
    return (await this.live.current()).getIntradayBars(ref, o);
  }
  async getFundamentals(ref: Parameters<DataProvider['getDailyBars']>[0]) {
    return (await this.live.current()).getFundamentals(ref);
  }
  async getFundamentalsSourced(ref: Parameters<DataProvider['getDailyBars']>[0]) {
    return (await this.live.current()).getFundamentalsSourced(ref);
  }
  async getNews(
    ref: Parameters<DataProvider['getDailyBars']>[0],
    o?: { limit?: number; lang?: 'zh' | 'en'; until?: Date },
  ) {
    return (await this.live.current()).getNews(ref, o);
  }
  async getNewsSourced(
    ref: Parameters<DataProvider['getDailyBars']>[0],
    o?: { limit?: number; lang?: 'zh' | 'en'; until?: Date },
  ) {
    return (await this.live.current()).getNewsSourced(ref, o);
  }
  async listUniverse(market: TMarket) {
    return (await this.live.current()).listUniverse(market);
  }
  async getTradeCalendar(market: TMarket, range: Parameters<DataProvider['getDailyBars']>[1]) {
    return (await this.live.current()).getTradeCalendar(market, range);
  }
}
