import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DatabaseHandle } from '@investiq/db';
import { resolvePrincipal } from '../auth/principal';
import type { Principal } from '../auth/types';
import { AppError } from '../errors';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

/** Limits of long-lived responses (tRPC subscriptions and the quote stream, over SSE). */
export interface StreamLimits {
  /** Streams one user (session) or API token may hold open at once; one more → 429. */
  maxPerPrincipal: number;
  /** A stream is closed after this long; the browser's EventSource reconnects (and is checked again). */
  maxDurationMs: number;
  /** How often a stream's credential is checked again (disabled user, revoked or expired token). */
  recheckMs: number;
  /** A client that stopped reading: close once this many bytes wait in the socket's buffer … */
  maxBufferedBytes: number;
  /** … or once writes have been blocked (waiting for the client to read) for this long. */
  stallMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxPerPrincipal: 8,
  maxDurationMs: 15 * 60_000,
  recheckMs: 5_000,
  maxBufferedBytes: 1024 * 1024,
  stallMs: 30_000,
};

type Authed = Exclude<Principal, { kind: 'anonymous' }>;
const identity = (p: Authed) => (p.kind === 'session' ? `user:${p.userId}` : `token:${p.id}`);

/**
 * Admission and supervision of SSE streams, before tRPC takes the request: a per-principal cap, a maximum
 * duration, the credential re-checked every few seconds, and a bound on what may queue for a slow reader.
 * A stream that must end is closed at the socket; tRPC then aborts the subscription (its finally blocks run).
 */
export function createStreamGuard(
  rt: { db: DatabaseHandle; now: () => Date; metrics: Pick<Metrics, 'sseStreams'>; log: Logger },
  limits: StreamLimits,
) {
  const open = new Map<string, number>();

  const release = (key: string) => {
    const n = (open.get(key) ?? 1) - 1;
    if (n <= 0) open.delete(key);
    else open.set(key, n);
    rt.metrics.sseStreams.dec();
  };

  return {
    /** Open streams per principal (tests, debugging). */
    openStreams: () => new Map(open),

    /**
     * Admit a stream request: throws 401/429 as AppError; resolves with nothing for anonymous callers
     * (tRPC answers 401 for them) and otherwise starts supervising `res`. `known`: the caller's principal
     * when the route already resolved it.
     */
    async admit(req: IncomingMessage, res: ServerResponse, ip: string, known?: Principal): Promise<void> {
      const principal = known ?? (await resolvePrincipal(rt, req.headers, { ip }));
      if (principal.kind === 'anonymous') return;
      const key = identity(principal);
      const n = open.get(key) ?? 0;
      if (n >= limits.maxPerPrincipal)
        throw new AppError(
          'TOO_MANY_REQUESTS',
          `too many live streams open (${n}, at most ${limits.maxPerPrincipal} per user or token); close a tab`,
          { details: { limit: 'streams', retryAfterSeconds: 5 } },
        );
      open.set(key, n + 1);
      rt.metrics.sseStreams.inc();

      let done = false;
      const end = (reason: string) => {
        if (done) return;
        rt.log.debug({ principal: key, reason }, 'closing live stream');
        res.destroy();
      };
      const duration = setTimeout(() => end('max duration'), limits.maxDurationMs);
      let checking = false;
      const recheck = setInterval(() => {
        if (checking) return;
        checking = true;
        resolvePrincipal(rt, req.headers)
          .then((now) => {
            if (now.kind === 'anonymous' || identity(now) !== key) end('credential no longer valid');
          })
          .catch((err) => {
            if (err instanceof AppError && err.code === 'UNAUTHORIZED') end('credential no longer valid');
            // anything else (database briefly away): keep the stream, check again next time
          })
          .finally(() => {
            checking = false;
          });
      }, limits.recheckMs);
      let blockedSince: number | null = null;
      const watchBuffer = setInterval(
        () => {
          if (res.writableLength > limits.maxBufferedBytes) return end('client buffer over limit');
          if (!res.writableNeedDrain) {
            blockedSince = null;
            return;
          }
          blockedSince ??= Date.now();
          if (Date.now() - blockedSince > limits.stallMs) end('client stopped reading');
        },
        Math.min(1_000, Math.max(50, Math.floor(limits.stallMs / 4))),
      );
      for (const t of [duration, recheck, watchBuffer]) t.unref();
      res.once('close', () => {
        done = true;
        clearTimeout(duration);
        clearInterval(recheck);
        clearInterval(watchBuffer);
        release(key);
      });
    },
  };
}
