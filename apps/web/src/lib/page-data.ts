import { prefCookie } from './prefs/negotiate';

/**
 * The names shared with @investiq/api/http page-data.ts, repeated here so the browser bundle does not pull
 * the server package in (a test checks they match).
 */
export const PAGE_DATA_KEY = Symbol.for('investiq.pageData');
export const WATCHLIST_COOKIE = 'investiq.watchlist';

/** Remember the chosen watchlist for the server's next render of the dashboard (a preference cookie, as the language). */
export function rememberWatchlist(id: string | null): void {
  // biome-ignore lint/suspicious/noDocumentCookie: a plain preference cookie; the Cookie Store API is not in every browser we support
  document.cookie =
    id === null ? `${WATCHLIST_COOKIE}=; path=/; max-age=0; samesite=lax` : prefCookie(WATCHLIST_COOKIE, id);
}

/** The remembered watchlist id, read in the browser. */
export function rememberedWatchlist(): string | null {
  const m = new RegExp(`(?:^|; )${WATCHLIST_COOKIE.replace('.', '\\.')}=([^;]*)`).exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : null;
}
