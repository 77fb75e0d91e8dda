import { connect } from 'node:net';
import type { TLatestQuote } from '@investiq/contracts';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { decideFreshness } from '../quotes/decide-freshness';
import { freshnessOptions } from '../quotes/freshness-options';
import { ingestQuotes, parseIngestBatch } from '../quotes/ingest-quotes';
import { type ApiServer, startApiServer } from '../test-support/api-server';
import { waitFor } from '../test-support/runtime';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const STREAM = '/api/v1/quotes/stream';

/** An open stream: every `quotes` event's answers, in order, and the number of pings. */
interface Reader {
  status: number;
  events: TLatestQuote[][];
  pings: number;
  close(): void;
}

async function openReader(base: string, query: string, token: string): Promise<Reader & { body?: unknown }> {
  const ac = new AbortController();
  const res = await fetch(`${base}${STREAM}${query}`, {
    signal: ac.signal,
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
  });
  const r: Reader & { body?: unknown } = {
    status: res.status,
    events: [],
    pings: 0,
    close: () => ac.abort(),
  };
  if (res.status !== 200) {
    r.body = await res.json();
    return r;
  }
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const parser = createParser({
    onEvent: (ev) => {
      if (ev.event === 'quotes') r.events.push(JSON.parse(ev.data));
      else if (ev.event === 'ping') r.pings++;
    },
  });
  void (async () => {
    const dec = new TextDecoder();
    try {
      for await (const chunk of res.body!) parser.feed(dec.decode(chunk as Uint8Array, { stream: true }));
    } catch {
      // aborted or cut by the server
    }
  })();
  return r;
}

describe(`GET /api/v1/quotes/stream: freshness, filters, admission (${DB})`, () => {
  let s: ApiServer;
  let token: string;
  beforeAll(async () => {
    s = await startApiServer({ config: { streams: { maxPerPrincipal: 3 } } });
    token = (await createApiToken(s.rt.db, { name: 'reader', role: 'viewer' })).token;
  });
  afterAll(async () => {
    await s?.close();
  });

  const ingest = async (quotes: object[]) => {
    const now = new Date();
    await ingestQuotes(
      s.rt.db,
      parseIngestBatch({ quotes }, { now, retentionDays: 30, defaultSource: 'demo' }),
    );
  };

  it('starts with the current answer per named symbol, then each ingested quote judged under the reader max age', async () => {
    const t = Date.now();
    await ingest([{ market: 'US', symbol: 'AAPL', ts: new Date(t - 3_000).toISOString(), price: 190.5 }]);
    const r = await openReader(s.base, '?symbols=US:AAPL,hk:0700.hk&max_age_seconds=60', token);
    expect(r.status).toBe(200);
    await waitFor(() => r.events.length >= 1, 5_000, 'the snapshot event');
    const snap = r.events[0]!;
    expect(snap.map((a) => `${a.market}:${a.symbol}`).sort()).toEqual(['HK:0700.HK', 'US:AAPL']);
    expect(snap.find((a) => a.symbol === 'AAPL')).toMatchObject({
      status: 'fresh',
      maxAgeSeconds: 60,
      quote: { price: 190.5, source: 'demo' },
    });

    // a fresh quote, a quote already older than the reader's 60 s, and one of a symbol it did not ask for
    await ingest([
      { market: 'HK', symbol: '0700.HK', ts: new Date(t - 90_000).toISOString(), price: 370 },
      { market: 'US', symbol: 'MSFT', ts: new Date(t - 1_000).toISOString(), price: 410 },
    ]);
    await ingest([{ market: 'US', symbol: 'AAPL', ts: new Date(t - 500).toISOString(), price: 191.25 }]);
    await waitFor(() => r.events.length >= 3, 5_000, 'two live events');
    const live = r.events.slice(1).flat();
    expect(live.map((a) => a.symbol)).toEqual(['0700.HK', 'AAPL']); // no MSFT
    const hk = live[0]!;
    expect(hk).toMatchObject({ status: 'stale', lastSeenAt: new Date(t - 90_000).toISOString() });
    expect(hk).not.toHaveProperty('quote'); // stale is stale: no old price as current
    expect(live[1]).toMatchObject({ status: 'fresh', quote: { price: 191.25 } });
    expect(live[1]!.status === 'fresh' && live[1]!.ageSeconds).toBeLessThan(60);
    r.close();
  });

  it('every answer is exactly what decideFreshness says at its checkedAt (a non-demo source: exchange calendar)', async () => {
    const r = await openReader(s.base, '?symbols=US:NVDA', token);
    await waitFor(() => r.events.length >= 1, 5_000, 'the snapshot event');
    const ts = new Date(Date.now() - 2_000).toISOString();
    const rows = parseIngestBatch(
      { quotes: [{ market: 'US', symbol: 'NVDA', ts, price: 135.5, prevClose: 130, source: 'vendorx' }] },
      { now: new Date(), retentionDays: 30, defaultSource: 'vendorx' },
    );
    await ingestQuotes(s.rt.db, rows);
    await waitFor(() => r.events.length >= 2, 5_000, 'the live event');
    const got = r.events[1]![0]!;
    const q = {
      market: 'US' as const,
      symbol: 'NVDA',
      ts,
      source: 'vendorx',
      price: 135.5,
      open: null,
      high: null,
      low: null,
      prevClose: 130,
      volume: null,
      change: 5.5,
      changePercent: 4.2308,
      currency: 'USD',
    };
    // fresh in US trading hours, closed outside them: whichever it is, it is the contract's answer
    expect(got).toEqual(
      decideFreshness(
        q,
        q,
        s.rt.config.quotes.defaultMaxAgeSeconds,
        new Date(got.checkedAt),
        freshnessOptions(s.rt),
      ),
    );
    r.close();
  });

  it('names bad input with a 4xx before any stream starts', async () => {
    const bad = async (query: string, status: number, message: string, tok = token) => {
      const r = await openReader(s.base, query, tok);
      expect(r.status).toBe(status);
      expect((r.body as { error: { message: string } }).error.message).toContain(message);
    };
    await bad('?symbols=AAPL', 400, "'AAPL' is not MARKET:SYMBOL");
    await bad('?symbols=XX:AAPL', 400, "'XX:AAPL' is not MARKET:SYMBOL");
    await bad('?symbols=CN:ABC', 400, 'not a valid CN symbol');
    await bad(`?symbols=${Array.from({ length: 201 }, (_, i) => `US:A${i}`).join(',')}`, 400, 'at most 200');
    await bad('?symbols=US:AAPL&max_age_seconds=1e3', 400, 'max_age_seconds');
    await bad('?symbols=US:ZZZZ', 404, 'unknown symbol: US:ZZZZ');
    await bad('', 401, 'missing API token', '');
    await bad('', 401, 'invalid or revoked', 'not-a-token');
    const cross = await fetch(`${s.base}${STREAM}`, {
      headers: { authorization: `Bearer ${token}`, 'sec-fetch-site': 'cross-site' },
    });
    expect(cross.status).toBe(403);
  });

  it('shares the per-principal cap with the tRPC subscriptions', async () => {
    const { token: capped } = await createApiToken(s.rt.db, { name: 'capped', role: 'viewer' });
    const trpc = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ symbols: [] }));
    const sub = await fetch(`${s.base}/api/trpc/quotes.live?input=${input}`, {
      signal: trpc.signal,
      headers: { accept: 'text/event-stream', authorization: `Bearer ${capped}` },
    });
    expect(sub.status).toBe(200);
    const a = await openReader(s.base, '', capped);
    const b = await openReader(s.base, '', capped);
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await openReader(s.base, '', capped);
    expect(c.status).toBe(429);
    expect((c.body as { error: { message: string } }).error.message).toContain('too many live streams');
    for (const x of [a, b]) x.close();
    trpc.abort();
    await waitFor(() => s.rt.hub.subscriberCount === 0, 5_000, 'every stream released');
  });
});

