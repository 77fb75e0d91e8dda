import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { createApiHandler } from '../http/index';
import type { Runtime } from '../runtime';
import { createTestRuntime } from '../test-support/runtime';
import { ingestQuotes, parseIngestBatch } from './ingest-quotes';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
// Thursday 2025-01-30 11:00 CST: SSE/SZSE closed for Spring Festival (last close Mon 2025-01-27 15:00 CST)
const holiday = new Date('2025-01-30T03:00:00Z');

async function serve(rt: Runtime): Promise<{ server: Server; base: string; token: string }> {
  const handler = createApiHandler(rt);
  const server = createServer((req, res) => {
    handler(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
      () => res.end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const token = (await createApiToken(rt.db, { name: 'viewer', role: 'viewer' })).token;
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token };
}

describe(`REST freshness on the exchange calendar (${DB})`, () => {
  const runtimes: Runtime[] = [];
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) s.close();
    for (const rt of runtimes) await rt.close();
  });

  async function setUp(alwaysOpen: boolean, source = 'demo') {
    const rt = await createTestRuntime({ now: () => holiday, config: { demo: { seed: 42, alwaysOpen } } });
    runtimes.push(rt);
    const batch = parseIngestBatch(
      { quotes: [{ market: 'CN', symbol: '600519.SH', ts: '2025-01-27T06:59:58Z', price: 1411.2 }] },
      { now: holiday, retentionDays: 30, defaultSource: source },
    );
    await ingestQuotes(rt.db, batch);
    const s = await serve(rt);
    servers.push(s.server);
    return async () => {
      const res = await fetch(`${s.base}/api/v1/market-data/quotes/600519.SH?market=CN&max_age_seconds=30`, {
        headers: { authorization: `Bearer ${s.token}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    };
  }

  let exchangeClock: () => Promise<Record<string, unknown>>;
  let alwaysOpen: () => Promise<Record<string, unknown>>;
  let vendorInAlwaysOpen: () => Promise<Record<string, unknown>>;
  beforeAll(async () => {
    exchangeClock = await setUp(false);
    alwaysOpen = await setUp(true);
    vendorInAlwaysOpen = await setUp(true, 'finnhub');
  }, 120_000);

  it('answers closed with the last close, closedSince and nextOpen when the demo simulates sessions', async () => {
    expect(await exchangeClock()).toMatchObject({
      status: 'closed',
      reason: 'non_trading_day',
      closedSince: '2025-01-27T07:00:00.000Z',
      nextOpen: '2025-02-05T01:30:00.000Z',
      quote: { price: 1411.2 },
    });
  });

  it('keeps the strict TTL in alwaysOpen mode: the same quote is stale, without a price', async () => {
    const body = await alwaysOpen();
    expect(body).toMatchObject({ status: 'stale', lastSeenAt: '2025-01-27T06:59:58.000Z' });
    expect(body).not.toHaveProperty('quote');
  });

  it("judges a real vendor's quote by its exchange calendar even while the demo market is always open", async () => {
    expect(await vendorInAlwaysOpen()).toMatchObject({
      status: 'closed',
      reason: 'non_trading_day',
      quote: { price: 1411.2, source: 'finnhub' },
    });
  });
});
