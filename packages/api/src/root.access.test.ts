import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from './auth/api-tokens';
import { ROLES, type Role } from './auth/roles';
import { createSession, SESSION_COOKIE } from './auth/sessions';
import { createUser } from './auth/users';
import { appRouter, createCaller } from './root';
import type { Runtime } from './runtime';
import { createTestRuntime } from './test-support/runtime';
import { createContext } from './trpc';

/**
 * Who may call what — one decision per procedure. A procedure missing here fails the test: decide its
 * tier when you add it. 'public' = anyone incl. anonymous; the roles are minimums (admin ⊃ analyst ⊃ viewer).
 */
const DECISIONS: Record<string, 'public' | Role> = {
  'auth.me': 'public',
  'settings.uiDefaults': 'public',
  'quotes.latest': 'viewer',
  'quotes.latestMany': 'viewer',
  'quotes.history': 'viewer',
  'quotes.live': 'viewer',
  'quotes.limits': 'viewer',
  'market.symbols': 'viewer',
  'market.search': 'viewer',
  'system.status': 'viewer',
  'collector.status': 'viewer',
  'collector.pause': 'admin',
  'collector.resume': 'admin',
  'tokens.create': 'admin',
  'tokens.list': 'admin',
  'tokens.revoke': 'admin',
  'users.list': 'admin',
  'users.create': 'admin',
  'users.update': 'admin',
  'users.delete': 'admin',
  'settings.list': 'admin',
  'settings.history': 'admin',
  'settings.set': 'admin',
  'settings.rollback': 'admin',
  'audit.list': 'admin',
  'reports.list': 'viewer',
  'reports.get': 'viewer',
  'reports.create': 'analyst',
  'reports.progress': 'viewer',
  'reports.markdown': 'viewer',
  'reports.trackRecord': 'viewer',
  'reports.settings': 'viewer',
  'backtests.strategies': 'viewer',
  'backtests.list': 'viewer',
  'backtests.get': 'viewer',
  'backtests.run': 'analyst',
  'backtests.export': 'viewer',
  'prompts.list': 'admin',
  'prompts.create': 'admin',
  'prompts.rollback': 'admin',
  'prompts.preview': 'admin',
  'operations.overview': 'admin',
  'providers.overview': 'admin',
  'providers.testConnection': 'admin',
  'imports.csv': 'admin',
  'notifications.channelTypes': 'viewer',
  'notifications.list': 'analyst',
  'notifications.create': 'analyst',
  'notifications.delete': 'analyst',
  'notifications.sendTest': 'analyst',
  'notifications.deadLetters': 'admin',
  'notifications.retry': 'admin',
  'notifications.discard': 'admin',
  'portfolio.list': 'viewer',
  'portfolio.create': 'viewer',
  'portfolio.setBaseCurrency': 'viewer',
  'portfolio.get': 'viewer',
  'portfolio.history': 'viewer',
  'portfolio.transactions': 'viewer',
  'portfolio.addTransaction': 'viewer',
  'portfolio.deleteTransaction': 'viewer',
  'portfolio.importCsv': 'viewer',
  'portfolio.fxRates': 'viewer',
  'portfolio.setFxRate': 'admin',
  'watchlists.list': 'viewer',
  'watchlists.get': 'viewer',
  'watchlists.create': 'viewer',
  'watchlists.rename': 'viewer',
  'watchlists.delete': 'viewer',
  'watchlists.addItem': 'viewer',
  'watchlists.removeItem': 'viewer',
  'watchlists.moveItem': 'viewer',
  'alerts.list': 'viewer',
  'alerts.create': 'analyst',
  'alerts.delete': 'analyst',
  'alerts.history': 'viewer',
  'alerts.markRead': 'viewer',
  'alerts.unreadCount': 'viewer',
  'alerts.unread': 'viewer',
  'schedules.list': 'viewer',
  'schedules.create': 'analyst',
  'schedules.update': 'analyst',
  'schedules.delete': 'analyst',
  'schedules.runs': 'viewer',
  'schedules.unreadCount': 'viewer',
  'schedules.markRead': 'viewer',
  'alerts.quietHours': 'viewer',
  'alerts.setQuietHours': 'viewer',
};

const RANK = { public: -1, viewer: 0, analyst: 1, admin: 2 } as const;
const DENIED = new Set(['UNAUTHORIZED', 'FORBIDDEN']);
/** Never valid input: every procedure with an input schema rejects it after the role check, so nothing runs. */
const PROBE = '__role_matrix_probe__';

type Caller = { label: string; rank: number; headers: Record<string, string> };

describe('role matrix generated from the router', () => {
  let rt: Runtime;
  const callers: Caller[] = [{ label: 'anonymous', rank: -1, headers: {} }];
  const procedures = Object.keys(
    (appRouter as unknown as { _def: { procedures: object } })._def.procedures,
  ).sort();

  beforeAll(async () => {
    rt = await createTestRuntime();
    for (const role of ROLES) {
      const user = await createUser(rt.db, { username: `m-${role}`, password: `${role}-password-1`, role });
      const { token } = await createSession(rt.db, user.id, { now: rt.now(), ttlSeconds: 600 });
      callers.push({
        label: `session:${role}`,
        rank: RANK[role],
        headers: { cookie: `${SESSION_COOKIE}=${token}` },
      });
      const api = await createApiToken(rt.db, { name: `m-${role}`, role });
      callers.push({
        label: `token:${role}`,
        rank: RANK[role],
        headers: { authorization: `Bearer ${api.token}` },
      });
    }
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('has a decision for every procedure, and none for procedures that do not exist', () => {
    const undecided = procedures.filter((p) => !(p in DECISIONS));
    expect(undecided, 'procedures without an access decision').toEqual([]);
    const mounted = new Set(procedures.map((p) => p.split('.')[0]));
    // decisions for routers not mounted (yet) are skipped; within a mounted router they must all exist
    const stale = Object.keys(DECISIONS).filter(
      (p) => mounted.has(p.split('.')[0]) && !procedures.includes(p),
    );
    expect(stale, 'decisions for procedures that do not exist').toEqual([]);
  });

  it('allows and denies every procedure × caller as decided', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const path of procedures) {
      const decision = DECISIONS[path];
      if (decision === undefined) continue;
      for (const c of callers) {
        const ctx = await createContext(rt, c.headers, { ip: '127.0.0.1' });
        const caller = createCaller(ctx) as unknown as Record<
          string,
          Record<string, (i: unknown) => unknown>
        >;
        const [ns, name] = path.split('.') as [string, string];
        let code = 'OK';
        try {
          const out = await caller[ns]![name]!(PROBE);
          // a subscription that got through: close it without consuming
          await (out as AsyncIterable<unknown> | undefined)?.[Symbol.asyncIterator]?.().return?.();
        } catch (err) {
          code = err instanceof TRPCError ? err.code : 'THROWN';
        }
        checked++;
        const expectAllowed = c.rank >= RANK[decision];
        const allowed = !DENIED.has(code);
        if (allowed !== expectAllowed)
          wrong.push(
            `${path} as ${c.label}: ${allowed ? 'allowed' : 'denied'} (${code}), expected ${expectAllowed ? 'allowed' : 'denied'}`,
          );
        if (!expectAllowed)
          expect(code, `${path} as ${c.label}`).toBe(c.rank === -1 ? 'UNAUTHORIZED' : 'FORBIDDEN');
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(procedures.length * callers.length);
  });
});
