import { request } from 'node:http';
import { expect } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { createSession, SESSION_COOKIE } from '../auth/sessions';
import { createUser } from '../auth/users';
import { SRateLimits } from '../settings/keys';
import { setSetting } from '../settings/service';
import { type ApiServer, startApiServer } from '../test-support/api-server';

/**
 * The hostile-input suite's harness: a real runtime behind the real HTTP handler (API → page guard → a
 * stand-in page), principals of every role, raw HTTP requests (any method, path, header and body bytes),
 * a snapshot of everything a request could write, and a liveness probe with a deadline.
 */

export type As = 'anonymous' | 'viewer' | 'analyst' | 'admin' | 'adminToken' | 'analystToken';

export interface HostileCase {
  name: string;
  method?: string;
  /** Raw request target, sent as is (no normalisation). */
  path: string;
  as?: As;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Expected status (exact), or a list of acceptable ones — always 4xx. */
  status: number | readonly number[];
  /** Text the error message must contain (JSON answers). */
  message?: string | RegExp;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Tables a hostile request might write to; their row counts must not move. */
const WATCHED = [
  'realtime_quotes',
  'daily_bars',
  'symbols',
  'users',
  'sessions',
  'api_tokens',
  'settings',
  'audit_log',
  'prompt_templates',
  'reports',
  'report_sections',
] as const;

/** A deadline for any single answer: the process must keep answering in bounded time. */
export const ANSWER_DEADLINE_MS = 15_000;

export interface Harness {
  s: ApiServer;
  auth(as: As): Record<string, string>;
  send(c: Pick<HostileCase, 'method' | 'path' | 'as' | 'headers' | 'body'>): Promise<Answer>;
  snapshot(): Promise<Record<string, number>>;
  /** A cheap request that must answer 200 within the deadline (the process is not stuck). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(opts: { requestTimeoutMs?: number } = {}): Promise<Harness> {
  // inference URLs point at a closed port: /api/health answers at once instead of waiting on services
  const closed = 'http://127.0.0.1:9';
  const s = await startApiServer({
    pages: true,
    requestTimeoutMs: opts.requestTimeoutMs,
    config: {
      inference: {
        urls: { llm: closed, sentiment: closed, timeseries: closed, 'cpu-timeseries': closed },
        timeoutMs: { llm: 500, sentiment: 500, timeseries: 500, 'cpu-timeseries': 500 },
        halfOpenAfterMs: 60_000,
      },
    },
  });
  // hundreds of requests from one IP and one token: lift the limits so they test validation, not 429s
  await setSetting(
    s.rt.db,
    SRateLimits,
    {
      anonymousPerIpPerMinute: 1_000_000,
      userPerMinute: 1_000_000,
      tokenPerMinute: 1_000_000,
      loginPerIpPer15Minutes: 10_000,
      loginPerUsernamePer15Minutes: 10_000,
    },
    'test',
  );
  const session = async (username: string, role: 'viewer' | 'analyst' | 'admin') => {
    const u = await createUser(s.rt.db, { username, password: `${username}-password-1`, role });
    const { token } = await createSession(s.rt.db, u.id, { now: new Date(), ttlSeconds: 3600 });
    return `${SESSION_COOKIE}=${token}`;
  };
  const principals: Record<As, Record<string, string>> = {
    anonymous: {},
    viewer: { cookie: await session('hviewer', 'viewer') },
    analyst: { cookie: await session('hanalyst', 'analyst') },
    admin: { cookie: await session('hadmin', 'admin') },
    adminToken: {
      authorization: `Bearer ${(await createApiToken(s.rt.db, { name: 'h-admin', role: 'admin' })).token}`,
    },
    analystToken: {
      authorization: `Bearer ${(await createApiToken(s.rt.db, { name: 'h-feed', role: 'analyst' })).token}`,
    },
  };
  const { port } = new URL(s.base);

  const send: Harness['send'] = (c) =>
    new Promise<Answer>((resolve, reject) => {
      const body = c.body === undefined ? undefined : Buffer.from(c.body);
      const headers: Record<string, string> = {
        ...principals[c.as ?? 'anonymous'],
        ...(body ? { 'content-length': String(body.length) } : {}),
        ...c.headers,
      };
      const req = request({
        host: '127.0.0.1',
        port: Number(port),
        method: c.method ?? 'GET',
        path: c.path,
        headers,
        agent: false,
      });
      const timer = setTimeout(
        () => req.destroy(new Error(`no answer within ${ANSWER_DEADLINE_MS} ms`)),
        ANSWER_DEADLINE_MS,
      );
      req.on('response', (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(parts).toString('utf8'),
          });
        });
        res.on('error', reject);
      });
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(body);
    });

  return {
    s,
    auth: (as) => principals[as],
    send,
    async snapshot() {
      const rows = await s.rt.db.query<Record<string, number>>(
        `SELECT ${WATCHED.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
      );
      return rows[0]!;
    },
    async ping() {
      const res = await fetch(`${s.base}/api/trpc/auth.me`, {
        signal: AbortSignal.timeout(ANSWER_DEADLINE_MS),
      });
      expect(res.status).toBe(200);
    },
    close: () => s.close(),
  };
}

/**
 * Sends one hostile case and checks the whole contract: a 4xx answer (the expected one), a JSON error
 * naming the problem where the case says so, no row written anywhere, and the process still answering.
 */
export async function expectRefused(h: Harness, c: HostileCase): Promise<Answer> {
  const before = await h.snapshot();
  const res = await h.send(c);
  const allowed = typeof c.status === 'number' ? [c.status] : c.status;
  for (const s of allowed) expect(s, 'cases expect 4xx answers only').toBeGreaterThanOrEqual(400);
  for (const s of allowed) expect(s).toBeLessThan(500);
  const status = answerStatus(res);
  expect(
    allowed,
    `${c.method ?? 'GET'} ${c.path.slice(0, 120)} → ${status} ${res.text.slice(0, 300)}`,
  ).toContain(status);
  if (c.message !== undefined) {
    const msg = errorMessage(res.text);
    if (typeof c.message === 'string') expect(msg).toContain(c.message);
    else expect(msg).toMatch(c.message);
  }
  expect(await h.snapshot()).toEqual(before);
  await h.ping();
  return res;
}

/**
 * The status a request was answered with. tRPC subscriptions (SSE) answer 200, then an error event that
 * carries the HTTP status (`data.httpStatus`) and end the stream — `send` only returns once it ended.
 */
export function answerStatus(res: Answer): number {
  if (!String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) return res.status;
  for (const e of sseErrors(res.text)) if (typeof e.data?.httpStatus === 'number') return e.data.httpStatus;
  return res.status;
}

function sseErrors(text: string): { message?: string; data?: { httpStatus?: number } }[] {
  const out: { message?: string; data?: { httpStatus?: number } }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    try {
      const v = JSON.parse(line.slice(6)) as { message?: string; data?: { httpStatus?: number } };
      if (v && typeof v === 'object' && v.data?.httpStatus !== undefined) out.push(v);
    } catch {
      // not JSON: ignore
    }
  }
  return out;
}

/** The error message of a REST (`{error:{message}}`), tRPC (`{error:{message}}` / batch array) or SSE answer. */
export function errorMessage(text: string): string {
  const sse = sseErrors(text)[0];
  if (sse?.message !== undefined) return sse.message;
  try {
    const parsed = JSON.parse(text) as unknown;
    const one = Array.isArray(parsed) ? parsed[0] : parsed;
    const err = (one as { error?: { message?: string; json?: { message?: string } } })?.error;
    return err?.message ?? err?.json?.message ?? text;
  } catch {
    return text;
  }
}

/** `n` levels of nested arrays: `[[[…]]]`. */
export const nested = (n: number, open = '[', close = ']') => open.repeat(n) + close.repeat(n);

/** tRPC GET path for a query/subscription with a JSON input (URL-encoded). */
export const trpcGet = (proc: string, input: unknown) =>
  `/api/trpc/${proc}?input=${encodeURIComponent(typeof input === 'string' ? input : JSON.stringify(input))}`;
