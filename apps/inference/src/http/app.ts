import type { TServiceHealth } from '@investiq/contracts/inference';
import { traceLogFields } from '@investiq/telemetry';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { InferenceConfig, ServiceName } from '../config';
import { HttpError } from './errors';
import { installGuard } from './guard';
import type { ServiceMetrics } from './metrics';

export interface AppOptions {
  service: ServiceName;
  config: InferenceConfig;
  metrics: ServiceMetrics;
  health: () => TServiceHealth;
}

const FASTIFY_CODES: Record<string, { code: string; message?: (e: FastifyError, o: AppOptions) => string }> =
  {
    FST_ERR_CTP_BODY_TOO_LARGE: {
      code: 'payload_too_large',
      message: (_e, o) => `request body is larger than the limit of ${o.config.bodyLimitBytes} bytes`,
    },
    FST_ERR_CTP_INVALID_MEDIA_TYPE: {
      code: 'unsupported_media_type',
      message: (e) => `${e.message}; send the body as JSON with content-type: application/json`,
    },
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_request' },
    FST_ERR_CTP_EMPTY_JSON_BODY: {
      code: 'invalid_json',
      message: () => 'request body is empty; send a JSON object',
    },
    FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json' },
  };

/** The fastify instance shared by all four services: JSON only, body limit, error shape, /health, /metrics. */
export function createApp(options: AppOptions): FastifyInstance {
  const { config, metrics } = options;
  const app = Fastify({
    logger: { level: config.logLevel, base: { service: options.service }, mixin: traceLogFields },
    bodyLimit: config.bodyLimitBytes,
    // Idle keep-alive connections are closed on shutdown; in-flight requests finish first.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Slow clients are dropped: headers must arrive within headersTimeoutMs and the whole request (body
    // included) within requestTimeoutMs (node answers 408 and closes); checked every ≤ 1 s.
    requestTimeout: Math.max(config.requestTimeoutMs, config.headersTimeoutMs),
    http: {
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(config.headersTimeoutMs / 4))),
    },
  });

  installGuard(app, { token: config.token, allowedHosts: config.allowedHosts });

  // JSON only: drop the default text/plain parser so anything else is a 415.
  app.removeContentTypeParser('text/plain');

  // Requests in flight when close() starts get `connection: close`, so their kept-alive sockets do not
  // hold the server open after they are answered.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requestDuration
      .labels(request.method, route, String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError | HttpError | Error, request, reply) => {
    let status = 500;
    let code = 'internal_error';
    let message = 'internal error';
    let details: unknown;
    if (error instanceof HttpError) {
      status = error.statusCode;
      code = error.code;
      message = error.message;
      details = error.details;
      for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
    } else if ('code' in error && typeof error.code === 'string' && error.code in FASTIFY_CODES) {
      const known = FASTIFY_CODES[error.code]!;
      const fe = error as FastifyError;
      status = fe.statusCode ?? 400;
      code = known.code;
      message = known.message ? known.message(fe, options) : fe.message;
    } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      status = error.statusCode;
      code = 'invalid_request';
      message = error.message;
    }
    if (status >= 500 && !(error instanceof HttpError)) {
      request.log.error({ err: error }, 'unhandled error');
    }
    metrics.errors.labels(code).inc();
    return reply
      .status(status)
      .send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
  });

  app.setNotFoundHandler((request, reply) => {
    metrics.errors.labels('not_found').inc();
    return reply.status(404).send({
      error: {
        code: 'not_found',
        message: `no route ${request.method} ${request.url} on the ${options.service} service`,
      },
    });
  });

  app.get('/health', async (_request, reply) => {
    const health = options.health();
    const unusable = health.status === 'loading' || (health.status === 'degraded' && health.model === null);
    return reply.status(unusable ? 503 : 200).send(health);
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(body);
  });

  return app;
}
