import type { TMarket, TSymbolInfo } from '@investiq/contracts';
import { createTestDatabase } from '@investiq/db/testing';
import { type DataProvider, ProviderError } from '@investiq/market';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactCodeCandidates, searchSymbols } from './search-symbols';
import { pinyinInitials } from './symbol-text';
import { listSymbols } from './sync-market';
import { storeUniverse, syncUniverse } from './universe';
import { KNOWN_NAMES, syntheticUniverse } from './universe-fixture';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
const now = new Date('2026-03-02T00:00:00Z');
const N = 2_000; // per market: 6 000 synthetic names in all

/** A vendor stand-in: lists a fixed universe per market (the real adapters replay recorded HTTP). */
function listingProvider(id: string, byMarket: Partial<Record<TMarket, TSymbolInfo[]>>): DataProvider {
  return {
    id,
    markets: ['CN', 'HK', 'US'],
    listSymbols: async () => [],
    searchSymbols: async () => [],
    getQuotes: async () => [],
    getDailyBars: async () => [],
    listUniverse: async (m) => byMarket[m] ?? [],
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  // the dashboard's tracked list: one demo-style symbol registered the way syncSymbols does it
  await db.query(
    `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source, is_demo, tracked, pinyin, search_text)
     VALUES ('CN', '600519.SH', 'Kweichow Moutai', '贵州茅台', 'CNY', 'SSE', 'demo', true, true, 'gzmt', '600519.sh')`,
  );
  const synth = syntheticUniverse(N);
  for (const m of ['CN', 'HK', 'US'] as const) {
    const r = await syncUniverse(
      db,
      m,
      listingProvider('vendor-x', { [m]: [...KNOWN_NAMES.filter((s) => s.market === m), ...synth[m]] }),
      { now },
    );
    expect(r.rejected).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('syncUniverse', () => {
  it('stores the whole universe, source-labelled, untracked, and keeps the tracked list', async () => {
    const [c] = await db.query<{ n: number; vendor: number; untracked: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE source = 'vendor-x')::int AS vendor,
              count(*) FILTER (WHERE NOT tracked)::int AS untracked FROM symbols`,
    );
    expect(c).toEqual({
      n: 3 * N + KNOWN_NAMES.length,
      vendor: 3 * N + KNOWN_NAMES.length,
      untracked: 3 * N + KNOWN_NAMES.length - 1,
    });
    // the watchlist still lists only tracked symbols
    expect((await listSymbols(db)).map((s) => s.symbol)).toEqual(['600519.SH']);
    const [mt] = await db.query<{ pinyin: string; listed_at: Date }>(
      `SELECT pinyin, listed_at FROM symbols WHERE symbol = '600519.SH'`,
    );
    expect(mt!.pinyin).toBe('gzmt');
    expect(new Date(mt!.listed_at).toISOString()).toBe(now.toISOString());
  });

  it('updates names on the next sync and skips bad rows with a count', async () => {
    const rows: TSymbolInfo[] = [
      { ...KNOWN_NAMES[0]!, name: 'Kweichow Moutai Co Ltd' },
      { ...KNOWN_NAMES[0]!, symbol: '600519' }, // not a CN symbol format
      { ...KNOWN_NAMES[8]! }, // an HK symbol in a CN listing
    ];
    const r = await storeUniverse(db, 'CN', 'vendor-x', rows, now);
    expect(r).toMatchObject({ listed: 3, upserted: 1, rejected: 2 });
    expect(r.rejectedExamples[0]).toMatch(/600519.*not a valid CN symbol/);
    const [row] = await db.query<{ name: string; tracked: boolean }>(
      `SELECT name, tracked FROM symbols WHERE symbol = '600519.SH'`,
    );
    expect(row).toEqual({ name: 'Kweichow Moutai Co Ltd', tracked: true });
  });

  it('refuses a listing without one usable row and writes nothing', async () => {
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM symbols');
    await expect(
      storeUniverse(db, 'US', 'vendor-y', [{ ...KNOWN_NAMES[11]!, symbol: 'not a ticker' }], now),
    ).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      message: expect.stringMatching(/no usable rows/),
    });
    expect(await db.query<{ n: number }>('SELECT count(*)::int AS n FROM symbols')).toEqual(before);
  });

  it('says so when the provider cannot list a universe', async () => {
    const p = { ...listingProvider('demo', {}), listUniverse: undefined };
    await expect(syncUniverse(db, 'CN', p)).rejects.toBeInstanceOf(ProviderError);
  });
});

describe('searchSymbols on a seeded universe', () => {
  const first = async (q: string, market?: TMarket) => (await searchSymbols(db, q, { market, limit: 10 }))[0];

  it('puts the exact code first, in every form a user types', async () => {
    for (const q of ['600519', '600519.SH', '600519.sh']) {
      expect(await first(q), q).toMatchObject({ symbol: '600519.SH', match: 'code' });
    }
    for (const q of ['0700', '700', '00700', '0700.HK']) {
      expect(await first(q), q).toMatchObject({ symbol: '0700.HK', match: 'code' });
    }
    for (const q of ['AAPL', 'aapl'])
      expect(await first(q), q).toMatchObject({ symbol: 'AAPL', match: 'code' });
    expect(await first('brk-b')).toMatchObject({ symbol: 'BRK.B', match: 'code' });
  });

  it('finds Chinese names by pinyin initials, prefix and substring', async () => {
    expect(await first('gzmt')).toMatchObject({ symbol: '600519.SH', nameZh: '贵州茅台' });
    expect(await first('GZMT')).toMatchObject({ symbol: '600519.SH' });
    expect(await first('cqyh')).toMatchObject({ symbol: '601963.SH' }); // 重庆 read chong qing
    expect(await first('txkg')).toMatchObject({ symbol: '0700.HK' });
    expect(await first('贵州')).toMatchObject({ symbol: '600519.SH', match: 'prefix' });
    expect(await first('茅台')).toMatchObject({ symbol: '600519.SH', match: 'contains' });
    const pingan = (await searchSymbols(db, '平安', { limit: 5 })).map((h) => h.symbol);
    expect(pingan.slice(0, 2)).toEqual(['000001.SZ', '601318.SH']); // prefix (平安银行) before substring (中国平安)
  });

  it('finds English names by prefix and word', async () => {
    expect(await first('tesla')).toMatchObject({ symbol: 'TSLA', match: 'prefix' });
    expect(await first('merchants')).toMatchObject({ symbol: '600036.SH', match: 'contains' });
  });

  it('tolerates typos', async () => {
    expect(await first('tencnet')).toMatchObject({ symbol: '0700.HK', match: 'fuzzy' });
    expect(await first('microsfot')).toMatchObject({ symbol: 'MSFT', match: 'fuzzy' });
    expect(await first('guizhoumaotia')).toMatchObject({ symbol: '600519.SH', match: 'fuzzy' });
  });

  it('filters by market, ranks tracked first within a rank, and lists tracked for an empty query', async () => {
    expect(await searchSymbols(db, '0700', { market: 'US' })).toEqual([]);
    expect(await first('0700', 'HK')).toMatchObject({ symbol: '0700.HK' });
    const six = await searchSymbols(db, '6', { market: 'CN', limit: 3 });
    expect(six[0]).toMatchObject({ symbol: '600519.SH', tracked: true, match: 'code_prefix' });
    expect((await searchSymbols(db, '')).map((h) => h.symbol)).toEqual(['600519.SH']);
  });

  it('treats LIKE wildcards as text', async () => {
    expect(await searchSymbols(db, '%%%')).toEqual([]);
    expect(await searchSymbols(db, '_')).toEqual([]);
  });

  it('stays correct on the whole universe: every synthetic code is found exactly', async () => {
    const synth = syntheticUniverse(N);
    for (const s of [synth.CN[0]!, synth.CN[N - 1]!, synth.HK[1234]!, synth.US[1999]!]) {
      expect(await first(s.symbol), s.symbol).toMatchObject({ symbol: s.symbol, match: 'code' });
      const initials = pinyinInitials(s.nameZh);
      if (initials) {
        const hits = await searchSymbols(db, initials, { market: s.market, limit: 50 });
        expect(hits.map((h) => h.symbol)).toContain(s.symbol);
      }
    }
  });
});

describe('exactCodeCandidates', () => {
  it('expands the code forms', () => {
    expect(exactCodeCandidates('600519')).toEqual(['600519.SH', '600519.SZ', '600519.BJ']);
    expect(exactCodeCandidates('700')).toEqual(['0700.HK', '00700.HK']);
    expect(exactCodeCandidates('00005')).toEqual(['0005.HK', '00005.HK']);
    expect(exactCodeCandidates('brk.b')).toEqual(['BRK.B']);
    expect(exactCodeCandidates('贵州茅台')).toEqual([]);
  });
});
