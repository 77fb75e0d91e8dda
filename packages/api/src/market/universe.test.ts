import type { TSymbolInfo } from '@investiq/contracts';
import { createTestDatabase } from '@investiq/db/testing';
import { type DataProvider, isTradingDay, ProviderError, setCalendarOverride } from '@investiq/market';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUniverseRefresh, type UniverseSyncResult } from './universe';
import { KNOWN_NAMES } from './universe-fixture';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  setCalendarOverride('CN', []);
  await db?.close();
});

const base: DataProvider = {
  id: 'tushare-like',
  markets: ['CN'],
  listSymbols: async () => [],
  searchSymbols: async () => [],
  getQuotes: async () => [],
  getDailyBars: async () => [],
};

describe('startUniverseRefresh', () => {
  it('syncs the universe and installs the provider trade calendar; a failing source is logged, not thrown', async () => {
    const cn: TSymbolInfo[] = KNOWN_NAMES.filter((s) => s.market === 'CN');
    const provider: DataProvider = {
      ...base,
      listUniverse: async () => cn,
      // trade_cal says 2026-03-02 (a Monday) is closed: the override must win over the shipped table
      getTradeCalendar: async () => [{ date: '2026-03-02', open: false }],
    };
    const failing: DataProvider = {
      ...base,
      id: 'down',
      markets: ['HK'],
      listUniverse: async () => {
        throw new ProviderError('down', 'unavailable', 'HTTP 503');
      },
    };
    const synced: UniverseSyncResult[] = [];
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    const refresh = startUniverseRefresh({
      db,
      sources: () => [
        { market: 'CN', provider },
        { market: 'HK', provider: failing },
      ],
      log,
      now: () => new Date('2026-03-01T00:00:00Z'),
      intervalMs: 3_600_000,
      onSynced: (r) => synced.push(r),
    });
    await refresh.runNow();
    refresh.stop();
    expect(synced).toEqual([
      expect.objectContaining({ market: 'CN', source: 'tushare-like', upserted: cn.length }),
    ]);
    const rows = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM symbols WHERE source = 'tushare-like'`,
    );
    expect(rows[0]!.n).toBe(cn.length);
    expect(isTradingDay('CN', '2026-03-02')).toBe(false);
    expect(lines.join('')).toMatch(/HTTP 503.*universe sync failed/);
    expect(lines.join('')).toMatch(/"days":1.*trade calendar installed/);
  });
});
