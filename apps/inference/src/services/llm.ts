import { PassThrough } from 'node:stream';
import { ZChatCompletionRequest, ZChatUsage } from '@investiq/contracts/inference';
import { createChatStreamReader } from '@investiq/inference-client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FairQueue } from '../batching/fair-queue';
import { QueueFullError } from '../batching/micro-batcher';
import { HttpError, parseOr400, queueFull } from '../http/errors';
import { callerOf } from '../http/guard';
import type { ServiceContext, ServiceRuntime } from './types';
import { errorText } from './types';

/**
 * OpenAI-compatible chat completions, forwarded to LLM_UPSTREAM_URL (an OpenAI base URL such as
 * http://llm:8080/v1 for llama.cpp's llama-server, http://host:11434/v1 for Ollama, or vLLM's).
 * A fair queue bounds concurrent upstream calls and the queue in front of them; callers take turns.
 */
export function createLlmService(ctx: ServiceContext): ServiceRuntime {
  const { config, metrics, log } = ctx;
  const llm = config.llm;
  const limiter = new FairQueue({
    concurrency: llm.maxConcurrency,
    maxQueue: llm.maxQueue,
    maxPerCaller: Math.max(1, Math.ceil((llm.maxQueue * 3) / 4)),
  });
  const inFlight = new Set<AbortController>();
  let closing = false;

  const queueDepth = () => limiter.depth;
  const endpoint = llm.upstreamUrl ? `${llm.upstreamUrl.replace(/\/+$/, '')}/chat/completions` : undefined;
  if (!endpoint)
    log.warn('LLM_UPSTREAM_URL is not set: /v1/chat/completions answers 503 until it is configured');
  else log.info({ upstream: redact(llm.upstreamUrl!), model: llm.model }, 'llm upstream configured');

  function countUsage(usage: unknown): boolean {
    const parsed = ZChatUsage.safeParse(usage);
    if (!parsed.success) return false;
    metrics.llmPromptTokens.inc(parsed.data.prompt_tokens);
    metrics.llmCompletionTokens.inc(parsed.data.completion_tokens);
    return true;
  }

  async function callUpstream(body: Record<string, unknown>, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (llm.apiKey) headers.authorization = `Bearer ${llm.apiKey}`;
    let res: Response;
    try {
      res = await fetch(endpoint!, { method: 'POST', headers, body: JSON.stringify(body), signal });
    } catch (err) {
      throw upstreamFailure(err, signal);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new HttpError(
        502,
        'upstream_error',
        `LLM upstream answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 300)}` : ''}`,
        { upstreamStatus: res.status },
      );
    }
    return res;
  }

  function upstreamFailure(err: unknown, signal: AbortSignal): HttpError {
    if (signal.aborted) {
      const reason: unknown = signal.reason;
      if (reason instanceof HttpError) return reason;
      return new HttpError(499, 'client_closed', 'client closed the request');
    }
    return new HttpError(
      502,
      'upstream_unreachable',
      `LLM upstream unreachable: ${errorText(err)}`,
      undefined,
      {},
      {
        cause: err,
      },
    );
  }

  async function handle(request: FastifyRequest, reply: FastifyReply) {
    if (!endpoint) {
      throw new HttpError(
        503,
        'llm_unconfigured',
        'no LLM upstream configured: set LLM_UPSTREAM_URL to an OpenAI-compatible server (llama-server, Ollama, vLLM)',
      );
    }
    if (closing)
      throw new HttpError(503, 'shutting_down', 'service is shutting down', undefined, {
        'retry-after': '1',
      });
    const parsed = parseOr400(ZChatCompletionRequest, request.body);
    const body: Record<string, unknown> = { ...parsed };
    if (body.model === undefined && llm.model) body.model = llm.model;

    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(
          new HttpError(504, 'upstream_timeout', `LLM upstream did not finish within ${llm.timeoutMs} ms`),
        ),
      llm.timeoutMs,
    );
    // The client went away before we answered: cancel the upstream generation.
    const onClose = () => {
      if (!reply.raw.writableFinished)
        controller.abort(new HttpError(499, 'client_closed', 'client closed the request'));
    };
    reply.raw.on('close', onClose);
    inFlight.add(controller);
    const cleanup = () => {
      clearTimeout(timer);
      reply.raw.off('close', onClose);
      inFlight.delete(controller);
    };

    try {
      return await limiter.run(
        callerOf(request),
        async () => {
          metrics.queueDepth.set(queueDepth());
          if (parsed.stream === true) return await stream(body, controller, reply, cleanup);
          try {
            const res = await callUpstream(body, controller.signal);
            let json: unknown;
            try {
              json = await res.json();
            } catch (err) {
              if (controller.signal.aborted) throw upstreamFailure(err, controller.signal);
              throw new HttpError(502, 'upstream_error', `LLM upstream sent invalid JSON: ${errorText(err)}`);
            }
            countUsage((json as { usage?: unknown } | null)?.usage);
            return reply.send(json);
          } finally {
            cleanup();
          }
        },
        controller.signal,
      );
    } catch (err) {
      cleanup();
      if (err instanceof QueueFullError) {
        throw queueFull(`LLM is busy: ${llm.maxConcurrency} generations running and ${llm.maxQueue} waiting`);
      }
      if (controller.signal.aborted && !(err instanceof HttpError))
        throw upstreamFailure(err, controller.signal);
      throw err;
    } finally {
      metrics.queueDepth.set(queueDepth());
    }
  }

  /** Relays the upstream SSE stream chunk by chunk, counting tokens on the way. Resolves when it ends. */
  async function stream(
    body: Record<string, unknown>,
    controller: AbortController,
    reply: FastifyReply,
    cleanup: () => void,
  ): Promise<FastifyReply> {
    let res: Response;
    try {
      res = await callUpstream(body, controller.signal);
    } catch (err) {
      cleanup();
      throw err;
    }
    const out = new PassThrough();
    reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no');
    void reply.send(out);

    let usageSeen = false;
    let contentChunks = 0;
    // the relay forwards bytes as they come and reads them with the shared chat-stream reader to count tokens
    const reader = createChatStreamReader({
      onChunk(chunk) {
        if (chunk.usage && countUsage(chunk.usage)) usageSeen = true;
        if (chunk.choices.some((c) => typeof c.delta?.content === 'string' && c.delta.content.length > 0))
          contentChunks += 1;
      },
    });
    try {
      for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (!out.write(part)) await new Promise<void>((r) => out.once('drain', r));
        reader.feed(part);
      }
      reader.end();
    } catch (err) {
      const failure = upstreamFailure(err, controller.signal);
      if (failure.code !== 'client_closed') {
        log.warn({ code: failure.code }, `llm stream ended early: ${failure.message}`);
        out.write(`data: ${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n\n`);
      }
      metrics.errors.labels(failure.code).inc();
    } finally {
      // Without upstream usage, each content chunk counts as one generated token (llama-server and
      // Ollama stream one token per chunk); the prompt is then not counted.
      if (!usageSeen) metrics.llmCompletionTokens.inc(contentChunks);
      out.end();
      cleanup();
    }
    return reply;
  }

  return {
    name: 'llm',
    ready: Promise.resolve(),
    health: () => ({
      status: endpoint ? 'ok' : 'unconfigured',
      service: 'llm',
      model: endpoint
        ? {
            name: llm.model ?? 'upstream default',
            version: 'upstream',
            sha256: null,
            executionProvider: 'upstream',
            requestedProvider: 'upstream',
          }
        : null,
      warmedUp: endpoint !== undefined,
      queue: { depth: queueDepth(), max: llm.maxQueue },
    }),
    routes(app: FastifyInstance) {
      app.post('/v1/chat/completions', (request, reply) => handle(request, reply));
      app.get('/v1/models', async () => {
        if (!endpoint)
          throw new HttpError(503, 'llm_unconfigured', 'no LLM upstream configured: set LLM_UPSTREAM_URL');
        return {
          object: 'list',
          data: [{ id: llm.model ?? 'upstream default', object: 'model', owned_by: 'upstream' }],
        };
      });
    },
    async drain() {
      closing = true;
      const deadline = Date.now() + config.shutdownTimeoutMs;
      while (inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
    async close() {
      closing = true;
      const deadline = Date.now() + config.shutdownTimeoutMs;
      while (inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const c of inFlight) c.abort(new HttpError(503, 'shutting_down', 'service is shutting down'));
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
