import Negotiator from 'negotiator';

/**
 * Which language and colour convention a page starts in, decided on the server so the first paint is already
 * right (no English flash for a Chinese browser). Order: the user's own choice (a cookie the language menu
 * writes) → the browser's Accept-Language when it names a language we have → the admin's default
 * (`ui.defaults`, applied in the browser) → English.
 */
export type Lang = 'en' | 'zh-CN';
export type ColorMode = 'market' | 'red-up' | 'green-up';
export type LangSource = 'user' | 'browser' | 'default';

export const LANG_COOKIE = 'investiq.lang';
export const COLOR_COOKIE = 'investiq.colors';
/** A remembered choice lasts a year. */
export const PREF_COOKIE_MAX_AGE = 365 * 24 * 3600;

const LANGS: readonly Lang[] = ['en', 'zh-CN'];
const COLORS: readonly ColorMode[] = ['market', 'red-up', 'green-up'];

export function parseLang(v: string | null | undefined): Lang | null {
  return LANGS.includes(v as Lang) ? (v as Lang) : null;
}

export function parseColorMode(v: string | null | undefined): ColorMode | null {
  return COLORS.includes(v as ColorMode) ? (v as ColorMode) : null;
}

// `zh` stands for every Chinese variant (zh-TW, zh-HK, zh-Hans…): we have one Chinese UI, simplified.
const OFFERED = ['en', 'zh-CN', 'zh'];

/** The best of our languages for an Accept-Language header (q-values honoured), or null when it names none. */
export function negotiateLang(acceptLanguage: string | null | undefined): Lang | null {
  if (!acceptLanguage) return null;
  const best = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language(OFFERED);
  if (!best) return null;
  return best === 'en' ? 'en' : 'zh-CN';
}

export interface InitialPrefs {
  lang: Lang;
  langSource: LangSource;
  /** null: the user has not chosen; the admin default (or "market") applies. */
  colorMode: ColorMode | null;
}

export function initialPrefs(cookies: {
  lang?: string | null;
  colors?: string | null;
  acceptLanguage?: string | null;
}): InitialPrefs {
  const chosen = parseLang(cookies.lang);
  const browser = chosen ? null : negotiateLang(cookies.acceptLanguage);
  return {
    lang: chosen ?? browser ?? 'en',
    langSource: chosen ? 'user' : browser ? 'browser' : 'default',
    colorMode: parseColorMode(cookies.colors),
  };
}

/** The Set-Cookie value the language and colour menus write (readable by the server on the next request). */
export function prefCookie(name: string, value: string): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${PREF_COOKIE_MAX_AGE}; SameSite=Lax`;
}
