import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import type { SymbolRef } from '@investiq/market';
import { DemoMarket } from '@investiq/market/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSymbols } from '../market/sync-market';
import { createLogger } from '../observability/logger';
import { Collector } from './collector';

/** COLLECTOR_SESSIONS=exchange: a market is polled only in session, plus one poll after the close. */
describe('collector sessions and refresh plan', () => {
  let db: DatabaseHandle;
  let clock = Date.parse('2026-12-03T15:00:00Z');
  const now = () => new Date(clock);
  const open: Record<TMarket, boolean> = { CN: false, HK: false, US: true };
  const polled: TMarket[][] = [];
  let collector: Collector;

  beforeAll(async () => {
    db = await createTestDatabase();
    // the real demo market; it records which markets each poll asked for
    class RecordingDemo extends DemoMarket {
      override async getQuotes(refs: readonly SymbolRef[]) {
        polled.at(-1)?.push(...new Set(refs.map((r) => r.market)));
        return super.getQuotes(refs);
      }
    }
    const provider = new RecordingDemo({ seed: 7, alwaysOpen: true, now });
    await syncSymbols(db, provider);
    collector = new Collector({
      db,
      provider,
      symbols: () => db.query<{ market: TMarket; symbol: string }>('SELECT market, symbol FROM symbols'),
      intervalMs: 1_000,
      retentionDays: 30,
      log: createLogger({ level: 'silent' }),
      now,
      ownPolicy: false,
      inSession: (m) => open[m],
      // US: 10 s between polls (a budget-limited provider); others every tick
      plan: async (m) => ({
        intervalMs: m === 'US' ? 10_000 : 1_000,
        limitedBy: m === 'US' ? 'minute' : 'collector',
        provider: 'demo',
        keepsFresh: m !== 'US',
        freshnessSeconds: 5,
      }),
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  const tick = async (advanceMs: number) => {
    clock += advanceMs;
    polled.push([]);
    await collector.tick();
    return polled.at(-1)!.sort();
  };

  it('polls only markets in session, no faster than their plan', async () => {
    expect(await tick(0)).toEqual(['US']);
    expect(await tick(1_000)).toEqual([]); // US waits for its 10 s interval
    expect(await tick(9_000)).toEqual(['US']);
    const us = collector.status().markets.find((m) => m.market === 'US');
    expect(us).toMatchObject({ inSession: true, intervalMs: 10_000, keepsFresh: false, lastSource: 'demo' });
  });

  it('polls once more after the close, then rests until the market opens', async () => {
    open.US = false;
    open.HK = true;
    expect(await tick(10_000)).toEqual(['HK', 'US']); // US: the poll after the close
    expect(await tick(10_000)).toEqual(['HK']);
    expect(await tick(10_000)).toEqual(['HK']);
    open.US = true;
    expect(await tick(10_000)).toEqual(['HK', 'US']);
  });
});
