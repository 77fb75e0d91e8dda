import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestQuotes } from '../quotes/ingest-quotes';
import type { Runtime } from '../runtime';
import { signedInCaller } from '../test-support/callers';
import { createTestRuntime } from '../test-support/runtime';

// tRPC portfolio on a real test database (PGlite, or PostgreSQL with TEST_DATABASE_URL). The clock is moved two
// days past start-up so the demo warm-start quotes are stale; the test writes the fresh quotes it needs.
let rt: Runtime;
let clock = new Date();
let alice: Awaited<ReturnType<typeof signedInCaller>>;
let bob: Awaited<ReturnType<typeof signedInCaller>>;
let pid: string;
const today = () => clock.toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(clock.getTime() - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  rt = await createTestRuntime({ now: () => clock });
  clock = new Date(Date.now() + 2 * 86_400_000);
  alice = await signedInCaller(rt, 'alice');
  bob = await signedInCaller(rt, 'bob');
  await ingestQuotes(rt.db, [
    {
      market: 'US',
      symbol: 'AAPL',
      ts: clock,
      source: 'demo',
      price: 200,
      open: 190,
      high: 201,
      low: 189,
      prevClose: 190,
      volume: 1000,
    },
    // an hour old: stale under the 30 s contract
    {
      market: 'HK',
      symbol: '0700.HK',
      ts: new Date(clock.getTime() - 3_600_000),
      source: 'demo',
      price: 380,
      open: null,
      high: null,
      low: null,
      prevClose: 370,
      volume: null,
    },
  ]);
});
afterAll(async () => {
  await rt?.close();
});

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError)
      return { code: err.code, message: err.message, details: (err.cause as { details?: unknown })?.details };
    throw err;
  }
  throw new Error('expected a failure');
}
const txCount = async () =>
  (await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM portfolio_transactions'))[0]!.n;

describe('portfolio', () => {
  it('gives a new user a default portfolio in CNY', async () => {
    const list = await alice.caller.portfolio.list();
    expect(list).toEqual([{ id: expect.any(String), name: 'Portfolio', baseCurrency: 'CNY' }]);
    pid = list[0]!.id;
  });

  it('records a buy and values it at the fresh price, converted with the demo FX rate', async () => {
    await alice.caller.portfolio.addTransaction({
      id: pid,
      transaction: {
        type: 'buy',
        market: 'US',
        symbol: 'aapl',
        tradeDate: daysAgo(5),
        quantity: 10,
        price: 150,
        fee: 1,
      },
    });
    const v = await alice.caller.portfolio.get({ id: pid });
    const [h] = v.holdings;
    const usdCny = v.fx.find((f) => f.from === 'USD')!;
    expect(usdCny).toMatchObject({ to: 'CNY', source: 'demo', asOf: `${today()}T00:00:00.000Z` });
    expect(usdCny.rate).toBeGreaterThan(7);
    expect(h).toMatchObject({
      symbol: 'AAPL',
      status: 'fresh',
      quantity: 10,
      costBasis: 1501, // 10 × 150 + 1
      price: 200,
      marketValue: 2000,
      dayPnl: 100, // 10 × (200 − 190)
      unrealisedPnl: 499,
      totalPnl: 499,
      weight: 1,
    });
    expect(h!.marketValueBase).toBeCloseTo(2000 * usdCny.rate!, 4);
    expect(v.totals.marketValue).toBeCloseTo(2000 * usdCny.rate!, 4);
    expect(v.totals.totalPnl).toBeCloseTo(499 * usdCny.rate!, 4);
    expect(v.totals.excluded).toEqual([]);
  });

  it('marks a holding with a stale price stale, with its last-seen time, out of the current totals', async () => {
    await alice.caller.portfolio.addTransaction({
      id: pid,
      transaction: {
        type: 'buy',
        market: 'HK',
        symbol: '0700.HK',
        tradeDate: daysAgo(4),
        quantity: 100,
        price: 300,
      },
    });
    const before = (await alice.caller.portfolio.get({ id: pid })).totals.marketValue;
    const v = await alice.caller.portfolio.get({ id: pid });
    const hk = v.holdings.find((h) => h.symbol === '0700.HK')!;
    expect(hk.status).toBe('stale');
    expect(hk.lastSeenAt).toBe(new Date(clock.getTime() - 3_600_000).toISOString());
    // the last price is shown for what it is (stale), valued but never counted as current
    expect(hk).toMatchObject({ price: 380, marketValue: 38_000 });
    expect(hk.weight).toBeNull();
    expect(hk.dayPnl).toBeNull();
    expect(v.totals.excluded).toEqual([{ market: 'HK', symbol: '0700.HK', reason: 'stale' }]);
    expect(v.totals.marketValue).toBe(before);
    expect(v.notes).toEqual(['0700.HK: board lot size is not known, so HK lot sizes were not checked']);
  });

  it('rejects bad transactions with a 400 naming the field, writing nothing', async () => {
    const n = await txCount();
    const oversell = await failure(
      alice.caller.portfolio.addTransaction({
        id: pid,
        transaction: {
          type: 'sell',
          market: 'US',
          symbol: 'AAPL',
          tradeDate: today(),
          quantity: 11,
          price: 200,
        },
      }),
    );
    expect(oversell.code).toBe('BAD_REQUEST');
    expect(oversell.message).toBe(`quantity: selling 11 AAPL on ${today()} but only 10 held`);
    const lot = await failure(
      alice.caller.portfolio.addTransaction({
        id: pid,
        transaction: {
          type: 'buy',
          market: 'CN',
          symbol: '600519.SH',
          tradeDate: today(),
          quantity: 50,
          price: 1500,
        },
      }),
    );
    expect(lot.message).toMatch(/^quantity: A-share buys are in lots of 100/);
    const unknown = await failure(
      alice.caller.portfolio.addTransaction({
        id: pid,
        transaction: { type: 'buy', market: 'US', symbol: 'ZZZZ', tradeDate: today(), quantity: 1, price: 1 },
      }),
    );
    expect(unknown.message).toBe('symbol: US:ZZZZ is not in the symbol universe');
    const zod = await failure(
      alice.caller.portfolio.addTransaction({
        id: pid,
        transaction: {
          type: 'buy',
          market: 'US',
          symbol: 'AAPL',
          tradeDate: '2026-02-30x',
          quantity: 1,
          price: 1,
        },
      }),
    );
    expect(zod.code).toBe('BAD_REQUEST');
    expect(zod.message).toContain('tradeDate');
    // a backdated sell before the buy breaks nothing silently
    const early = await failure(
      alice.caller.portfolio.addTransaction({
        id: pid,
        transaction: {
          type: 'sell',
          market: 'US',
          symbol: 'AAPL',
          tradeDate: daysAgo(6),
          quantity: 1,
          price: 1,
        },
      }),
    );
    expect(early.message).toContain('but only 0 held');
    expect(await txCount()).toBe(n);
  });

  it('CSV import: one bad row → per-row errors and nothing of the file written', async () => {
    const n = await txCount();
    const csv = [
      'date,type,market,symbol,quantity,price,fee,currency,note',
      `${daysAgo(3)},buy,CN,600519.SH,100,1500,5,CNY,first`,
      `${daysAgo(3)},sell,CN,600519.SH,100,1510,5,CNY,same day`,
      `${daysAgo(2)},buy,US,MSFT,2,400,,,`,
      `${daysAgo(2)},dividend,US,AAPL,10,0.25,0,USD,`,
      `${daysAgo(1)},buy,US,AAPL,1,abc,0,USD,`,
    ].join('\n');
    const r = await failure(alice.caller.portfolio.importCsv({ id: pid, csv }));
    expect(r.code).toBe('BAD_REQUEST');
    const errors = (r.details as { errors: { row: number; field: string; message: string }[] }).errors;
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'date'], // T+1
      [6, 'price'],
    ]);
    expect(errors[0]!.message).toContain('T+1');
    expect(await txCount()).toBe(n);
  });

  it('CSV import: a good file is written whole', async () => {
    const n = await txCount();
    const csv = [
      'date,type,market,symbol,quantity,price,fee,currency,note',
      `${daysAgo(3)},buy,CN,600519.SH,100,1500,5,CNY,first`,
      `${daysAgo(2)},sell,CN,600519.SH,100,1510,5,CNY,next day`,
      `${daysAgo(2)},dividend,US,AAPL,10,0.25,0,USD,`,
    ].join('\n');
    const r = await alice.caller.portfolio.importCsv({ id: pid, csv });
    expect(r.inserted).toBe(3);
    expect(await txCount()).toBe(n + 3);
    const v = await alice.caller.portfolio.get({ id: pid });
    // 100 × 1510 − (100 × 1500 + 5) − 5 = 990
    expect(v.closed.find((c) => c.symbol === '600519.SH')).toMatchObject({ quantity: 0, realisedPnl: 990 });
    expect(v.holdings.find((h) => h.symbol === 'AAPL')).toMatchObject({ dividends: 2.5, totalPnl: 501.5 });
    const [audit] = await rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'portfolio.csv_import'`,
    );
    expect(audit!.n).toBe(1);
  });

  it("keeps each user's portfolio to themselves", async () => {
    const bobs = await bob.caller.portfolio.list();
    expect(bobs.map((p) => p.id)).not.toContain(pid);
    const [tx] = await alice.caller.portfolio.transactions({ id: pid });
    const calls = [
      () => bob.caller.portfolio.get({ id: pid }),
      () => bob.caller.portfolio.transactions({ id: pid }),
      () => bob.caller.portfolio.history({ id: pid }),
      () =>
        bob.caller.portfolio.addTransaction({
          id: pid,
          transaction: {
            type: 'buy',
            market: 'US',
            symbol: 'AAPL',
            tradeDate: today(),
            quantity: 1,
            price: 1,
          },
        }),
      () => bob.caller.portfolio.deleteTransaction({ id: pid, transactionId: tx!.id }),
      () => bob.caller.portfolio.importCsv({ id: pid, csv: 'date,type,market,symbol,quantity,price\n' }),
      () => bob.caller.portfolio.setBaseCurrency({ id: pid, baseCurrency: 'USD' }),
    ];
    for (const c of calls) expect((await failure(c())).code).toBe('NOT_FOUND');
    expect((await alice.caller.portfolio.transactions({ id: pid })).length).toBe(5);
  });

  it('refuses to delete a buy that a later sell depends on', async () => {
    const txs = await alice.caller.portfolio.transactions({ id: pid });
    const buy = txs.find((t) => t.symbol === '600519.SH' && t.type === 'buy')!;
    const r = await failure(alice.caller.portfolio.deleteTransaction({ id: pid, transactionId: buy.id }));
    expect(r.code).toBe('BAD_REQUEST');
    expect(r.message).toContain('would break the sell of 600519.SH');
  });

  it('an admin-entered FX rate (newer than the demo one) is used, with its as-of time', async () => {
    const admin = await signedInCaller(rt, 'root', 'admin');
    const bad = await failure(
      admin.caller.portfolio.setFxRate({ base: 'USD', quote: 'USD', rate: 1, asOf: clock.toISOString() }),
    );
    expect(bad.message).toMatch(/^quote: /);
    await admin.caller.portfolio.setFxRate({
      base: 'USD',
      quote: 'CNY',
      rate: 7.5,
      asOf: clock.toISOString(),
    });
    const v = await alice.caller.portfolio.get({ id: pid });
    expect(v.fx.find((f) => f.from === 'USD')).toEqual({
      from: 'USD',
      to: 'CNY',
      rate: 7.5,
      asOf: clock.toISOString(),
      source: 'admin',
    });
    expect(v.holdings.find((h) => h.symbol === 'AAPL')!.marketValueBase).toBe(15_000); // 10 × 200 × 7.5
  });

  it('values the portfolio over time from daily closes', async () => {
    const h = await alice.caller.portfolio.history({ id: pid });
    expect(h.baseCurrency).toBe('CNY');
    expect(h.points.length).toBeGreaterThan(0);
    for (const p of h.points) expect(p.value).toBeGreaterThan(0);
    expect(h.points[0]!.date >= daysAgo(5)).toBe(true);
  });
});
