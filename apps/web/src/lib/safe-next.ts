const DUMMY_ORIGIN = 'http://login-redirect.invalid';

/**
 * The `next` parameter after sign-in, reduced to a same-origin path, else '/'. URL parsers strip TAB/CR/LF
 * and read `\` as `/`, so `/\evil.example` and `/<TAB>/evil.example` mean `//evil.example` (another host) to
 * a browser: control characters and backslashes are refused outright, then the value is parsed against a
 * dummy origin and must stay on it with a path that starts with exactly one '/'.
 */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || raw.length > 2048) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//')) return '/';
  let url: URL;
  try {
    url = new URL(raw, DUMMY_ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== DUMMY_ORIGIN || !url.pathname.startsWith('/') || url.pathname.startsWith('//'))
    return '/';
  return url.pathname + url.search + url.hash;
}
