import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolvePrincipal } from '../auth/principal';
import { roleAtLeast } from '../auth/roles';
import { countUsers } from '../auth/users';
import type { Runtime } from '../runtime';

const OPEN = [/^\/_next\//, /^\/favicon/, /^\/robots\.txt$/, /^\/[^/]+\.(?:svg|png|ico|txt|webmanifest)$/];

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
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    if (OPEN.some((r) => r.test(p))) return false;
    if (!usersExist) usersExist = (await countUsers(rt.db)) > 0;
    if (!usersExist) return p === '/setup' ? false : redirect(res, '/setup');
    if (p === '/setup') return redirect(res, '/login');
    if (p === '/login') return false;
    const principal = await resolvePrincipal(rt, req.headers).catch(() => ({ kind: 'anonymous' }) as const);
    if (principal.kind === 'anonymous')
      return redirect(res, `/login?next=${encodeURIComponent(p + url.search)}`);
    if (p.startsWith('/admin') && !roleAtLeast(principal.role, 'admin')) return redirect(res, '/');
    return false;
  };
}
