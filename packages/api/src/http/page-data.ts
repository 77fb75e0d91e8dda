import type { inferRouterOutputs } from '@trpc/server';
import { type AppRouter, createCaller } from '../root';
import type { Runtime } from '../runtime';
import { createContext } from '../trpc';

type Out = inferRouterOutputs<AppRouter>;

/** What the dashboard's first paint needs: the same three answers the browser would otherwise ask for in turn. */
export interface DashboardData {
  lists: Out['watchlists']['list'];
  list: Out['watchlists']['get'] | null;
  latest: Out['quotes']['latestMany'];
}

/** The cookie that remembers the chosen watchlist, so the server renders that one (not only the first). */
export const WATCHLIST_COOKIE = 'investiq.watchlist';

/**
 * Where server-rendered pages find this process's data functions: apps/web/server.ts puts
 * `createPageData(rt)` here. Next.js bundles its server components separately, so they cannot import the
 * runtime; a `Symbol.for` key on globalThis is shared by every module instance in the process.
 */
export const PAGE_DATA_KEY = Symbol.for('investiq.pageData');

export interface PageData {
  /**
   * The signed-in caller's dashboard data, through the same tRPC procedures, authorisation and rate limit as
   * the browser's calls. null for an anonymous caller.
   */
  dashboard(headers: Record<string, string>, selectedId?: string): Promise<DashboardData | null>;
}

export function createPageData(rt: Runtime): PageData {
  return {
    async dashboard(headers, selectedId) {
      // the caller's IP is only used to count invalid API tokens; a page request carries a cookie
      const ctx = await createContext(rt, headers, { ip: 'page' });
      if (ctx.principal.kind === 'anonymous') return null;
      const caller = createCaller(ctx);
      const lists = await caller.watchlists.list();
      const current = lists.find((l) => l.id === selectedId) ?? lists[0];
      if (!current) return { lists, list: null, latest: [] };
      const list = await caller.watchlists.get({ id: current.id });
      const symbols = list.items.map((s) => ({ market: s.market, symbol: s.symbol }));
      const latest = symbols.length > 0 ? await caller.quotes.latestMany({ symbols }) : [];
      return { lists, list, latest };
    },
  };
}

/** Make `createPageData(rt)` reachable from server-rendered pages (see PAGE_DATA_KEY). */
export function publishPageData(rt: Runtime): void {
  (globalThis as Record<symbol, unknown>)[PAGE_DATA_KEY] = createPageData(rt);
}
