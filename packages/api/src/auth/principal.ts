import type { IncomingMessage } from 'node:http';
import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';
import { consumeRateLimit } from '../security/rate-limits';
import { bearerToken, verifyApiToken } from './api-tokens';
import { type Role, roleAtLeast } from './roles';
import { parseCookies, resolveSession, SESSION_COOKIE } from './sessions';
import type { AuthedPrincipal, Principal } from './types';

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export function headerOf(headers: HeaderBag, k: string): string | undefined {
  if (headers instanceof Headers) return headers.get(k) ?? undefined;
  const v = headers[k];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Who is calling: an API token (`Authorization: Bearer iq_…`) wins; otherwise the session cookie;
 * otherwise anonymous. A presented but invalid token is an error (401); a stale cookie is just anonymous.
 * With `ip`, invalid tokens count against the `authFailIp` limit; past it that IP's invalid tokens get 429.
 */
export async function resolvePrincipal(
  rt: { db: DatabaseHandle; now: () => Date },
  headers: HeaderBag,
  opts: { ip?: string } = {},
): Promise<Principal> {
  const token = bearerToken(headerOf(headers, 'authorization'));
  if (token) {
    const found = await verifyApiToken(rt.db, token, rt.now());
    if (!found) {
      // counted after the lookup, so valid tokens cost no extra round trip; past the limit: 429, not 401
      if (opts.ip) await consumeRateLimit(rt.db, 'authFailIp', opts.ip);
      throw new AppError('UNAUTHORIZED', 'invalid or revoked API token (or expired, or its owner disabled)');
    }
    return { kind: 'token', ...found };
  }
  const cookie = parseCookies(headerOf(headers, 'cookie'))[SESSION_COOKIE];
  if (cookie) {
    const s = await resolveSession(rt.db, cookie, rt.now());
    if (s) return { kind: 'session', userId: s.userId, username: s.username, role: s.role };
  }
  return { kind: 'anonymous' };
}

/** The one role check (tRPC procedure tiers and the REST routes): 401 when anonymous, 403 below `role`. */
export function requireRole(principal: Principal, role: Role): AuthedPrincipal {
  if (principal.kind === 'anonymous')
    throw new AppError('UNAUTHORIZED', 'sign in or send "Authorization: Bearer <API token>"');
  if (!roleAtLeast(principal.role, role)) throw new AppError('FORBIDDEN', `this requires the ${role} role`);
  return principal;
}

export { clientIp } from '../security/client-ip';

/** Served over HTTPS (directly, or per the proxy's X-Forwarded-Proto)? Decides the cookie's Secure flag. */
export function isHttps(req: IncomingMessage): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  const p = req.headers['x-forwarded-proto'];
  return (Array.isArray(p) ? p[0] : p)?.split(',')[0]?.trim() === 'https';
}
