import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors';

/** Routes anyone who reaches the service may call (liveness/readiness probes). */
const OPEN_ROUTES = new Set(['/health']);

/** `Host` without its port, lower case; `[::1]:8001` → `::1`. Undefined when absent or malformed. */
export function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : undefined;
  }
  const colon = h.indexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/**
 * DNS-rebinding guard: a browser tricked into calling us carries the attacker's name in `Host`. IP literals
 * cannot be rebound, so they pass; names must be on the allow-list.
 */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  const name = hostnameOf(host);
  if (!name) return false;
  if (isIP(name) !== 0) return true;
  return allowed.includes(name.replace(/\.$/, ''));
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time check of `authorization: Bearer <token>` (both sides hashed, so lengths never leak). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  const given = m?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}

/** Who a request is for fairness: the client's `x-inference-caller` (e.g. `report:42`), else its address. */
export function callerOf(request: FastifyRequest): string {
  const header = request.headers['x-inference-caller'];
  const named = typeof header === 'string' ? header.trim().slice(0, 128) : '';
  return named !== '' ? `caller:${named}` : `ip:${request.ip}`;
}

/** Host allow-list on every route, then the bearer token on every route but /health. */
export function installGuard(
  app: FastifyInstance,
  opts: { token?: string; allowedHosts: readonly string[] },
) {
  app.addHook('onRequest', async (request) => {
    if (!hostAllowed(request.headers.host, opts.allowedHosts)) {
      throw new HttpError(
        421,
        'misdirected_request',
        `host '${hostnameOf(request.headers.host) ?? ''}' is not served here; add it to INFERENCE_ALLOWED_HOSTS`,
      );
    }
    if (opts.token === undefined) return;
    // the matched route, not the raw path: `/health?x` and HEAD /health are the same open route
    if (OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    if (!bearerMatches(request.headers.authorization, opts.token)) {
      throw new HttpError(
        401,
        'unauthorized',
        'missing or wrong bearer token (authorization: Bearer $INFERENCE_TOKEN)',
        undefined,
        { 'www-authenticate': 'Bearer realm="investiq-inference"' },
      );
    }
  });
}
