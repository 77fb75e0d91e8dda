import type { IncomingMessage, ServerResponse } from 'node:http';
import { isHttps } from '../auth/principal';

/**
 * Security headers for every response (pages and API). The CSP allows only our own origin. Next.js's
 * statically rendered pages bootstrap with inline <script> tags that cannot carry a per-request nonce, so
 * script-src needs 'unsafe-inline' (a nonce would force every page to render dynamically); React style
 * attributes and lightweight-charts (canvas, no external loads) need style-src 'unsafe-inline' and
 * img-src data:/blob:. Development adds 'unsafe-eval' for React Refresh.
 */
export function contentSecurityPolicy(opts: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${opts.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? ' ws: wss:' : ''}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function applySecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { dev: boolean },
): void {
  res.setHeader('content-security-policy', contentSecurityPolicy(opts));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (isHttps(req)) res.setHeader('strict-transport-security', 'max-age=15552000');
}
