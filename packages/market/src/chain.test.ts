import type { TMarket } from '@investiq/contracts';
import { describe, expect, it } from 'vitest';
import {
  BudgetExhaustedError,
  type CallEvent,
  ChainExhaustedError,
  ProviderBreakers,
  ProviderChain,
  ProviderSet,
} from './chain';
import { type DataProvider, ProviderError, type ProviderErrorKind, type SymbolRef } from './provider';

/** An in-memory provider whose next answers the test scripts: a price, or an error kind. */
class FakeProvider implements DataProvider {
  calls = 0;
  fail: ProviderErrorKind | 'throw' | null = null;
  constructor(
    readonly id: string,
    readonly markets: readonly TMarket[],
    private readonly price: number,
  ) {}
  async listSymbols() {
    return [];
  }
  async searchSymbols() {
    return [];
  }
  async getQuotes(refs: readonly SymbolRef[]) {
    this.calls += 1;
    if (this.fail === 'throw') throw new TypeError('Unexpected token < in JSON');
    if (this.fail) throw new ProviderError(this.id, this.fail, `scripted ${this.fail}`);
    return refs.map((r) => ({
      market: r.market,
      symbol: r.symbol,
      ts: new Date('2026-12-03T15:00:00Z'),
      source: 'whatever-the-vendor-said',
      price: this.price,
      open: null,
      high: null,
      low: null,
      prevClose: null,
      volume: null,
    }));
  }
  async getDailyBars() {
    this.calls += 1;
    if (this.fail) throw new ProviderError(this.id, 'unavailable', 'down');
    return [{ time: '2026-12-02', open: 1, high: 2, low: 0.5, close: this.price, volume: 10 }];
  }
}

const AAPL = { market: 'US', symbol: 'AAPL' } as const;

function chainOf(
  providers: DataProvider[],
  extra: Partial<ConstructorParameters<typeof ProviderChain>[0]> = {},
) {
  return new ProviderChain({
    market: 'US',
    providers: { quotes: providers, bars: providers },
    breakers: new ProviderBreakers({ threshold: 2, halfOpenAfterMs: 50 }),
    ...extra,
  });
}

