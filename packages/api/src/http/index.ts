import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import { ZMarketSymbol } from '@investiq/contracts';
import { withIncomingContext, withServerSpan } from '@investiq/telemetry';
import { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { bearerToken } from '../auth/api-tokens';
import { clientIp, requireRole, resolvePrincipal } from '../auth/principal';
import { roleAtLeast } from '../auth/roles';
import { AppError, isAppError } from '../errors';
import { importCsv, MAX_IMPORT_BYTES } from '../market/csv-import';
import { createHealthCache } from '../observability/health-check';
import { recordIngest } from '../observability/metrics';
import { freshnessOptions } from '../quotes/freshness-options';
import { getLatestQuote } from '../quotes/get-latest-quotes';
import { validateAndIngest } from '../quotes/ingest-pipeline';
import { apiSourceError } from '../quotes/ingest-quotes';
import { appRouter } from '../root';
import type { Runtime } from '../runtime';
import { consumeCallerLimit } from '../security/caller-limit';
import { fromTrustedProxy } from '../security/client-ip';
import { assertCsv, assertJson, assertSameOrigin } from '../security/csrf';
import { getQuoteSettings } from '../settings/runtime-settings';
import { createContext } from '../trpc';
import { alertRoutes } from './alert-routes';
import { authRoutes } from './auth-routes';
import { notificationRoutes } from './notification-routes';
import { parseMaxAgeParam, QUOTE_STREAM_PATH, quoteStreamRoute } from './quote-stream';
import { readBody } from './read-body';
import { scheduleRoutes } from './schedule-routes';
import { createStreamGuard, DEFAULT_STREAM_LIMITS } from './stream-guard';

/** Ingest bodies larger than this are refused with 413 before they are read into memory. */
export const MAX_INGEST_BYTES = 4 * 1024 * 1024;
/** Admin CSV upload (docs/csv-import.md): `POST /api/admin/import?kind=bars|fundamentals&file=<name>`, text/csv. */
export const IMPORT_PATH = /^\/api\/admin\/import\/?$/;
/** Most procedure calls in one batched tRPC request. */
export const MAX_TRPC_BATCH = 64;

/**
 * Options for the web's `http.createServer`: a request's headers and body must arrive within
 * `requestTimeoutMs` (default 60 s), else Node answers 408 and closes — a client that sends half a body
 * cannot hold a connection and a handler forever. Long answers (SSE) are not limited: the request is done.
 */
export function webServerOptions(o: { requestTimeoutMs?: number } = {}): ServerOptions {
  const requestTimeout = o.requestTimeoutMs ?? 60_000;
  return {
    requestTimeout,
    headersTimeout: Math.min(20_000, requestTimeout),
    connectionsCheckingInterval: Math.min(5_000, Math.max(250, Math.floor(requestTimeout / 2))),
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const sha = (s: string) => createHash('sha256').update(s).digest();
/** Constant-time comparison of two secrets of any length. */
const safeEqual = (a: string, b: string) => timingSafeEqual(sha(a), sha(b));

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: AppError): void {
  sendJson(res, err.status, {
    error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
  });
}

/**
 * The one REST gate: API token or session cookie with at least `role` (auth's requireRole), counted against
 * the caller's rate limit exactly as a tRPC call is (security/caller-limit.ts).
 */
async function requireToken(rt: Runtime, req: IncomingMessage, role: 'viewer' | 'analyst' | 'admin') {
  const ip = clientIp(req, rt.config.security?.trustProxy);
  const found = await resolvePrincipal(rt, req.headers, { ip });
  if (found.kind === 'anonymous')
    throw new AppError('UNAUTHORIZED', 'missing API token: send "Authorization: Bearer <token>"');
  const principal = requireRole(found, role);
  await consumeCallerLimit(rt.db, principal, ip);
  return { ...principal, name: principal.kind === 'token' ? principal.name : `user:${principal.username}` };
}

/** tRPC procedure paths that are subscriptions (long-lived SSE responses). */
const SUBSCRIPTIONS = new Set(
  Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
    .filter(([, p]) => p._def.type === 'subscription')
    .map(([path]) => path),
);
const isSubscription = (pathname: string) =>
  pathname
    .slice('/api/trpc/'.length)
    .split(',')
    .some((p) => SUBSCRIPTIONS.has(decodeURIComponent(p)));

/**
 * The server side of apps/web other than pages: tRPC (queries, mutations, SSE subscriptions), the seed
 * design's REST market-data API, health and metrics. Returns false for paths it does not own (pages).
 */
export function createApiHandler(rt: Runtime): Handler {
  const trust = rt.config.security?.trustProxy;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/api/trpc/',
    maxBodySize: 1024 * 1024,
    // one request must not fan out into thousands of procedure calls (the web client batches ≤ 32)
    maxBatchSize: MAX_TRPC_BATCH,
    createContext: async ({ req }) => {
      try {
        return await createContext(rt, req.headers, {
          ip: clientIp(req, trust),
        });
      } catch (err) {
        if (isAppError(err)) throw new TRPCError({ code: err.code, message: err.message, cause: err });
        throw err;
      }
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        rt.log.error({ err: error.cause ?? error, path }, 'trpc error');
    },
  });

  const streamLimits = { ...DEFAULT_STREAM_LIMITS, ...rt.config.streams };
  const streams = createStreamGuard(rt, streamLimits);
  const health = createHealthCache(rt, rt.config.healthCacheMs ?? 5_000);
  const metricsToken = rt.config.security?.metricsToken;
  /** Monitoring (metrics, health details): the METRICS_TOKEN bearer, or an admin session or API token. */
  const monitoringAccess = async (req: IncomingMessage): Promise<'granted' | 'denied' | 'anonymous'> => {
    const presented = bearerToken(req.headers.authorization);
    if (metricsToken && presented && safeEqual(presented, metricsToken)) return 'granted';
    let p: Awaited<ReturnType<typeof resolvePrincipal>>;
    try {
      p = await resolvePrincipal(rt, req.headers, { ip: clientIp(req, trust) });
    } catch (err) {
      if (isAppError(err) && err.code === 'TOO_MANY_REQUESTS') throw err;
      return 'anonymous';
    }
    if (p.kind === 'anonymous') return 'anonymous';
    return roleAtLeast(p.role, 'admin') ? 'granted' : 'denied';
  };

  const routes: {
    method: string;
    pattern: RegExp;
    name: string;
    run: (req: IncomingMessage, res: ServerResponse, m: RegExpExecArray, url: URL) => Promise<void>;
  }[] = [
    ...authRoutes(rt),
    ...alertRoutes(rt, (req, role) => requireToken(rt, req, role)),
    ...scheduleRoutes(rt, (req, role) => requireToken(rt, req, role)),
    ...notificationRoutes(
      rt,
      (req, role) => requireToken(rt, req, role),
      (req) => clientIp(req, trust),
    ),
    quoteStreamRoute(rt, {
      guard: streams,
      limits: streamLimits,
      requireViewer: (req) => requireToken(rt, req, 'viewer'),
      clientIp: (req) => clientIp(req, trust),
    }),
    {
      method: 'POST',
      pattern: /^\/api\/v1\/market-data\/quotes\/?$/,
      name: 'ingest',
      run: async (req, res) => {
        const principal = await requireToken(rt, req, 'analyst');
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/json') {
          throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            `content-type must be application/json (got ${type || 'none'})`,
          );
        }
        const raw = await readBody(req, res, MAX_INGEST_BYTES);
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch (err) {
          throw new AppError('BAD_REQUEST', `body is not valid JSON: ${(err as Error).message}`);
        }
        let written: Awaited<ReturnType<typeof validateAndIngest>>;
        try {
          written = await validateAndIngest(rt.db, body, {
            now: rt.now(),
            retentionDays: (await getQuoteSettings(rt)).retentionDays,
            defaultSource: 'api',
            checkSource: apiSourceError,
            maxRows: rt.config.quotes.maxIngestRows,
          });
        } catch (err) {
          if (isAppError(err)) rt.metrics.ingestRejected.inc({ reason: err.code });
          throw err;
        }
        const { rows, ...result } = written;
        recordIngest(rt.metrics, 'http', rows, result, rt.now());
        rt.log.info({ token: principal.name, ...result }, 'quotes ingested over HTTP');
        sendJson(res, 200, result);
      },
    },
    {
      method: 'POST',
      pattern: IMPORT_PATH,
      name: 'csv-import',
      run: async (req, res, _m, url) => {
        const principal = await requireToken(rt, req, 'admin');
        const kind = url.searchParams.get('kind') ?? 'bars';
        if (kind !== 'bars' && kind !== 'fundamentals')
          throw new AppError('BAD_REQUEST', `kind must be bars or fundamentals (got '${kind.slice(0, 40)}')`);
        const raw = await readBody(req, res, MAX_IMPORT_BYTES);
        const result = await importCsv(rt.db, raw, {
          kind,
          actor: principal.kind === 'token' ? `token:${principal.name}` : principal.name,
          ip: clientIp(req, trust),
          fileName: url.searchParams.get('file')?.slice(0, 200) ?? undefined,
        });
        rt.log.info({ by: principal.name, ...result }, 'CSV imported');
        sendJson(res, 200, result);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/market-data\/quotes\/([^/]+)\/?$/,
      name: 'latest',
      run: async (req, res, m, url) => {
        await requireToken(rt, req, 'viewer');
        let symbol: string;
        try {
          symbol = decodeURIComponent(m[1]!);
        } catch {
          throw new AppError('BAD_REQUEST', 'symbol: malformed percent-encoding in the path');
        }
        // the same schema as tRPC's inputs: market, then the symbol's per-market format
        const ref = ZMarketSymbol.safeParse({ market: url.searchParams.get('market') ?? undefined, symbol });
        if (!ref.success) {
          const issue = ref.error.issues[0];
          const where = issue?.path[0] === 'market' ? 'query parameter ' : '';
          throw new AppError('BAD_REQUEST', `${where}${issue?.message ?? 'market or symbol is invalid'}`);
        }
        const maxAge =
          parseMaxAgeParam(url.searchParams.get('max_age_seconds')) ??
          (await getQuoteSettings(rt)).defaultMaxAgeSeconds;
        sendJson(res, 200, await getLatestQuote(rt.db, ref.data, maxAge, rt.now(), freshnessOptions(rt)));
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/health\/?$/,
      name: 'health',
      run: async (req, res) => {
        const h = await health.get();
        const code = h.status === 'down' ? 503 : 200;
        // the details (versions, errors, breaker states) are for operators: an admin or the metrics credential
        if ((await monitoringAccess(req)) !== 'granted') {
          sendJson(res, code, { status: h.status, time: h.time });
          return;
        }
        sendJson(res, code, h);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/metrics\/?$/,
      name: 'metrics',
      run: async (req, res) => {
        const access = await monitoringAccess(req);
        if (access === 'anonymous')
          throw new AppError(
            'UNAUTHORIZED',
            'metrics need "Authorization: Bearer <METRICS_TOKEN>" or an admin session or token',
          );
        if (access === 'denied')
          throw new AppError('FORBIDDEN', 'metrics need the admin role or METRICS_TOKEN');
        const text = await rt.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': rt.metrics.registry.contentType });
        res.end(text);
      },
    },
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const isTrpc = url.pathname.startsWith('/api/trpc/');
    // the quote stream is read with a session cookie like tRPC: our own pages and programmatic clients only
    // a PATCH where no route takes one is answered 405 below, before its body is judged
    const hasRoute = (method: string, path: string) =>
      routes.some((r) => r.method === method && r.pattern.test(path));
    const isStream = QUOTE_STREAM_PATH.test(url.pathname);
    if (req.method === 'POST' || req.method === 'PATCH' || req.method === 'DELETE' || isTrpc || isStream) {
      // CSRF: state changes only from our own origin (or from non-browser clients), and only as JSON.
      // tRPC GETs too: some compute (prompts.preview runs every report module), and a cross-site link
      // carries a SameSite=Lax cookie; only our own pages and programmatic clients call tRPC.
      try {
        assertSameOrigin(req, { trustProxy: fromTrustedProxy(req, trust) });
        // the CSV upload sends text/csv, which a plain HTML form cannot send either
        if (req.method === 'POST' && IMPORT_PATH.test(url.pathname)) assertCsv(req);
        else if (req.method === 'POST' || (req.method === 'PATCH' && hasRoute('PATCH', url.pathname)))
          assertJson(req);
      } catch (err) {
        if (!isAppError(err)) throw err;
        sendError(res, err);
        return true;
      }
    }
    if (isTrpc) {
      if (isSubscription(url.pathname)) {
        try {
          await streams.admit(req, res, clientIp(req, trust));
        } catch (err) {
          if (!isAppError(err)) throw err;
          sendError(res, err);
          return true;
        }
      }
      trpc(req, res);
      return true;
    }
    const started = performance.now();
    // several methods may share a path (GET/DELETE of one resource): match path and method together
    const onPath = routes.filter((r) => r.pattern.test(url.pathname));
    const route = onPath.find((r) => r.method === req.method) ?? onPath[0];
    let routeName = 'unknown';
    try {
      if (!route) throw new AppError('NOT_FOUND', `no API route ${url.pathname}`);
      routeName = route.name;
      if (req.method !== route.method) {
        const allowed = onPath.map((r) => r.method).join(', ');
        res.setHeader('allow', allowed);
        throw new AppError(
          'METHOD_NOT_SUPPORTED',
          `method ${req.method} not allowed on ${url.pathname}; use ${allowed}`,
        );
      }
      await withServerSpan(
        `${req.method} ${route.name}`,
        { 'http.request.method': req.method ?? 'GET', 'http.route': route.name, 'url.path': url.pathname },
        () => route.run(req, res, route.pattern.exec(url.pathname)!, url),
      );
    } catch (err) {
      if (isAppError(err)) {
        sendError(res, err);
      } else {
        rt.log.error({ err, path: url.pathname }, 'api route failed');
        sendJson(res, 500, {
          error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal error (see server log)' },
        });
      }
    } finally {
      rt.metrics.httpRequests.observe(
        { route: routeName, method: req.method ?? 'GET', status: String(res.statusCode) },
        (performance.now() - started) / 1000,
      );
    }
    return true;
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/')) return false;
    // a caller's W3C traceparent: the procedure's or route's span continues that trace
    return withIncomingContext(req.headers, () => handle(req, res, url));
  };
}

export { applySecurityHeaders } from '../security/headers';
export { firstRunSetupLink } from './first-run';
export {
  createPageData,
  type DashboardData,
  PAGE_DATA_KEY,
  type PageData,
  publishPageData,
  WATCHLIST_COOKIE,
} from './page-data';
export { createPageGuard } from './page-guard';
