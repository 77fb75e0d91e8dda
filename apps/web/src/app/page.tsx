import type { DashboardData, PageData } from '@investiq/api/http';
import { cookies, headers } from 'next/headers';
import { Watchlist } from '~/components/watchlist';
import { PAGE_DATA_KEY, WATCHLIST_COOKIE } from '~/lib/page-data';

/**
 * The dashboard is rendered with its data: the watchlists, the chosen list and its latest quotes come from
 * the server process (apps/web/server.ts publishes them, see @investiq/api/http page-data.ts), so the first
 * paint shows prices instead of three round trips in a row after the JavaScript has loaded. Without that
 * bridge (or when it fails) the browser asks for the same data itself.
 */
export default async function DashboardPage() {
  const bridge = (globalThis as Record<symbol, PageData | undefined>)[PAGE_DATA_KEY];
  let initial: DashboardData | null = null;
  if (bridge) {
    const [head, jar] = await Promise.all([headers(), cookies()]);
    try {
      initial = await bridge.dashboard(Object.fromEntries(head.entries()), jar.get(WATCHLIST_COOKIE)?.value);
    } catch {
      initial = null; // the browser's own calls then show the error in place
    }
  }
  return <Watchlist initial={initial} />;
}
