import type { IncomingMessage, ServerResponse } from 'node:http';
import { symbolFormatError, ZMarket, ZMaxAgeSeconds } from '@investiq/contracts';
import { quotesStorage } from '@investiq/db';
import { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { clientIp, isDirectLoopback, requireRole, resolvePrincipal } from '../auth/principal';
import { AppError, isAppError } from '../errors';
import { getLatestQuote } from '../quotes/get-latest-quotes';
import { ingestQuotes, parseIngestBatch } from '../quotes/ingest-quotes';
import { inferenceHealth } from '../reports/health';
import { appRouter } from '../root';
import type { Runtime } from '../runtime';
import { assertJson, assertSameOrigin } from '../security/csrf';
import { consumeRateLimit } from '../security/rate-limits';
import { getQuoteSettings } from '../settings/runtime-settings';
import { createContext } from '../trpc';
import { authRoutes } from './auth-routes';

/** Ingest bodies larger than this are refused with 413 before they are read into memory. */
export const MAX_INGEST_BYTES = 4 * 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

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

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `request body of ${declared} bytes exceeds the limit of ${limit} bytes`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new AppError('PAYLOAD_TOO_LARGE', `request body exceeds the limit of ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** API token or session cookie with at least `role`, counted against the caller's rate limit. */
async function requireToken(rt: Runtime, req: IncomingMessage, role: 'viewer' | 'analyst' | 'admin') {
  const found = await resolvePrincipal(rt, req.headers);
  if (found.kind === 'anonymous')
    throw new AppError('UNAUTHORIZED', 'missing API token: send "Authorization: Bearer <token>"');
  const principal = requireRole(found, role);
  if (principal.kind === 'token') await consumeRateLimit(rt.db, 'token', principal.id);
  else if (principal.kind === 'session') await consumeRateLimit(rt.db, 'user', principal.userId);
  return { ...principal, name: principal.kind === 'token' ? principal.name : `user:${principal.username}` };
}

/**
 * The server side of apps/web other than pages: tRPC (queries, mutations, SSE subscriptions), the seed
 * design's REST market-data API, health and metrics. Returns false for paths it does not own (pages).
 */
export function createApiHandler(rt: Runtime): Handler {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/api/trpc/',
    maxBodySize: 1024 * 1024,
    createContext: async ({ req }) => {
      try {
        return await createContext(rt, req.headers, {
          ip: clientIp(req, rt.config.security?.trustProxy ?? false),
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

  const routes: {
    method: string;
    pattern: RegExp;
    name: string;
    run: (req: IncomingMessage, res: ServerResponse, m: RegExpExecArray, url: URL) => Promise<void>;
  }[] = [
    ...authRoutes(rt),
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
        const raw = await readBody(req, MAX_INGEST_BYTES);
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch (err) {
          throw new AppError('BAD_REQUEST', `body is not valid JSON: ${(err as Error).message}`);
        }
        let rows: ReturnType<typeof parseIngestBatch>;
        try {
          rows = parseIngestBatch(body, {
            now: rt.now(),
            retentionDays: (await getQuoteSettings(rt)).retentionDays,
            defaultSource: 'api',
            maxRows: rt.config.quotes.maxIngestRows,
          });
        } catch (err) {
          if (isAppError(err)) rt.metrics.ingestRejected.inc({ reason: err.code });
          throw err;
        }
        const result = await ingestQuotes(rt.db, rows);
        rt.metrics.quotesIngested.inc({ path: 'http' }, result.inserted);
        rt.metrics.quotesDuplicates.inc({ path: 'http' }, result.duplicates);
        rt.log.info({ token: principal.name, ...result }, 'quotes ingested over HTTP');
        sendJson(res, 200, result);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/market-data\/quotes\/([^/]+)\/?$/,
      name: 'latest',
      run: async (req, res, m, url) => {
        await requireToken(rt, req, 'viewer');
        const symbol = decodeURIComponent(m[1]!).trim().toUpperCase();
        const market = ZMarket.safeParse(url.searchParams.get('market') ?? undefined);
        if (!market.success)
          throw new AppError(
            'BAD_REQUEST',
            `query parameter ${market.error.issues[0]?.message ?? 'market is invalid'}`,
          );
        const fmt = symbolFormatError(market.data, symbol);
        if (fmt) throw new AppError('BAD_REQUEST', fmt);
        const rawAge = url.searchParams.get('max_age_seconds');
        let maxAge = (await getQuoteSettings(rt)).defaultMaxAgeSeconds;
        if (rawAge !== null) {
          const parsed = ZMaxAgeSeconds.safeParse(rawAge.trim() === '' ? Number.NaN : Number(rawAge));
          if (!parsed.success)
            throw new AppError(
              'BAD_REQUEST',
              `max_age_seconds: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
            );
          maxAge = parsed.data;
        }
        sendJson(res, 200, await getLatestQuote(rt.db, { market: market.data, symbol }, maxAge, rt.now()));
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/health\/?$/,
      name: 'health',
      run: async (req, res) => {
        let database: { status: 'ok' | 'down'; kind: string; quotesStorage?: string; error?: string };
        try {
          database = { status: 'ok', kind: rt.db.kind, quotesStorage: await quotesStorage(rt.db) };
        } catch (err) {
          database = { status: 'down', kind: rt.db.kind, error: (err as Error).message };
        }
        const collector = rt.collector.status();
        const collectorOk = collector.state !== 'running' || collector.lastError === null;
        const inference = await inferenceHealth(rt.inference, rt.db);
        const status = database.status === 'down' ? 'down' : collectorOk && inference.ok ? 'ok' : 'degraded';
        // anonymous callers from the network learn only up/down; details need loopback or a signed-in caller
        const detailed =
          isDirectLoopback(req) ||
          (await resolvePrincipal(rt, req.headers).catch(() => null))?.kind !== 'anonymous';
        if (!detailed) {
          sendJson(res, status === 'down' ? 503 : 200, { status, time: rt.now().toISOString() });
          return;
        }
        sendJson(res, status === 'down' ? 503 : 200, {
          status,
          time: rt.now().toISOString(),
          uptimeSeconds: Math.round((rt.now().getTime() - rt.startedAt.getTime()) / 1000),
          database,
          collector,
          inference: inference.services,
          breakers: {
            [`provider:${rt.provider.id}`]: collector.breaker,
            [rt.reports.providerPolicy.name]: rt.reports.providerPolicy.breakerState(),
            ...rt.inference.breakerStates(),
          },
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/metrics\/?$/,
      name: 'metrics',
      run: async (req, res) => {
        // Prometheus scrapes from this machine, or with a viewer+ API token (see docs/admin.md)
        if (!isDirectLoopback(req)) await requireToken(rt, req, 'viewer');
        const text = await rt.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': rt.metrics.registry.contentType });
        res.end(text);
      },
    },
  ];

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/')) return false;
    if (req.method === 'POST') {
      // CSRF: state changes only from our own origin (or from non-browser clients), and only as JSON
      try {
        assertSameOrigin(req, { trustProxy: rt.config.security?.trustProxy ?? false });
        assertJson(req);
      } catch (err) {
        if (!isAppError(err)) throw err;
        sendError(res, err);
        return true;
      }
    }
    if (url.pathname.startsWith('/api/trpc/')) {
      trpc(req, res);
      return true;
    }
    const started = performance.now();
    const route = routes.find((r) => r.pattern.test(url.pathname));
    let routeName = 'unknown';
    try {
      if (!route) throw new AppError('NOT_FOUND', `no API route ${url.pathname}`);
      routeName = route.name;
      if (req.method !== route.method) {
        res.setHeader('allow', route.method);
        throw new AppError(
          'METHOD_NOT_SUPPORTED',
          `method ${req.method} not allowed on ${url.pathname}; use ${route.method}`,
        );
      }
      await route.run(req, res, route.pattern.exec(url.pathname)!, url);
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
}

export { applySecurityHeaders } from '../security/headers';
export { firstRunSetupLink } from './first-run';
export { createPageGuard } from './page-guard';
