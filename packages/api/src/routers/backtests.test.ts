import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { BacktestService } from '../backtests/backtest-service';
import { AppError } from '../errors';
import { createApiHandler } from '../http/index';
import type { Runtime } from '../runtime';
import { createTestRuntime, waitFor } from '../test-support/runtime';

// tRPC backtests over real HTTP on a real (test) database with the demo market's stored daily bars; the run
// itself goes through the real worker thread.
// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();

let rt: Runtime;
let server: Server;
let base: string;
let analyst: string;
let viewer: string;
let from: string;
let to: string;

beforeAll(async () => {
  rt = await createTestRuntime();
  const handler = createApiHandler(rt);
  server = createServer((req, res) => {
    handler(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
      () => res.end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  analyst = (await createApiToken(rt.db, { name: 'analyst', role: 'analyst' })).token;
  viewer = (await createApiToken(rt.db, { name: 'viewer', role: 'viewer' })).token;
  const [r] = await rt.db.query<{ a: string; b: string }>(
    `SELECT to_char(min(date), 'YYYY-MM-DD') AS a, to_char(max(date), 'YYYY-MM-DD') AS b
       FROM daily_bars WHERE market = 'CN' AND symbol = '600519.SH'`,
  );
  from = r!.a;
  to = r!.b;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await rt?.close();
});

const run = (input: unknown, token = analyst) =>
  fetch(`${base}/api/trpc/backtests.run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
const query = (path: string, input: unknown, token = viewer) =>
  fetch(`${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { authorization: `Bearer ${token}` },
  });

describe('backtests API', () => {
  it('runs a two-market backtest with a sweep on a worker, stores it and exports it', async () => {
    const res = await run({
      strategy: 'ma-cross',
      params: { fast: 5, slow: 20 },
      symbols: [
        { market: 'CN', symbol: '600519.SH' },
        { market: 'US', symbol: 'AAPL' },
      ],
      from,
      to,
      sweep: { folds: 2, grid: { fast: [5, 10], slow: [20, 30] } },
    });
    expect(res.status).toBe(200);
    const { id } = (await j(res)).result.data;
    const done = await waitFor(
      async () => {
        const r = (await j(await query('backtests.get', { id }))).result.data;
        return r.status !== 'running' ? r : null;
      },
      60_000,
      'the backtest to finish',
    );
    expect(done.error).toBeNull();
    expect(done.status).toBe('complete');
    expect(done.progress).toBe(1);
    const result = done.result;
    expect(result.dates.length).toBeGreaterThan(100);
    expect(result.equity).toHaveLength(result.dates.length);
    expect(result.symbols.map((s: { symbol: string; lotSize: number }) => [s.symbol, s.lotSize])).toEqual([
      ['600519.SH', 100],
      ['AAPL', 1],
    ]);
    expect(typeof result.metrics.sharpe).toBe('number');
    expect(result.sweep.rows).toHaveLength(4);
    expect(done.metrics.cagr).toBe(result.metrics.cagr);

    const list = (await j(await query('backtests.list', { symbol: 'aapl' }))).result.data;
    expect(list.map((b: { id: string }) => b.id)).toContain(id);
    expect((await j(await query('backtests.list', { symbol: '0700.HK' }))).result.data).toEqual([]);

    const csv = (await j(await query('backtests.export', { id, format: 'equity-csv' }))).result.data;
    expect(csv.body.split('\n')[0]).toBe('date,equity,buy_and_hold,benchmark,drawdown');
    expect(csv.body.trim().split('\n')).toHaveLength(result.dates.length + 1);
    const trades = (await j(await query('backtests.export', { id, format: 'trades-csv' }))).result.data;
    expect(trades.body.trim().split('\n').length - 1).toBe(result.metrics.trades);
  });

  it('answers bad parameters with 400 naming the field, and writes nothing', async () => {
    const before = await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM backtests');
    const cases: [unknown, RegExp][] = [
      [
        {
          strategy: 'ma-cross',
          params: { fast: 50, slow: 20 },
          symbols: [{ market: 'US', symbol: 'AAPL' }],
          from,
          to,
        },
        /params\.fast: fast must be shorter than slow/,
      ],
      [
        { strategy: 'nope', symbols: [{ market: 'US', symbol: 'AAPL' }], from, to },
        /strategy: strategy must be one of/,
      ],
      [{ strategy: 'rsi-reversion', symbols: [], from, to }, /symbols: symbols needs at least one symbol/],
      [
        { strategy: 'rsi-reversion', symbols: [{ market: 'US', symbol: 'AAPL' }], from: '2024-13-01', to },
        /from: must be a date/,
      ],
      [
        {
          strategy: 'rsi-reversion',
          symbols: [{ market: 'US', symbol: 'AAPL' }],
          from,
          to,
          costs: { slippageBps: -1 },
        },
        /costs\.slippageBps: slippageBps must be ≥ 0/,
      ],
      [
        {
          strategy: 'ma-cross',
          symbols: [{ market: 'US', symbol: 'AAPL' }],
          from,
          to,
          sweep: { grid: { bogus: [1] } },
        },
        /sweep\.grid\.bogus: bogus is not a parameter/,
      ],
      [
        {
          strategy: 'ma-cross',
          symbols: [{ market: 'US', symbol: 'AAPL' }],
          from: '1990-01-01',
          to: '1990-12-31',
        },
        /symbols: US:AAPL has no stored daily bars/,
      ],
    ];
    for (const [input, message] of cases) {
      const res = await run(input);
      const body = await j(res);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(body.error.message).toMatch(message);
    }
    const unknown = await run({
      strategy: 'ma-cross',
      symbols: [{ market: 'US', symbol: 'ZZZZ' }],
      from,
      to,
    });
    expect(unknown.status).toBe(404);
    const after = await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM backtests');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('lets a viewer read but not run', async () => {
    const res = await run(
      { strategy: 'buy-and-hold', symbols: [{ market: 'US', symbol: 'AAPL' }], from, to },
      viewer,
    );
    expect(res.status).toBe(403);
    const cat = (await j(await query('backtests.strategies', undefined))).result.data;
    expect(cat.strategies.map((s: { id: string }) => s.id)).toEqual([
      'buy-and-hold',
      'ma-cross',
      'rsi-reversion',
      'channel-breakout',
      'follow-report',
    ]);
  });

  it('caps concurrent runs (429) and fails running jobs when the service closes', async () => {
    const svc = new BacktestService({ db: rt.db, log: rt.log, now: rt.now });
    // ARIMA refitted on every bar: slow enough to still be running when we close
    const slow = {
      strategy: 'follow-report',
      params: { window: 60, refitEvery: 1 },
      symbols: [{ market: 'US', symbol: 'AAPL' } as const],
      from,
      to,
    };
    const a = await svc.start(slow, 'test');
    const b = await svc.start(slow, 'test');
    const third = await svc.start(slow, 'test').catch((e: unknown) => e);
    expect(third).toBeInstanceOf(AppError);
    expect((third as AppError).code).toBe('TOO_MANY_REQUESTS');
    await svc.close();
    const rows = await rt.db.query<{ status: string; error: string }>(
      'SELECT status, error FROM backtests WHERE id = ANY($1::uuid[])',
      [[a.id, b.id]],
    );
    expect(rows.map((r) => [r.status, r.error])).toEqual([
      ['failed', 'stopped: the server shut down'],
      ['failed', 'stopped: the server shut down'],
    ]);
    await expect(svc.start(slow, 'test')).rejects.toThrow(/shutting down/);
  });

  it('marks a running row without a heartbeat as failed', async () => {
    const [row] = await rt.db.query<{ id: string }>(
      `INSERT INTO backtests (status, strategy, spec, symbols, heartbeat_at)
       VALUES ('running', 'ma-cross', '{}'::jsonb, '[]'::jsonb, now() - interval '5 minutes') RETURNING id`,
    );
    expect(await rt.backtests.recoverInterrupted()).toBe(1);
    const [after] = await rt.db.query<{ status: string }>('SELECT status FROM backtests WHERE id = $1', [
      row!.id,
    ]);
    expect(after!.status).toBe('failed');
  });
});
