import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../auth/sessions';
import { createUser } from '../auth/users';
import { createCaller } from '../root';
import type { Runtime } from '../runtime';
import { signedInCaller } from '../test-support/callers';
import { createTestRuntime } from '../test-support/runtime';
import { createContext } from '../trpc';
import { createPageData, PAGE_DATA_KEY, publishPageData } from './page-data';

describe('page data for the server-rendered dashboard', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await createTestRuntime();
    await rt.collector.tick();
  });
  afterAll(async () => {
    delete (globalThis as Record<symbol, unknown>)[PAGE_DATA_KEY];
    await rt.close();
  });

  const cookieFor = async (username: string) => {
    const user = await createUser(rt.db, { username, password: `${username}-password-1`, role: 'viewer' });
    const { token } = await createSession(rt.db, user.id, { now: rt.now(), ttlSeconds: 3600 });
    return { user, cookie: `${SESSION_COOKIE}=${token}` };
  };

  it('answers what the browser would: the lists, the chosen list and its latest quotes', async () => {
    const { cookie } = await cookieFor('pd-alice');
    const pages = createPageData(rt);
    const data = await pages.dashboard({ cookie });
    expect(data).not.toBeNull();
    const caller = createCaller(await createContext(rt, { cookie }, { ip: '127.0.0.1' }));
    expect(data!.lists).toEqual(await caller.watchlists.list());
    expect(data!.list).toEqual(await caller.watchlists.get({ id: data!.lists[0]!.id }));
    const symbols = data!.list!.items.map((s) => ({ market: s.market, symbol: s.symbol }));
    expect(symbols.length).toBeGreaterThan(0);
    expect(data!.latest.map((l) => `${l.market}:${l.symbol}`)).toEqual(
      symbols.map((s) => `${s.market}:${s.symbol}`),
    );
    expect(data!.latest.some((l) => l.status === 'fresh')).toBe(true);

    // the remembered list is the one rendered
    const second = await caller.watchlists.create({ name: 'Second' });
    await caller.watchlists.addItem({ id: second.id, item: { market: 'US', symbol: 'AAPL' } });
    const chosen = await pages.dashboard({ cookie }, second.id);
    expect(chosen!.list!.id).toBe(second.id);
    expect(chosen!.latest.map((l) => l.symbol)).toEqual(['AAPL']);
    // an empty list: no quote call (latestMany refuses an empty list)
    const empty = await caller.watchlists.create({ name: 'Empty' });
    expect(await pages.dashboard({ cookie }, empty.id)).toMatchObject({ latest: [], list: { id: empty.id } });
  });

  it("never renders another user's list: an unknown or foreign id falls back to the caller's first", async () => {
    const { caller: bob } = await signedInCaller(rt, 'pd-bob');
    const bobs = await bob.watchlists.create({ name: 'Bob only' });
    const { cookie } = await cookieFor('pd-carol');
    const data = await createPageData(rt).dashboard({ cookie }, bobs.id);
    expect(data!.list!.id).not.toBe(bobs.id);
    expect(data!.lists.map((l) => l.id)).not.toContain(bobs.id);
    expect((await createPageData(rt).dashboard({ cookie }, 'not-a-uuid'))!.list!.id).toBe(data!.lists[0]!.id);
  });

  it('is null for an anonymous caller or an ended session, and reachable through the process-wide key', async () => {
    expect(await createPageData(rt).dashboard({})).toBeNull();
    expect(await createPageData(rt).dashboard({ cookie: `${SESSION_COOKIE}=forged` })).toBeNull();
    publishPageData(rt);
    const bridge = (globalThis as Record<symbol, ReturnType<typeof createPageData>>)[
      Symbol.for('investiq.pageData')
    ];
    expect(await bridge!.dashboard({})).toBeNull();
  });
});
