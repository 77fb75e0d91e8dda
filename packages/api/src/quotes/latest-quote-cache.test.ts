import type { TQuote } from '@investiq/contracts';
import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test-support/runtime';
import { getLatestQuote } from './get-latest-quotes';
import { ingestQuotes, parseIngestBatch } from './ingest-quotes';
import { attachLatestQuoteCache, LatestQuoteCache } from './latest-quote-cache';
import { QuoteHub } from './quote-hub';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const T0 = new Date();
const at = (ms: number) => new Date(T0.getTime() + ms);

async function ingest(db: DatabaseHandle, symbol: string, tsMs: number, price: number) {
  const now = at(tsMs);
  const rows = parseIngestBatch([{ market: 'US', symbol, ts: now.toISOString(), price }], {
    now,
    retentionDays: 30,
    defaultSource: 'test',
  });
  await ingestQuotes(db, rows);
}

const quote = (symbol: string, tsMs: number, price: number): TQuote => ({
  market: 'US',
  symbol,
  ts: at(tsMs).toISOString(),
  source: 'test',
  price,
  open: null,
  high: null,
  low: null,
  prevClose: null,
  volume: null,
  change: null,
  changePercent: null,
  currency: 'USD',
});

describe(`latest-quote cache (${DB})`, () => {
  let writer: DatabaseHandle & { url?: string };
  /** Another process's handle on PostgreSQL (its own pool and LISTEN session); the same one on PGlite. */
  let reader: DatabaseHandle;
  let hub: QuoteHub;
  let cache: LatestQuoteCache;
  let detach: () => void;
  const read = (symbol: string, nowMs: number, maxAge = 60) =>
    getLatestQuote(reader, { market: 'US', symbol }, maxAge, at(nowMs), { alwaysOpen: true });

  beforeAll(async () => {
    writer = await createTestDatabase();
    reader = writer.url ? await createDatabase({ databaseUrl: writer.url, migrate: false }) : writer;
    await writer.query(
      `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source)
       VALUES ('US','AAPL','Apple','苹果','USD','X','t'), ('US','MSFT','MS','微软','USD','X','t'),
              ('US','NVDA','NV','英伟达','USD','X','t')`,
    );
    hub = new QuoteHub();
    await hub.start(reader);
    ({ cache, detach } = attachLatestQuoteCache(reader, hub));
  });
  afterAll(async () => {
    detach?.();
    await hub?.stop();
    if (reader !== writer) await reader?.close();
    await writer?.close();
  });

  it('answers repeated reads from memory and judges freshness at read time', async () => {
    await ingest(writer, 'AAPL', 0, 190);
    // an ingest by another process reaches this cache only by NOTIFY: wait until the first read sees it
    await waitFor(async () => (await read('AAPL', 1_000)).status === 'fresh', 5000, 'AAPL stored');
    const reads = cache.stats.reads;
    const fresh = await read('AAPL', 2_000);
    expect(fresh).toMatchObject({ status: 'fresh', quote: { price: 190 }, ageSeconds: 2 });
    // 61 s later the same cached row is stale: the cache keeps the row, never the verdict
    const stale = await read('AAPL', 61_000);
    expect(stale).toMatchObject({ status: 'stale', lastSeenAt: at(0).toISOString(), ageSeconds: 61 });
    expect(cache.stats.reads).toBe(reads);
  });

  it("follows another process's ingests through NOTIFY without reading the database", async () => {
    await read('AAPL', 1_000); // cached
    const reads = cache.stats.reads;
    await ingest(writer, 'AAPL', 5_000, 191.5);
    await waitFor(
      async () => {
        const q = await read('AAPL', 6_000);
        return q.status === 'fresh' && q.quote.price === 191.5;
      },
      5000,
      'the NOTIFY of the new quote',
    );
    expect(cache.stats.reads).toBe(reads);
    // an older quote announced later (a backfill) does not replace the newer one
    await ingest(writer, 'AAPL', 3_000, 150);
    await ingest(writer, 'MSFT', 3_000, 400); // a later notification, to know the backfill's has arrived
    await waitFor(async () => (await read('MSFT', 4_000)).status === 'fresh', 5000, 'MSFT');
    expect(await read('AAPL', 6_000)).toMatchObject({ status: 'fresh', quote: { price: 191.5 } });
  });

  it("reads this process's own ingest at once (no NOTIFY wait)", async () => {
    await read('AAPL', 6_000);
    await ingest(reader, 'AAPL', 7_000, 192);
    expect(await read('AAPL', 7_000)).toMatchObject({ status: 'fresh', quote: { price: 192 } });
  });

  it('caches a known symbol without quotes as missing until one arrives; unknown symbols stay NOT_FOUND', async () => {
    expect(await read('NVDA', 0)).toMatchObject({ status: 'missing' });
    await ingest(reader, 'NVDA', 1_000, 120);
    expect(await read('NVDA', 1_000)).toMatchObject({ status: 'fresh', quote: { price: 120 } });
    await expect(read('ZZZZ', 0)).rejects.toThrow(/unknown symbol: US:ZZZZ/);
    await expect(read('ZZZZ', 0)).rejects.toThrow(/unknown symbol/);
    expect(cache.size).toBeLessThanOrEqual(3);
  });

  it.runIf(DB === 'PostgreSQL')(
    'forgets everything while LISTEN is down and reads the database until it is back',
    async () => {
      await read('AAPL', 7_000);
      expect(cache.size).toBeGreaterThan(0);
      const states: string[] = [];
      const off = hub.onState((s) => states.push(s));
      // end the reader's LISTEN session from outside, as a server restart or a network cut would
      await writer.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
      );
      await waitFor(() => states.includes('down'), 5000, 'LISTEN down');
      expect(cache.isTrusted).toBe(false);
      expect(cache.size).toBe(0);
      await waitFor(() => states.includes('up'), 10_000, 'LISTEN up');
      off();
      expect(cache.isTrusted).toBe(true);
      expect(await read('AAPL', 7_000)).toMatchObject({ status: 'fresh', quote: { price: 192 } });
    },
  );
});

