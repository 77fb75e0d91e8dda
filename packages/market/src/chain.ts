import type { TBar, TMarket, TSymbolInfo } from '@investiq/contracts';
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
} from 'cockatiel';
import {
  type DataKind,
  type DataProvider,
  type DateRange,
  type Fundamentals,
  type NewsItem,
  ProviderError,
  type ProviderErrorKind,
  type ProviderQuote,
  type SymbolRef,
  type TradeCalendarDay,
} from './provider';

/** Spends one request of a provider's budget; throws `BudgetExhaustedError` when it is spent. */
export interface ProviderBudgetGate {
  /** `cost`: vendor requests the call will make (quotes: one per symbol, the conservative assumption). */
  take(providerId: string, cost: number): Promise<void>;
}

/** A spent local budget: the chain fails over, but the provider's breaker does not count it. */
export class BudgetExhaustedError extends ProviderError {
  constructor(provider: string, message: string, retryAfterSeconds: number) {
    super(provider, 'quota_exhausted', message, { retryAfterSeconds });
  }
}

export type CallOutcome = 'ok' | ProviderErrorKind;

export interface CallEvent {
  provider: string;
  market: TMarket;
  kind: DataKind;
  outcome: CallOutcome;
  durationMs: number;
  at: Date;
  /** false when the call never reached the vendor (budget spent, breaker open): not timed. */
  reached: boolean;
  message?: string;
}

export type BreakerStateName = 'closed' | 'half-open' | 'open' | 'isolated';

const STATE_NAME: Record<CircuitState, BreakerStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'isolated',
};

/** The chain fails over on these; `not_found`/`invalid_request` would get the same answer elsewhere. */
export function isFailoverKind(kind: ProviderErrorKind): boolean {
  return kind !== 'not_found' && kind !== 'invalid_request';
}

/** Failures that say something about the vendor's health (and so count towards its breaker). */
function countsAgainstBreaker(err: unknown): boolean {
  if (err instanceof BudgetExhaustedError) return false;
  if (err instanceof ProviderError) return isFailoverKind(err.kind) && err.kind !== 'unsupported';
  return true;
}

export interface BreakerOptions {
  /** Consecutive failures that open a provider's breaker (default 3). */
  threshold?: number;
  /** First half-open probe this long after opening (ms, default 30 s); later ones back off, jittered. */
  halfOpenAfterMs?: number;
  /** Longest wait between half-open probes (ms, default 10 min). */
  maxHalfOpenAfterMs?: number;
}

/**
 * One cockatiel breaker per provider id, shared by every chain of the process (a vendor that fails for US
 * quotes is not probed again for US bars straight away). Rebuilding the chains keeps the breakers.
 */
export class ProviderBreakers {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  constructor(private readonly opts: BreakerOptions = {}) {}

  get(providerId: string): CircuitBreakerPolicy {
    let b = this.breakers.get(providerId);
    if (!b) {
      const initial = this.opts.halfOpenAfterMs ?? 30_000;
      b = circuitBreaker(handleWhen(countsAgainstBreaker), {
        breaker: new ConsecutiveBreaker(this.opts.threshold ?? 3),
        // cockatiel's ExponentialBackoff uses decorrelated jitter: probes of many processes spread out
        halfOpenAfter: new ExponentialBackoff({
          initialDelay: initial,
          maxDelay: Math.max(initial, this.opts.maxHalfOpenAfterMs ?? 600_000),
        }),
      });
      this.breakers.set(providerId, b);
    }
    return b;
  }

  state(providerId: string): BreakerStateName {
    const b = this.breakers.get(providerId);
    return b ? STATE_NAME[b.state] : 'closed';
  }

  states(): { provider: string; state: BreakerStateName }[] {
    return [...this.breakers.entries()].map(([provider, b]) => ({ provider, state: STATE_NAME[b.state] }));
  }
}

export interface ProviderFailure {
  provider: string;
  kind: ProviderErrorKind;
  message: string;
}

/** Every provider of a chain failed; `failures` lists each one's reason, in chain order. */
export class ChainExhaustedError extends ProviderError {
  constructor(
    readonly chain: string,
    readonly failures: readonly ProviderFailure[],
  ) {
    const kinds = new Set(failures.map((f) => f.kind));
    const kind: ProviderErrorKind =
      failures.length === 0 ? 'unsupported' : kinds.size === 1 ? failures[0]!.kind : 'unavailable';
    const detail =
      failures.length === 0
        ? 'no provider configured'
        : failures.map((f) => `${f.provider} → ${f.kind}: ${f.message}`).join('; ');
    super(chain, kind, `every provider failed (${detail})`);
  }
}

