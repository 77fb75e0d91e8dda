import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';

/**
 * Cross-site request forgery guard for state-changing requests (POST) and every tRPC call (some GET
 * queries compute for seconds, and a cross-site link carries a SameSite=Lax cookie): browsers label every request with
 * Sec-Fetch-Site and/or Origin. A request another site made is refused; programmatic clients (no Origin,
 * no Sec-Fetch-Site — they authenticate with a token, not a cookie) pass. JSON only, which a plain HTML
 * form cannot send.
 */
export function assertSameOrigin(req: IncomingMessage, opts: { trustProxy: boolean }): void {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none')
    throw new AppError('FORBIDDEN', `cross-site request refused (Sec-Fetch-Site: ${site.slice(0, 20)})`);
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new AppError('FORBIDDEN', 'cross-site request refused (unreadable Origin)');
    }
    const fwd = opts.trustProxy ? req.headers['x-forwarded-host'] : undefined;
    const host = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim() || req.headers.host;
    if (!host || originHost.toLowerCase() !== host.toLowerCase())
      throw new AppError('FORBIDDEN', 'cross-site request refused (Origin does not match Host)');
  }
}

export function assertJson(req: IncomingMessage): void {
  // bodies are read as they come: a compressed one would be parsed as garbage, or a plain one mislabelled
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity')
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `content-encoding ${encoding.slice(0, 40)} is not supported; send the body uncompressed`,
    );
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `content-type must be application/json (got ${type || 'none'})`,
    );
}

/** The CSV upload's counterpart of `assertJson`: uncompressed `text/csv` only (no HTML form sends it). */
export function assertCsv(req: IncomingMessage): void {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity')
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `content-encoding ${encoding.slice(0, 40)} is not supported; send the body uncompressed`,
    );
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/csv')
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `content-type must be text/csv (got ${type || 'none'})`);
}