describe('LatestQuoteCache reads', () => {
  const deferred = () => {
    let resolve!: (m: Map<string, TQuote | null>) => void;
    const promise = new Promise<Map<string, TQuote | null>>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  };

  it('keeps a quote announced while its database read was in flight (the read may predate it)', async () => {
    const cache = new LatestQuoteCache();
    const d = deferred();
    const pending = cache.read(['US:AAPL'], () => d.promise);
    cache.note(quote('AAPL', 2_000, 101));
    d.resolve(new Map([['US:AAPL', quote('AAPL', 1_000, 100)]]));
    expect((await pending).get('US:AAPL')).toMatchObject({ price: 101 });
    const again = await cache.read(['US:AAPL'], () => Promise.reject(new Error('no read expected')));
    expect(again.get('US:AAPL')).toMatchObject({ price: 101 });
  });

  it('shares one database read among concurrent misses of a key', async () => {
    const cache = new LatestQuoteCache();
    const d = deferred();
    let loads = 0;
    const load = () => {
      loads += 1;
      return d.promise;
    };
    const a = cache.read(['US:AAPL'], load);
    const b = cache.read(['US:AAPL'], load);
    d.resolve(new Map([['US:AAPL', quote('AAPL', 1_000, 100)]]));
    expect((await a).get('US:AAPL')).toMatchObject({ price: 100 });
    expect((await b).get('US:AAPL')).toMatchObject({ price: 100 });
    expect(loads).toBe(1);
  });

  it('does not store a read begun before LISTEN was lost, and reads through while it is down', async () => {
    const cache = new LatestQuoteCache();
    const d = deferred();
    const pending = cache.read(['US:AAPL'], () => d.promise);
    cache.setTrusted(false);
    d.resolve(new Map([['US:AAPL', quote('AAPL', 1_000, 100)]]));
    await pending;
    let loads = 0;
    const load = async () => {
      loads += 1;
      return new Map([['US:AAPL', quote('AAPL', 3_000, 103)]]);
    };
    await cache.read(['US:AAPL'], load);
    await cache.read(['US:AAPL'], load);
    expect(loads).toBe(2);
    expect(cache.size).toBe(0);
    cache.setTrusted(true);
    expect((await cache.read(['US:AAPL'], load)).get('US:AAPL')).toMatchObject({ price: 103 });
    await cache.read(['US:AAPL'], load);
    expect(loads).toBe(3);
  });

  it('re-reads an entry the database confirmed longer ago than refreshMs', async () => {
    let clock = 0;
    const cache = new LatestQuoteCache({ refreshMs: 1_000, clock: () => clock });
    let loads = 0;
    const load = async () => {
      loads += 1;
      return new Map([['US:AAPL', quote('AAPL', 0, 100)]]);
    };
    await cache.read(['US:AAPL'], load);
    clock = 1_000;
    await cache.read(['US:AAPL'], load);
    expect(loads).toBe(1);
    clock = 1_001;
    await cache.read(['US:AAPL'], load);
    expect(loads).toBe(2);
  });

  it('keeps at most maxEntries symbols, dropping the longest-confirmed', async () => {
    const cache = new LatestQuoteCache({ maxEntries: 2 });
    const load = async (keys: string[]) => new Map(keys.map((k) => [k, null]));
    await cache.read(['US:A', 'US:B', 'US:C'], load);
    expect(cache.size).toBe(2);
    let loads = 0;
    await cache.read(['US:C'], async (k) => {
      loads += 1;
      return load(k);
    });
    expect(loads).toBe(0);
  });
});
