import type { IncomingMessage, ServerResponse } from 'node:http';
import { posix } from 'node:path';
import { resolvePrincipal } from '../auth/principal';
import { roleAtLeast } from '../auth/roles';
import { countUsers } from '../auth/users';
import type { Runtime } from '../runtime';

const OPEN = [/^\/_next\//, /^\/favicon/, /^\/robots\.txt$/, /^\/[^/]+\.(?:svg|png|ico|txt|webmanifest)$/];

/**
 * The path as a router could read it: percent-decoded (repeatedly, so `%2561` cannot hide an `a`),
 * backslashes as slashes, repeated slashes collapsed and dot segments resolved. Decisions are made on this,
 * never on the raw path (`/%61dmin` is `/admin` to Next.js). null when the path's encoding is malformed.
 */
export function canonicalPath(rawUrl: string): string | null {
  let p = rawUrl.split(/[?#]/, 1)[0] ?? '';
  if (!p.startsWith('/')) {
    try {
      p = new URL(rawUrl).pathname; // absolute-form request target (proxies)
    } catch {
      return null;
    }
  }
  for (let i = 0; i < 4; i++) {
    let d: string;
    try {
      d = decodeURIComponent(p);
    } catch {
      if (i === 0) return null; // what the page router would fail on
      break;
    }
    if (d === p) break;
    p = d;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL or control character is never a page
  if (/[\u0000-\u001f\u007f]/.test(p)) return null;
  return posix.normalize(p.replace(/\\/g, '/').replace(/\/{2,}/g, '/'));
}

const badPath = (res: ServerResponse) => {
  res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    JSON.stringify({
      error: {
        code: 'BAD_REQUEST',
        message: 'malformed request path (bad percent-encoding or a control character)',
      },
    }),
  );
  return true;
};

/**
 * Pages need a signed-in user: anonymous visitors go to /login (or /setup while no user exists), /admin
 * needs the admin role. The API enforces the same on every call; this only keeps people out of empty pages.
 * Returns true when it answered (a redirect).
 */
export function createPageGuard(rt: Runtime) {
  let usersExist = false;
  const redirect = (res: ServerResponse, to: string) => {
    res.writeHead(302, { location: to, 'cache-control': 'no-store' });
    res.end();
    return true;
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const raw = req.url ?? '/';
    const p = canonicalPath(raw);
    if (p === null) return badPath(res);
    if (OPEN.some((r) => r.test(p))) return false;
    if (!usersExist) usersExist = (await countUsers(rt.db)) > 0;
    if (!usersExist) return p === '/setup' ? false : redirect(res, '/setup');
    if (p === '/setup') return redirect(res, '/login');
    if (p === '/login') return false;
    const principal = await resolvePrincipal(rt, req.headers).catch(() => ({ kind: 'anonymous' }) as const);
    if (principal.kind === 'anonymous')
      return redirect(res, `/login?next=${encodeURIComponent(p + (raw.match(/\?[^#]*/)?.[0] ?? ''))}`);
    const lower = p.toLowerCase();
    if ((lower === '/admin' || lower.startsWith('/admin/')) && !roleAtLeast(principal.role, 'admin'))
      return redirect(res, '/');
    return false;
  };
}
