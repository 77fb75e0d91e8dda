import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { writeAudit } from '../audit/audit-log';
import { clientIp, isHttps } from '../auth/principal';
import { createSession, deleteSession, parseCookies, SESSION_COOKIE, sessionCookie } from '../auth/sessions';
import { checkSetupToken, createFirstAdmin, forgetSetupToken } from '../auth/setup';
import { assertSignInAllowed, recordSignInFailure, recordSignInSuccess } from '../auth/sign-in-limits';
import { authenticate, countUsers, ZUsername } from '../auth/users';
import { AppError } from '../errors';
import type { Runtime } from '../runtime';
import { consumeRateLimit } from '../security/rate-limits';
import { SSessions } from '../settings/keys';
import { getSetting } from '../settings/service';
import { readBody } from './read-body';

export interface ApiRoute {
  method: string;
  pattern: RegExp;
  name: string;
  run: (req: IncomingMessage, res: ServerResponse, m: RegExpExecArray, url: URL) => Promise<void>;
}

const MAX_AUTH_BODY = 16 * 1024;

async function readJson<T>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>): Promise<T> {
  const raw = await readBody(req, res, MAX_AUTH_BODY);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new AppError('BAD_REQUEST', `${i.path.join('.') || 'body'}: ${i.message}`);
  }
  return parsed.data;
}

function send(res: ServerResponse, status: number, body: unknown, cookie?: string): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  };
  if (cookie) headers['set-cookie'] = cookie;
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

const ZLogin = z.object({
  username: z.string().min(1, 'username is required').max(64),
  password: z.string().min(1, 'password is required').max(256),
});
const ZSetup = z.object({
  token: z.string().min(1, 'the setup token from the server log is required').max(128),
  username: ZUsername,
  password: z.string().max(256),
});

async function startSession(rt: Runtime, req: IncomingMessage, userId: string) {
  const ttlSeconds = Math.round((await getSetting(rt.db, SSessions)).maxAgeHours * 3600);
  const { token } = await createSession(rt.db, userId, { now: rt.now(), ttlSeconds });
  return sessionCookie(token, { secure: isHttps(req), maxAgeSeconds: ttlSeconds });
}

/** Password sign-in, sign-out and first-run setup. Rate limits: see auth/sign-in-limits.ts. */
export function authRoutes(rt: Runtime): ApiRoute[] {
  const trustProxy = rt.config.security?.trustProxy;
  return [
    {
      method: 'POST',
      pattern: /^\/api\/auth\/login\/?$/,
      name: 'auth:login',
      run: async (req, res) => {
        const ip = clientIp(req, trustProxy);
        await consumeRateLimit(rt.db, 'loginIp', ip);
        const input = await readJson(req, res, ZLogin);
        const username = input.username.trim().toLowerCase();
        await assertSignInAllowed(rt.db, { username, ip, now: rt.now() });
        const user = await authenticate(rt.db, username, input.password);
        if (!user) {
          await recordSignInFailure(rt.db, { username, ip });
          await writeAudit(rt.db, {
            actor: 'anonymous',
            action: 'auth.login_failed',
            target: `user:${username}`,
            ip,
          });
          throw new AppError('UNAUTHORIZED', 'wrong username or password');
        }
        await recordSignInSuccess(rt.db, { username, ip });
        const cookie = await startSession(rt, req, user.id);
        await writeAudit(rt.db, {
          actor: `user:${user.username}`,
          action: 'auth.login',
          target: `user:${user.username}`,
          ip,
        });
        send(res, 200, { user: { username: user.username, role: user.role } }, cookie);
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/auth\/logout\/?$/,
      name: 'auth:logout',
      run: async (req, res) => {
        const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
        if (token) await deleteSession(rt.db, token);
        send(res, 200, { signedOut: true }, sessionCookie(null, { secure: isHttps(req), maxAgeSeconds: 0 }));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/auth\/setup\/?$/,
      name: 'auth:setup',
      run: async (req, res) => {
        const ip = clientIp(req, trustProxy);
        await consumeRateLimit(rt.db, 'loginIp', ip);
        const input = await readJson(req, res, ZSetup);
        if ((await countUsers(rt.db)) > 0)
          throw new AppError('CONFLICT', 'setup is already done; sign in instead');
        if (!(await checkSetupToken(rt.db, input.token)))
          throw new AppError('FORBIDDEN', 'invalid setup token; use the link printed in the server log');
        const user = await createFirstAdmin(rt.db, { username: input.username, password: input.password });
        await forgetSetupToken(rt.db);
        await writeAudit(rt.db, {
          actor: `user:${user.username}`,
          action: 'user.create',
          target: `user:${user.username}`,
          newValue: { username: user.username, role: user.role, via: 'first-run setup' },
          ip,
        });
        const cookie = await startSession(rt, req, user.id);
        rt.log.info({ username: user.username }, 'first admin created by the setup link');
        send(res, 200, { user: { username: user.username, role: user.role } }, cookie);
      },
    },
  ];
}
