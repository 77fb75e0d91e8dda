import { randomUUID } from 'node:crypto';
import { withServerSpan } from '@investiq/telemetry';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { requireRole, resolvePrincipal } from './auth/principal';
import type { Role } from './auth/roles';
import type { Principal } from './auth/types';
import { AppError } from './errors';
import type { Logger } from './observability/logger';
import type { Runtime } from './runtime';
import { consumeCallerLimit } from './security/caller-limit';

export type { Principal } from './auth/types';

export interface Context {
  rt: Runtime;
  principal: Principal;
  requestId: string;
  log: Logger;
  /** Client IP (socket address, or the X-Forwarded-For entry the trusted proxies vouch for). */
  ip: string;
}

export async function createContext(
  rt: Runtime,
  headers: Headers | Record<string, string | string[] | undefined>,
  meta: { ip?: string } = {},
): Promise<Context> {
  const get = (k: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(k) ?? undefined;
    const v = headers[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const requestId = get('x-request-id')?.slice(0, 64) || randomUUID();
  // API token (Bearer) or session cookie; an invalid token is a 401, a stale cookie is anonymous
  const principal = await resolvePrincipal(rt, headers, meta.ip ? { ip: meta.ip } : {});
  return { rt, principal, requestId, log: rt.log.child({ requestId }), ip: meta.ip ?? 'unknown' };
}

function describeZod(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

const t = initTRPC.context<Context>().create({
  // SSE for subscriptions: pings keep proxies from closing idle streams; the client reconnects when they stop.
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const isZod = cause instanceof ZodError;
    const app = cause instanceof AppError ? cause : null;
    let message = shape.message;
    if (isZod) message = describeZod(cause);
    if (error.code === 'INTERNAL_SERVER_ERROR' && !app) message = 'internal error (see server log)';
    return {
      ...shape,
      message,
      data: {
        ...shape.data,
        stack: undefined,
        appCode: app?.code ?? (isZod ? 'BAD_REQUEST' : shape.data.code),
        details:
          app?.details ??
          (isZod
            ? { issues: cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }
            : undefined),
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * One span per procedure call, so a report run hangs off its tRPC call: the server span of the call in the web
 * process (which has no instrumentation-http server spans), a child of the caller's traceparent if one came.
 */
const traced = t.middleware(({ next, path, type }) =>
  withServerSpan(`trpc ${path}`, { 'rpc.system': 'trpc', 'rpc.method': path, 'trpc.type': type }, () =>
    next(),
  ),
);

/** AppError → TRPCError with the matching code, keeping the cause; never turn a 4xx into a 500. */
const appErrors = t.middleware(async ({ next, ctx, path }) => {
  const started = performance.now();
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      result.error = new TRPCError({ code: cause.code, message: cause.message, cause });
    } else if (result.error.code === 'INTERNAL_SERVER_ERROR') {
      ctx.log.error({ err: result.error.cause ?? result.error, path }, 'procedure failed');
    }
  }
  ctx.rt.metrics.httpRequests.observe(
    { route: `trpc:${path}`, method: 'trpc', status: result.ok ? '200' : result.error.code },
    (performance.now() - started) / 1000,
  );
  return result;
});

/** Per-user / per-token / per-IP (anonymous) request limits; see security/rate-limits.ts. */
const rateLimited = t.middleware(async ({ ctx, next }) => {
  await consumeCallerLimit(ctx.rt.db, ctx.principal, ctx.ip);
  return next();
});

export const publicProcedure = t.procedure.use(traced).use(appErrors).use(rateLimited);

/** Procedure tier: narrows `ctx.principal` to a signed-in caller with at least `role` (401/403 otherwise). */
function roleTier(role: Role) {
  return t.middleware(({ ctx, next }) =>
    next({ ctx: { ...ctx, principal: requireRole(ctx.principal, role) } }),
  );
}

export const authedProcedure = publicProcedure.use(roleTier('viewer'));
export const analystProcedure = publicProcedure.use(roleTier('analyst'));
export const adminProcedure = publicProcedure.use(roleTier('admin'));
