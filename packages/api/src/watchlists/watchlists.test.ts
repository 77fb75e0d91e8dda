import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { createCaller } from '../root';
import type { Runtime } from '../runtime';
import { signedInCaller } from '../test-support/callers';
import { createTestRuntime } from '../test-support/runtime';
import { createContext } from '../trpc';
import { DEFAULT_WATCHLIST_NAME, defaultWatchlistSymbols, watchedSymbols } from './watchlists';

// tRPC watchlists on a real test database (PGlite, or PostgreSQL with TEST_DATABASE_URL) with the demo universe.
let rt: Runtime;
let alice: Awaited<ReturnType<typeof signedInCaller>>;
let bob: Awaited<ReturnType<typeof signedInCaller>>;

beforeAll(async () => {
  rt = await createTestRuntime();
  alice = await signedInCaller(rt, 'alice');
  bob = await signedInCaller(rt, 'bob');
});
afterAll(async () => {
  await rt?.close();
});

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError) return { code: err.code, message: err.message };
    throw err;
  }
  return { code: 'OK', message: '' };
}

const audits = async (action: string) =>
  (
    await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [action])
  )[0]!.n;

describe('watchlists', () => {
  it('gives a new user the default list on first read, once', async () => {
    const defaults = await defaultWatchlistSymbols(rt.db);
    expect(defaults.length).toBeGreaterThan(3);
    const [first, again] = await Promise.all([
      alice.caller.watchlists.list(),
      alice.caller.watchlists.list(),
    ]);
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(1);
    expect(first[0]!.name).toBe(DEFAULT_WATCHLIST_NAME);
    const list = await alice.caller.watchlists.get({ id: first[0]!.id });
    expect(list.items.map((i) => `${i.market}:${i.symbol}`)).toEqual(
      defaults.map((d) => `${d.market}:${d.symbol}`),
    );
  });

  it('creates a named list, adds, reorders and removes symbols, auditing each write', async () => {
    const created = await alice.caller.watchlists.create({ name: '  Tech  ' });
    expect(created.name).toBe('Tech');
    await alice.caller.watchlists.addItem({ id: created.id, item: { market: 'US', symbol: 'aapl' } });
    await alice.caller.watchlists.addItem({ id: created.id, item: { market: 'HK', symbol: '0700.HK' } });
    await alice.caller.watchlists.addItem({ id: created.id, item: { market: 'CN', symbol: '600519.SH' } });
    // adding again is a no-op, not a duplicate
    await alice.caller.watchlists.addItem({ id: created.id, item: { market: 'US', symbol: 'AAPL' } });
    const order = async () =>
      (await alice.caller.watchlists.get({ id: created.id })).items.map((i) => i.symbol);
    expect(await order()).toEqual(['AAPL', '0700.HK', '600519.SH']);
    await alice.caller.watchlists.moveItem({
      id: created.id,
      item: { market: 'CN', symbol: '600519.SH' },
      direction: 'up',
    });
    expect(await order()).toEqual(['AAPL', '600519.SH', '0700.HK']);
    await alice.caller.watchlists.moveItem({
      id: created.id,
      item: { market: 'US', symbol: 'AAPL' },
      direction: 'up',
    });
    expect(await order()).toEqual(['AAPL', '600519.SH', '0700.HK']);
    await alice.caller.watchlists.moveItem({
      id: created.id,
      item: { market: 'US', symbol: 'AAPL' },
      direction: 'down',
    });
    expect(await order()).toEqual(['600519.SH', 'AAPL', '0700.HK']);
    await alice.caller.watchlists.removeItem({ id: created.id, item: { market: 'US', symbol: 'AAPL' } });
    expect(await order()).toEqual(['600519.SH', '0700.HK']);
    expect(await audits('watchlist.add')).toBe(3);
    expect(await audits('watchlist.move')).toBe(2);
    expect(await audits('watchlist.remove')).toBe(1);
    const lists = await alice.caller.watchlists.list();
    expect(lists.map((l) => [l.name, l.itemCount])).toEqual([
      [DEFAULT_WATCHLIST_NAME, expect.any(Number)],
      ['Tech', 2],
    ]);
  });

  it('rejects a symbol outside the universe with a 400 naming it, and writes nothing', async () => {
    const [list] = await alice.caller.watchlists.list();
    const before = await audits('watchlist.add');
    const r = await codeOf(
      alice.caller.watchlists.addItem({ id: list!.id, item: { market: 'US', symbol: 'ZZZZ' } }),
    );
    expect(r.code).toBe('BAD_REQUEST');
    expect(r.message).toContain('US:ZZZZ');
    const bad = await codeOf(
      alice.caller.watchlists.addItem({ id: list!.id, item: { market: 'CN', symbol: 'AAPL' } }),
    );
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toMatch(/symbol/);
    expect(await audits('watchlist.add')).toBe(before);
  });

  it('rejects a duplicate or empty name naming the field', async () => {
    expect(await codeOf(alice.caller.watchlists.create({ name: 'Tech' }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('name'),
    });
    expect(await codeOf(alice.caller.watchlists.create({ name: '   ' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('name'),
    });
  });

  it("keeps each user's lists to themselves", async () => {
    const aliceLists = await alice.caller.watchlists.list();
    const tech = aliceLists.find((l) => l.name === 'Tech')!;
    const bobLists = await bob.caller.watchlists.list();
    expect(bobLists.map((l) => l.id)).not.toContain(tech.id);
    for (const p of [
      () => bob.caller.watchlists.get({ id: tech.id }),
      () => bob.caller.watchlists.rename({ id: tech.id, name: 'mine' }),
      () => bob.caller.watchlists.addItem({ id: tech.id, item: { market: 'US', symbol: 'AAPL' } }),
      () => bob.caller.watchlists.removeItem({ id: tech.id, item: { market: 'HK', symbol: '0700.HK' } }),
      () =>
        bob.caller.watchlists.moveItem({
          id: tech.id,
          item: { market: 'HK', symbol: '0700.HK' },
          direction: 'up',
        }),
      () => bob.caller.watchlists.delete({ id: tech.id }),
    ])
      expect((await codeOf(p())).code).toBe('NOT_FOUND');
    expect((await alice.caller.watchlists.get({ id: tech.id })).items).toHaveLength(2);
  });

  it('watchedSymbols is the union of every list plus the default list, without duplicates', async () => {
    const bobLists = await bob.caller.watchlists.list();
    await bob.caller.watchlists.removeItem({
      id: bobLists[0]!.id,
      item: (await defaultWatchlistSymbols(rt.db))[0]!,
    });
    // a symbol outside the default (demo) list, watched by bob only
    await rt.db.query(
      `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source, is_demo)
       VALUES ('US', 'IBM', 'IBM', 'IBM', 'USD', 'NYSE', 'csv', false)`,
    );
    await bob.caller.watchlists.addItem({ id: bobLists[0]!.id, item: { market: 'US', symbol: 'IBM' } });
    const watched = await watchedSymbols(rt.db);
    const keys = watched.map((w) => `${w.market}:${w.symbol}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of await defaultWatchlistSymbols(rt.db)) expect(keys).toContain(`${d.market}:${d.symbol}`);
    expect(keys).toContain('US:IBM');
  });

  it("an API token works on its owner's lists; an ownerless token has none", async () => {
    const asToken = async (ownerId: string | null) => {
      const { token } = await createApiToken(rt.db, {
        name: `t-${ownerId ?? 'none'}`,
        role: 'viewer',
        ownerId,
      });
      return createCaller(await createContext(rt, { authorization: `Bearer ${token}` }, { ip: '127.0.0.1' }));
    };
    const owned = await asToken(alice.user.id);
    expect((await owned.watchlists.list()).map((l) => l.id)).toEqual(
      (await alice.caller.watchlists.list()).map((l) => l.id),
    );
    const ownerless = await asToken(null);
    const r = await codeOf(ownerless.watchlists.list());
    expect(r.code).toBe('FORBIDDEN');
    expect(r.message).toContain('owner');
  });

  it('deletes a list with its items', async () => {
    const tech = (await alice.caller.watchlists.list()).find((l) => l.name === 'Tech')!;
    await alice.caller.watchlists.delete({ id: tech.id });
    expect((await codeOf(alice.caller.watchlists.get({ id: tech.id }))).code).toBe('NOT_FOUND');
    const [left] = await rt.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM watchlist_items WHERE watchlist_id = $1',
      [tech.id],
    );
    expect(left!.n).toBe(0);
  });
});