describe('ProviderChain', () => {
  it('answers from the primary and labels quotes with it', async () => {
    const a = new FakeProvider('alpha', ['US'], 101);
    const b = new FakeProvider('beta', ['US'], 202);
    const res = await chainOf([a, b]).getQuotesSourced([AAPL]);
    expect(res.source).toBe('alpha');
    expect(res.value[0]).toMatchObject({ symbol: 'AAPL', price: 101, source: 'alpha' });
    expect(b.calls).toBe(0);
  });

  it.each<ProviderErrorKind | 'throw'>([
    'rate_limited',
    'quota_exhausted',
    'timeout',
    'unavailable',
    'bad_response',
    'unauthorized',
    'forbidden',
    'throw',
  ])('fails over to the next provider on %s', async (kind) => {
    const a = new FakeProvider('alpha', ['US'], 101);
    const b = new FakeProvider('beta', ['US'], 202);
    a.fail = kind;
    const events: CallEvent[] = [];
    const quotes = await chainOf([a, b], { onCall: (e) => events.push(e) }).getQuotes([AAPL]);
    expect(quotes[0]).toMatchObject({ price: 202, source: 'beta' });
    expect(events.map((e) => [e.provider, e.outcome])).toEqual([
      ['alpha', kind === 'throw' ? 'bad_response' : kind],
      ['beta', 'ok'],
    ]);
  });

  it.each<ProviderErrorKind>(['not_found', 'invalid_request'])('does not fail over on %s', async (kind) => {
    const a = new FakeProvider('alpha', ['US'], 101);
    const b = new FakeProvider('beta', ['US'], 202);
    a.fail = kind;
    await expect(chainOf([a, b]).getQuotes([AAPL])).rejects.toMatchObject({ kind });
    expect(b.calls).toBe(0);
  });

  it('skips providers that do not serve the market or lack the method', async () => {
    const cnOnly = new FakeProvider('cnonly', ['CN'], 1);
    const noNews = new FakeProvider('nonews', ['US'], 2);
    const chain = new ProviderChain({
      market: 'US',
      providers: { quotes: [cnOnly, noNews], news: [noNews] },
      breakers: new ProviderBreakers(),
    });
    expect((await chain.getQuotesSourced([AAPL])).source).toBe('nonews');
    expect(cnOnly.calls).toBe(0);
    const err = await chain.getNews(AAPL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainExhaustedError);
    expect((err as ChainExhaustedError).kind).toBe('unsupported');
  });

  it('lists every provider failure when all fail', async () => {
    const a = new FakeProvider('alpha', ['US'], 101);
    const b = new FakeProvider('beta', ['US'], 202);
    a.fail = 'rate_limited';
    b.fail = 'timeout';
    const err = (await chainOf([a, b])
      .getQuotes([AAPL])
      .catch((e: unknown) => e)) as ChainExhaustedError;
    expect(err).toBeInstanceOf(ChainExhaustedError);
    expect(err.kind).toBe('unavailable');
    expect(err.failures.map((f) => [f.provider, f.kind])).toEqual([
      ['alpha', 'rate_limited'],
      ['beta', 'timeout'],
    ]);
    expect(err.message).toContain('alpha → rate_limited');
  });

  it('opens the breaker after consecutive failures, skips the provider, then probes it half-open', async () => {
    const a = new FakeProvider('alpha', ['US'], 101);
    const b = new FakeProvider('beta', ['US'], 202);
    const breakers = new ProviderBreakers({ threshold: 2, halfOpenAfterMs: 30, maxHalfOpenAfterMs: 30 });
    const chain = chainOf([a, b], { breakers });
    a.fail = 'unavailable';
    await chain.getQuotes([AAPL]);
    await chain.getQuotes([AAPL]);
    expect(breakers.state('alpha')).toBe('open');
    const callsWhenOpened = a.calls;
    const res = await chain.getQuotesSourced([AAPL]);
    expect(res.source).toBe('beta');
    expect(a.calls).toBe(callsWhenOpened); // not called while open

    a.fail = null;
    // wait (with a deadline) until the breaker lets one probe through
    const deadline = Date.now() + 5_000;
    let source = res.source;
    while (source !== 'alpha' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      source = (await chain.getQuotesSourced([AAPL])).source;
    }
    expect(source).toBe('alpha');
    expect(breakers.state('alpha')).toBe('closed');
  });

  it('takes budget before each vendor call; a spent budget fails over without tripping the breaker', async () => {
    const a = new FakeProvider('alpha', ['US'], 101);
    const b = new FakeProvider('beta', ['US'], 202);
    const taken: string[] = [];
    const breakers = new ProviderBreakers({ threshold: 1 });
    const chain = chainOf([a, b], {
      breakers,
      budget: {
        async take(id, cost) {
          taken.push(`${id}:${cost}`);
          if (id === 'alpha') throw new BudgetExhaustedError(id, 'budget per minute spent', 12);
        },
      },
    });
    const res = await chain.getQuotesSourced([AAPL]);
    expect(res.source).toBe('beta');
    expect(a.calls).toBe(0);
    expect(taken).toEqual(['alpha:1', 'beta:1']);
    expect(breakers.state('alpha')).toBe('closed');
  });

  it('times out a provider that never answers and fails over', async () => {
    const hang: DataProvider = {
      id: 'hang',
      markets: ['US'],
      listSymbols: async () => [],
      searchSymbols: async () => [],
      getQuotes: () => new Promise(() => {}),
      getDailyBars: async () => [],
    };
    const b = new FakeProvider('beta', ['US'], 202);
    const events: CallEvent[] = [];
    const res = await chainOf([hang, b], { timeoutMs: 20, onCall: (e) => events.push(e) }).getQuotesSourced([
      AAPL,
    ]);
    expect(res.source).toBe('beta');
    expect(events[0]).toMatchObject({ provider: 'hang', outcome: 'timeout' });
  });

  it('reports the source of bars', async () => {
    const a = new FakeProvider('alpha', ['US'], 101);
    const b = new FakeProvider('beta', ['US'], 202);
    a.fail = 'unavailable';
    const res = await chainOf([a, b]).getDailyBarsSourced(AAPL, { from: '2026-12-01', to: '2026-12-02' });
    expect(res.source).toBe('beta');
    expect(res.value[0]?.close).toBe(202);
  });
});

describe('ProviderSet', () => {
  it('routes each ref to its market chain and labels quotes per chain', async () => {
    const breakers = new ProviderBreakers();
    const us = new FakeProvider('usvendor', ['US'], 1);
    const cn = new FakeProvider('cnvendor', ['CN'], 2);
    const set = new ProviderSet(
      new Map<TMarket, ProviderChain>([
        ['US', new ProviderChain({ market: 'US', providers: { quotes: [us] }, breakers })],
        ['CN', new ProviderChain({ market: 'CN', providers: { quotes: [cn] }, breakers })],
      ]),
    );
    const quotes = await set.getQuotes([AAPL, { market: 'CN', symbol: '600519' }]);
    expect(quotes.map((q) => [q.symbol, q.source])).toEqual([
      ['AAPL', 'usvendor'],
      ['600519', 'cnvendor'],
    ]);
    await expect(set.getQuotes([{ market: 'HK', symbol: '0700' }])).rejects.toMatchObject({
      kind: 'unsupported',
    });
  });
});