export interface ChainOptions {
  market: TMarket;
  /** Ordered providers per kind of data; the first is the primary. */
  providers: Partial<Record<DataKind, readonly DataProvider[]>>;
  breakers: ProviderBreakers;
  budget?: ProviderBudgetGate;
  /** Outer guard per vendor call (ms, default 10 s); adapters have their own, shorter timeout. */
  timeoutMs?: number;
  onCall?: (e: CallEvent) => void;
  now?: () => Date;
}

/** An answer and the provider that gave it (the `source` label of stored rows). */
export interface Sourced<T> {
  source: string;
  value: T;
}

const METHOD_OF: Record<DataKind, readonly (keyof DataProvider)[]> = {
  quotes: ['getQuotes'],
  bars: ['getDailyBars', 'getIntradayBars'],
  fundamentals: ['getFundamentals'],
  news: ['getNews'],
  universe: ['listSymbols', 'searchSymbols', 'listUniverse', 'getTradeCalendar'],
};

function withTimeout<T>(p: Promise<T>, ms: number, provider: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderError(provider, 'timeout', `no answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

function toProviderError(providerId: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof BrokenCircuitError)
    return new ProviderError(providerId, 'unavailable', 'circuit breaker open (waiting for a probe)', {
      cause: err,
    });
  const msg = err instanceof Error ? err.message : String(err);
  return new ProviderError(providerId, 'bad_response', msg, { cause: err });
}

/**
 * A `DataProvider` over an ordered list of providers for one market, per kind of data. Each call tries
 * the providers in order (skipping those lacking the method or the market), through the provider's
 * breaker and budget, and fails over on every error kind except `not_found`/`invalid_request`. Quotes are
 * labelled with the provider that answered; the `…Sourced` methods say who answered for the other kinds.
 */
export class ProviderChain implements DataProvider {
  readonly id: string;
  readonly markets: readonly TMarket[];
  private readonly now: () => Date;

  constructor(private readonly opts: ChainOptions) {
    this.markets = [opts.market];
    this.id = `chain:${opts.market}`;
    this.now = opts.now ?? (() => new Date());
  }

  /** Provider ids per kind, in order (for the admin page). */
  describe(): Record<DataKind, string[]> {
    const out = {} as Record<DataKind, string[]>;
    for (const kind of Object.keys(METHOD_OF) as DataKind[])
      out[kind] = (this.opts.providers[kind] ?? []).map((p) => p.id);
    return out;
  }

  /** The primary provider of a kind (what a healthy chain answers from). */
  primary(kind: DataKind): DataProvider | undefined {
    return this.opts.providers[kind]?.[0];
  }

  get quoteDelaySeconds(): Partial<Record<TMarket, number>> | undefined {
    return this.primary('quotes')?.quoteDelaySeconds;
  }

  /** Run `fn` on the first provider of `kind` that answers. */
  async call<T>(
    kind: DataKind,
    method: keyof DataProvider,
    fn: (p: DataProvider) => Promise<T>,
    cost = 1,
  ): Promise<Sourced<T>> {
    const failures: ProviderFailure[] = [];
    for (const p of this.opts.providers[kind] ?? []) {
      try {
        return { source: p.id, value: await this.attempt(p, kind, method, fn, cost) };
      } catch (err) {
        const e = err as ProviderError;
        if (!isFailoverKind(e.kind)) throw e;
        failures.push({ provider: p.id, kind: e.kind, message: e.message });
      }
    }
    throw new ChainExhaustedError(`${this.opts.market}/${kind}`, failures);
  }

  /**
   * Call one named provider of the `kind` chain (through its breaker, budget and timeout) without
   * failover: the daily-close cross-check asks each source on purpose.
   */
  async callProvider<T>(
    kind: DataKind,
    providerId: string,
    method: keyof DataProvider,
    fn: (p: DataProvider) => Promise<T>,
  ): Promise<T> {
    const p = (this.opts.providers[kind] ?? []).find((x) => x.id === providerId);
    if (!p)
      throw new ProviderError(providerId, 'unsupported', `not in the ${this.opts.market}/${kind} chain`);
    return this.attempt(p, kind, method, fn, 1);
  }

  /** One provider, one call: typed errors only (a provider lacking the method/market is `unsupported`). */
  private async attempt<T>(
    p: DataProvider,
    kind: DataKind,
    method: keyof DataProvider,
    fn: (p: DataProvider) => Promise<T>,
    cost: number,
  ): Promise<T> {
    if (!p.markets.includes(this.opts.market) || typeof p[method] !== 'function')
      throw new ProviderError(p.id, 'unsupported', `no ${String(method)} for ${this.opts.market}`);
    const started = this.now();
    const t0 = performance.now();
    try {
      const value = await this.opts.breakers.get(p.id).execute(async () => {
        await this.opts.budget?.take(p.id, cost);
        return withTimeout(fn(p), this.opts.timeoutMs ?? 10_000, p.id);
      });
      this.emit(p.id, kind, 'ok', t0, started, true);
      return value;
    } catch (raw) {
      const err = toProviderError(p.id, raw);
      const reached = !(raw instanceof BudgetExhaustedError) && !(raw instanceof BrokenCircuitError);
      this.emit(p.id, kind, err.kind, t0, started, reached, err.message);
      throw err;
    }
  }

  private emit(
    provider: string,
    kind: DataKind,
    outcome: CallOutcome,
    t0: number,
    at: Date,
    reached: boolean,
    message?: string,
  ) {
    this.opts.onCall?.({
      provider,
      market: this.opts.market,
      kind,
      outcome,
      durationMs: performance.now() - t0,
      at,
      reached,
      ...(message ? { message } : {}),
    });
  }

  async getQuotesSourced(symbols: readonly SymbolRef[]): Promise<Sourced<ProviderQuote[]>> {
    const refs = symbols.filter((s) => s.market === this.opts.market);
    if (refs.length === 0) return { source: this.primary('quotes')?.id ?? 'none', value: [] };
    const res = await this.call('quotes', 'getQuotes', (p) => p.getQuotes(refs), refs.length);
    return { source: res.source, value: res.value.map((q) => ({ ...q, source: res.source })) };
  }

  async getQuotes(symbols: readonly SymbolRef[]): Promise<ProviderQuote[]> {
    return (await this.getQuotesSourced(symbols)).value;
  }

  getDailyBarsSourced(ref: SymbolRef, range: DateRange): Promise<Sourced<TBar[]>> {
    return this.call('bars', 'getDailyBars', (p) => p.getDailyBars(ref, range));
  }

  async getDailyBars(ref: SymbolRef, range: DateRange): Promise<TBar[]> {
    return (await this.getDailyBarsSourced(ref, range)).value;
  }

  async getIntradayBars(ref: SymbolRef, o: { intervalMinutes: number; from: Date; to: Date }) {
    return (await this.call('bars', 'getIntradayBars', (p) => p.getIntradayBars!(ref, o))).value;
  }

  getFundamentalsSourced(ref: SymbolRef): Promise<Sourced<Fundamentals>> {
    return this.call('fundamentals', 'getFundamentals', (p) => p.getFundamentals!(ref));
  }

  async getFundamentals(ref: SymbolRef): Promise<Fundamentals> {
    return (await this.getFundamentalsSourced(ref)).value;
  }

  getNewsSourced(
    ref: SymbolRef,
    o?: { limit?: number; lang?: 'zh' | 'en'; until?: Date },
  ): Promise<Sourced<NewsItem[]>> {
    return this.call('news', 'getNews', (p) => p.getNews!(ref, o));
  }

  async getNews(ref: SymbolRef, o?: { limit?: number; lang?: 'zh' | 'en'; until?: Date }) {
    return (await this.getNewsSourced(ref, o)).value;
  }

  async listSymbols(): Promise<TSymbolInfo[]> {
    const res = await this.call('universe', 'listSymbols', (p) => p.listSymbols());
    return res.value.filter((s) => s.market === this.opts.market);
  }

  async searchSymbols(query: string, o?: { market?: TMarket; limit?: number }): Promise<TSymbolInfo[]> {
    return (
      await this.call('universe', 'searchSymbols', (p) =>
        p.searchSymbols(query, { ...o, market: this.opts.market }),
      )
    ).value;
  }

  async listUniverse(market: TMarket): Promise<TSymbolInfo[]> {
    return (await this.call('universe', 'listUniverse', (p) => p.listUniverse!(market))).value;
  }

  async getTradeCalendar(market: TMarket, range: DateRange): Promise<TradeCalendarDay[]> {
    return (await this.call('universe', 'getTradeCalendar', (p) => p.getTradeCalendar!(market, range))).value;
  }

  /** Only a simulator can replay its past: offered when the primary quotes provider is one. */
  get backfillQuotes(): DataProvider['backfillQuotes'] {
    const p = this.primary('quotes');
    const fill = p?.backfillQuotes;
    if (!p || !fill) return undefined;
    return (refs, from, to, stepMs) =>
      fill.call(
        p,
        refs.filter((r) => r.market === this.opts.market),
        from,
        to,
        stepMs,
      );
  }
}

/**
 * The provider set of the process: one chain per market, routing each symbol ref to its market's chain.
 * It is itself a `DataProvider`, so everything that took the demo market takes it unchanged.
 */
export class ProviderSet implements DataProvider {
  readonly markets: readonly TMarket[];
  constructor(
    readonly chains: ReadonlyMap<TMarket, ProviderChain>,
    readonly id: string = 'chain',
  ) {
    this.markets = [...chains.keys()];
  }

  chain(market: TMarket): ProviderChain {
    const c = this.chains.get(market);
    if (!c) throw new ProviderError(this.id, 'unsupported', `no provider chain for market ${market}`);
    return c;
  }

  /** Refs grouped by market, in first-seen order. */
  static byMarket(refs: readonly SymbolRef[]): Map<TMarket, SymbolRef[]> {
    const out = new Map<TMarket, SymbolRef[]>();
    for (const r of refs) {
      const list = out.get(r.market) ?? [];
      list.push(r);
      out.set(r.market, list);
    }
    return out;
  }

  /** Quotes of every market; any market whose chain failed makes the call fail (no silent partial answer). */
  async getQuotes(symbols: readonly SymbolRef[]): Promise<ProviderQuote[]> {
    const groups = [...ProviderSet.byMarket(symbols).entries()];
    const results = await Promise.allSettled(groups.map(([m, refs]) => this.chain(m).getQuotes(refs)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  }

  async listSymbols(): Promise<TSymbolInfo[]> {
    const lists = await Promise.all([...this.chains.values()].map((c) => c.listSymbols().catch(() => [])));
    return lists.flat();
  }

  async searchSymbols(query: string, o?: { market?: TMarket; limit?: number }): Promise<TSymbolInfo[]> {
    const chains = o?.market ? [this.chain(o.market)] : [...this.chains.values()];
    const lists = await Promise.all(chains.map((c) => c.searchSymbols(query, o).catch(() => [])));
    return lists.flat().slice(0, o?.limit ?? 50);
  }

  getDailyBars(ref: SymbolRef, range: DateRange): Promise<TBar[]> {
    return this.chain(ref.market).getDailyBars(ref, range);
  }
  getDailyBarsSourced(ref: SymbolRef, range: DateRange): Promise<Sourced<TBar[]>> {
    return this.chain(ref.market).getDailyBarsSourced(ref, range);
  }
  getIntradayBars(ref: SymbolRef, o: { intervalMinutes: number; from: Date; to: Date }): Promise<TBar[]> {
    return this.chain(ref.market).getIntradayBars(ref, o);
  }
  getFundamentals(ref: SymbolRef): Promise<Fundamentals> {
    return this.chain(ref.market).getFundamentals(ref);
  }
  getFundamentalsSourced(ref: SymbolRef): Promise<Sourced<Fundamentals>> {
    return this.chain(ref.market).getFundamentalsSourced(ref);
  }
  getNews(ref: SymbolRef, o?: { limit?: number; lang?: 'zh' | 'en'; until?: Date }): Promise<NewsItem[]> {
    return this.chain(ref.market).getNews(ref, o);
  }
  getNewsSourced(ref: SymbolRef, o?: { limit?: number; lang?: 'zh' | 'en'; until?: Date }) {
    return this.chain(ref.market).getNewsSourced(ref, o);
  }
  listUniverse(market: TMarket): Promise<TSymbolInfo[]> {
    return this.chain(market).listUniverse(market);
  }
  getTradeCalendar(market: TMarket, range: DateRange): Promise<TradeCalendarDay[]> {
    return this.chain(market).getTradeCalendar(market, range);
  }

  get quoteDelaySeconds(): Partial<Record<TMarket, number>> {
    const out: Partial<Record<TMarket, number>> = {};
    for (const [m, c] of this.chains) {
      const d = c.quoteDelaySeconds?.[m];
      if (d) out[m] = d;
    }
    return out;
  }

  /** Backfill from every market whose primary quotes provider is a simulator. */
  get backfillQuotes(): DataProvider['backfillQuotes'] {
    const fills = [...this.chains.values()].map((c) => c.backfillQuotes).filter((f) => f !== undefined);
    if (fills.length === 0) return undefined;
    return (refs, from, to, stepMs) => fills.flatMap((f) => f(refs, from, to, stepMs));
  }
}

/** Bars with the provider that delivered them: a chain says who answered, a plain provider is its own source. */
export async function dailyBarsWithSource(
  provider: DataProvider,
  ref: SymbolRef,
  range: DateRange,
): Promise<Sourced<TBar[]>> {
  const p = provider as DataProvider & { getDailyBarsSourced?: ProviderChain['getDailyBarsSourced'] };
  if (typeof p.getDailyBarsSourced === 'function') return p.getDailyBarsSourced(ref, range);
  return { source: provider.id, value: await provider.getDailyBars(ref, range) };
}
