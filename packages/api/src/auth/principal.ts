import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';
import type { Runtime } from '../runtime';
import type { Principal } from '../trpc';
import { bearerToken, verifyApiToken } from './api-tokens';
import { type Role, roleAtLeast } from './roles';
import { parseCookies, resolveSession, SESSION_COOKIE } from './sessions';

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export function headerOf(headers: HeaderBag, k: string): string | undefined {
  if (headers instanceof Headers) return headers.get(k) ?? undefined;
  const v = headers[k];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Who is calling: an API token (`Authorization: Bearer iq_…`) wins; otherwise the session cookie;
 * otherwise anonymous. A presented but invalid token is an error (401); a stale cookie is just anonymous.
 */
export async function resolvePrincipal(rt: Runtime, headers: HeaderBag): Promise<Principal> {
  const token = bearerToken(headerOf(headers, 'authorization'));
  if (token) {
    const found = await verifyApiToken(rt.db, token);
    if (!found) throw new AppError('UNAUTHORIZED', 'invalid or revoked API token');
    return { kind: 'token', ...found };
  }
  const cookie = parseCookies(headerOf(headers, 'cookie'))[SESSION_COOKIE];
  if (cookie) {
    const s = await resolveSession(rt.db, cookie, rt.now());
    if (s) return { kind: 'session', userId: s.userId, username: s.username, role: s.role };
  }
  return { kind: 'anonymous' };
}

export function requireRole(principal: Principal, role: Role): Exclude<Principal, { kind: 'anonymous' }> {
  if (principal.kind === 'anonymous')
    throw new AppError('UNAUTHORIZED', 'sign in or send "Authorization: Bearer <API token>"');
  if (!roleAtLeast(principal.role, role)) throw new AppError('FORBIDDEN', `this requires the ${role} role`);
  return principal;
}

/** True when the request reached us directly from this machine (not through a proxy). */
export function isDirectLoopback(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  const loop = a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
  return loop && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
}

/** The client's IP: the socket address, or the first X-Forwarded-For hop when TRUST_PROXY is on. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

/** Served over HTTPS (directly, or per the proxy's X-Forwarded-Proto)? Decides the cookie's Secure flag. */
export function isHttps(req: IncomingMessage): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  const p = req.headers['x-forwarded-proto'];
  return (Array.isArray(p) ? p[0] : p)?.split(',')[0]?.trim() === 'https';
}
