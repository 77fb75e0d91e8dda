import type { TLatestQuote, TQuote } from '@investiq/contracts';
import { describe, expect, it, vi } from 'vitest';
import { decideFreshness } from './decide-freshness';
import { LiveFanout, type LiveSink } from './live-fanout';

const NOW = new Date('2026-12-02T15:00:00.000Z'); // a Wednesday, 10:00 in New York: US open
const quote = (symbol: string, ageSeconds: number, price = 100, source = 'test'): TQuote => ({
  market: 'US',
  symbol,
  ts: new Date(NOW.getTime() - ageSeconds * 1000).toISOString(),
  source,
  price,
  open: null,
  high: null,
  low: null,
  prevClose: 99,
  volume: null,
  change: price - 99,
  changePercent: null,
  currency: 'USD',
});

/** A sink that keeps what it was handed. */
const sink = (keys: string[] | null, maxAgeSeconds?: number) => {
  const got: Buffer[] = [];
  const s: LiveSink & { got: Buffer[] } = {
    keys: keys ? new Set(keys) : null,
    maxAgeSeconds,
    write: (b) => got.push(b),
    got,
  };
  return s;
};
const answers = (b: Buffer): TLatestQuote[] => {
  const text = b.toString();
  expect(text).toMatch(/^event: quotes\ndata: \[.*\]\n\n$/s);
  return JSON.parse(text.slice('event: quotes\ndata: '.length));
};

describe('LiveFanout', () => {
  it('serializes a batch once per (max age, subset): readers wanting the same get the same bytes', async () => {
    let defaultReads = 0;
    const f = new LiveFanout({
      now: () => NOW,
      freshness: {},
      defaultMaxAgeSeconds: async () => {
        defaultReads++;
        return 30;
      },
    });
    const all1 = sink(null);
    const all2 = sink(null);
    const aapl1 = sink(['US:AAPL']);
    const aapl2 = sink(['US:AAPL', 'US:ZZZ']);
    const msft = sink(['US:MSFT']);
    const none = sink(['US:TSLA']);
    for (const s of [all1, all2, aapl1, aapl2, msft, none]) f.add(s);
    f.publish([quote('AAPL', 1, 190), quote('MSFT', 2, 410)]);
    await f.flushed();
    expect(defaultReads).toBe(1); // once per batch, not per reader
    expect(all1.got).toHaveLength(1);
    expect(all2.got[0]).toBe(all1.got[0]); // the same Buffer object
    expect(aapl2.got[0]).toBe(aapl1.got[0]);
    expect(answers(all1.got[0]!).map((a) => a.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(answers(aapl1.got[0]!).map((a) => a.symbol)).toEqual(['AAPL']);
    expect(answers(msft.got[0]!).map((a) => a.symbol)).toEqual(['MSFT']);
    expect(none.got).toHaveLength(0); // nothing it wants: no event
  });

  it('each answer is decideFreshness at publish time, under the reader max age (or the current default)', async () => {
    let def = 30;
    const f = new LiveFanout({ now: () => NOW, freshness: {}, defaultMaxAgeSeconds: async () => def });
    const byDefault = sink(null);
    const strict = sink(null, 5);
    f.add(byDefault);
    f.add(strict);
    const q = quote('AAPL', 10, 190);
    f.publish([q]);
    await f.flushed();
    def = 8; // the admin lowers the default: the next batch is judged by it, without a reconnect
    f.publish([q]);
    await f.flushed();
    const [first, second] = byDefault.got.map(answers);
    expect(first![0]).toEqual(decideFreshness(q, q, 30, NOW));
    expect(first![0]).toMatchObject({ status: 'fresh', ageSeconds: 10, quote: { price: 190 } });
    expect(second![0]).toMatchObject({ status: 'stale', lastSeenAt: q.ts, maxAgeSeconds: 8 });
    expect(second![0]).not.toHaveProperty('quote'); // a stale answer carries no price
    const [s1] = strict.got.map(answers);
    expect(s1![0]).toEqual(decideFreshness(q, q, 5, NOW));
    expect(s1![0]!.status).toBe('stale');
  });

  it('keeps the newest quote per symbol of a batch, and stops sending to a removed reader', async () => {
    const f = new LiveFanout({ now: () => NOW, freshness: {}, defaultMaxAgeSeconds: async () => 30 });
    const a = sink(null);
    const b = sink(null);
    f.add(a);
    const removeB = f.add(b);
    f.publish([quote('AAPL', 1, 191), quote('AAPL', 3, 189)]);
    await f.flushed();
    removeB();
    removeB();
    f.publish([quote('AAPL', 0, 192)]);
    await f.flushed();
    expect(
      a.got.map(answers).map((x) => x.map((y) => (y.status === 'fresh' ? y.quote.price : null))),
    ).toEqual([[191], [192]]);
    expect(b.got).toHaveLength(1);
    expect(f.size).toBe(1);
    f.stop();
  });

  it('pings every sink that got no event since the last heartbeat', async () => {
    vi.useFakeTimers();
    try {
      const f = new LiveFanout({
        now: () => NOW,
        freshness: {},
        defaultMaxAgeSeconds: async () => 30,
        heartbeatMs: 200,
      });
      const idle = sink(['US:MSFT']); // wants nothing that is published below
      const busy = sink(['US:AAPL']);
      f.add(idle);
      f.add(busy);
      const PING = 'event: ping\ndata: 0\n\n';
      const last = (s: { got: Buffer[] }) => s.got.at(-1)?.toString();
      for (let tick = 1; tick <= 3; tick++) {
        f.publish([quote('AAPL', 0, 190 + tick)]);
        await f.flushed();
        vi.advanceTimersByTime(200);
        expect(idle.got).toHaveLength(tick); // a ping per tick
        expect(last(idle)).toBe(PING);
        expect(busy.got).toHaveLength(tick); // its event, no ping
        expect(last(busy)).not.toBe(PING);
      }
      vi.advanceTimersByTime(200); // nothing published: both pinged
      expect(last(busy)).toBe(PING);
      expect(idle.got).toHaveLength(4);
      f.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