describe(`GET /api/v1/quotes/stream: a slow reader (${DB})`, () => {
  let s: ApiServer;
  beforeAll(async () => {
    // the buffer bound cuts the reader, long before the stall timer would
    s = await startApiServer({ config: { streams: { maxBufferedBytes: 64 * 1024, stallMs: 120_000 } } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('does not hold back the other readers, and is cut once its buffer passes the bound', async () => {
    const { token } = await createApiToken(s.rt.db, { name: 'mixed', role: 'viewer' });
    const fast = await openReader(s.base, '', token);
    expect(fast.status).toBe(200);
    const sock = connect(Number(new URL(s.base).port), '127.0.0.1');
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    sock.write(`GET ${STREAM} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    const head = await new Promise<string>((resolve) => sock.once('data', (c) => resolve(c.toString())));
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    sock.pause(); // stops reading: kernel buffers fill, then the server's socket buffer grows
    let cut = false;
    sock.on('close', () => {
      cut = true;
    });
    sock.on('error', () => {}); // a reset is one way the server may end it
    await waitFor(() => s.rt.hub.live.size === 2, 5_000, 'both readers registered');

    // bulky batches (40 × 8 KB) through the hub's LISTEN entry point; each must reach the fast reader before
    // the next is sent — while the slow one is stuck, and after it is gone
    let round = 0;
    const base = Date.now() - 60_000;
    const send = async () => {
      const ts = new Date(base + round++).toISOString();
      const items = Array.from({ length: 40 }, (_, i) => [
        'US',
        `${i}:${'X'.repeat(8192)}`,
        ts,
        'demo',
        100 + i,
        100,
        101,
        99,
        100,
        1000,
      ]);
      s.rt.hub.onPayload(JSON.stringify(items));
      await waitFor(() => fast.events.length === round, 10_000, `round ${round} at the fast reader`);
    };
    while (!s.logs.text.includes('"reason":"client buffer over limit"')) {
      await send();
      if (round > 2_000) throw new Error('the slow reader was never cut');
    }
    const roundsWhileSlow = round;
    await waitFor(() => s.rt.hub.live.size === 1, 5_000, 'the slow reader to be removed');
    await send();
    expect(roundsWhileSlow).toBeGreaterThan(1);
    expect(fast.events).toHaveLength(round); // every batch, none skipped or held back
    expect(fast.events.every((e) => e.length === 40)).toBe(true);
    sock.resume(); // read what was queued: the server's end follows it
    await waitFor(() => cut, 5_000, 'the slow socket to be closed');
    fast.close();
    sock.destroy();
  }, 60_000);
});
