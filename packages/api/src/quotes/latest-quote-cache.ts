import type { TQuote } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';

/** What the cache holds for a known symbol: its newest stored quote, or null when none is stored yet. */
type Latest = TQuote | null;

interface Entry {
  quote: Latest;
  /** When the database last confirmed this entry (ms); past `refreshMs` it is read again. */
  confirmedAt: number;
}

interface Flight {
  /** The database read for this key (shared by concurrent misses). */
  done: Promise<void>;
  /** The newest quote announced while the read was in flight (the read's snapshot may predate it). */
  announced: Latest;
}

export interface LatestQuoteCacheOptions {
  /** Most symbols kept (the oldest confirmed entry is dropped beyond; default 20 000). */
  maxEntries?: number;
  /** An entry older than this (ms) is read from the database again (default 30 000). */
  refreshMs?: number;
  /** Monotonic clock in ms (tests). */
  clock?: () => number;
}

/** The source of live updates: QuoteHub (LISTEN investiq_quotes), or a test's stand-in. */
export interface QuoteFeed {
  onQuote(listener: (quote: TQuote) => void): () => void;
  onState(listener: (state: 'down' | 'up') => void): () => void;
}

/**
 * Newest quote per symbol, kept in this process and fed by the NOTIFY stream every ingest sends (any
 * process) plus this process's own ingests, synchronously after their commit. Only a database read creates
 * an entry (a notification alone cannot tell whether it is the newest stored row); notifications then
 * replace an entry's quote when strictly newer. The cache decides nothing about freshness: it hands out the
 * stored quote, and `decideFreshness` judges it at read time.
 *
 * Trusted only while LISTEN is up: when it drops, every entry is forgotten and reads go to the database until
 * it is back (reads begun before the drop are not stored). Each entry is re-read after `refreshMs`, which
 * also bounds anything no notification announces (a retention drop, a symbol removed by hand).
 */
export class LatestQuoteCache {
  private readonly entries = new Map<string, Entry>();
  private readonly flights = new Map<string, Flight>();
  private generation = 0;
  private trusted = true;
  private readonly maxEntries: number;
  private readonly refreshMs: number;
  private readonly clock: () => number;
  readonly stats = { hits: 0, misses: 0, reads: 0 };

  constructor(opts: LatestQuoteCacheOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 20_000;
    this.refreshMs = opts.refreshMs ?? 30_000;
    this.clock = opts.clock ?? (() => performance.now());
  }

  get size(): number {
    return this.entries.size;
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  /** A quote that was just stored (announced by NOTIFY, or ingested by this process). */
  note(announced: TQuote): void {
    const quote = Object.freeze(announced);
    const key = `${quote.market}:${quote.symbol}`;
    const flight = this.flights.get(key);
    if (flight) flight.announced = newer(flight.announced, quote);
    const entry = this.entries.get(key);
    if (entry) entry.quote = newer(entry.quote, quote);
  }

  /** LISTEN lost: trust nothing until it is back. LISTEN restored: start empty. */
  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.generation += 1;
    this.entries.clear();
    this.flights.clear();
  }

  /**
   * The newest quote per key (`market:symbol`), from memory where confirmed, else from `load` — called once
   * with the missing keys no other read is already loading; it returns each known key's newest quote (null:
   * known, none stored) and leaves unknown symbols out (those are not cached). Keys absent from the answer are
   * unknown symbols.
   */
  async read(
    keys: readonly string[],
    load: (keys: string[]) => Promise<Map<string, Latest>>,
  ): Promise<Map<string, Latest>> {
    const out = new Map<string, Latest>();
    if (!this.trusted) {
      this.stats.misses += keys.length;
      this.stats.reads += 1;
      return load([...new Set(keys)]);
    }
    const now = this.clock();
    const missing: string[] = [];
    const shared: string[] = [];
    const waits: Promise<unknown>[] = [];
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry && now - entry.confirmedAt <= this.refreshMs) {
        this.stats.hits += 1;
        out.set(key, entry.quote);
        continue;
      }
      this.stats.misses += 1;
      const flight = this.flights.get(key);
      if (flight) {
        shared.push(key);
        waits.push(flight.done);
      } else if (!missing.includes(key)) missing.push(key);
    }
    if (missing.length === 0 && waits.length === 0) return out;
    const own = missing.length > 0 ? this.loadInto(missing, load) : Promise.resolve(new Map());
    const [loaded] = await Promise.all([own, ...waits]);
    for (const [k, v] of loaded as Map<string, Latest>) out.set(k, v);
    // another read's result: from the entry it stored; if it holds none (unknown symbol, that read failed,
    // or LISTEN was lost meanwhile) read those keys here
    const again = shared.filter((k) => !out.has(k) && !this.entries.has(k));
    for (const k of shared) if (!out.has(k) && this.entries.has(k)) out.set(k, this.entries.get(k)!.quote);
    if (again.length > 0) {
      this.stats.reads += 1;
      for (const [k, v] of await load([...new Set(again)])) out.set(k, v);
    }
    return out;
  }

  /** One database read for `keys`, registered as their flight; stores what it read (unless LISTEN dropped). */
  private loadInto(
    keys: string[],
    load: (keys: string[]) => Promise<Map<string, Latest>>,
  ): Promise<Map<string, Latest>> {
    const generation = this.generation;
    const mine = new Map<string, Flight>();
    this.stats.reads += 1;
    const result = (async () => {
      try {
        const rows = await load(keys);
        const confirmedAt = this.clock();
        const out = new Map<string, Latest>();
        for (const [key, flight] of mine) {
          if (!rows.has(key)) continue; // unknown symbol
          const quote = newer(rows.get(key) ?? null, flight.announced);
          out.set(key, quote);
          if (generation !== this.generation) continue;
          this.entries.delete(key); // re-inserted last: Map order is confirmation order (eviction)
          this.entries.set(key, { quote, confirmedAt });
        }
        while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        return out;
      } finally {
        for (const [key, flight] of mine) if (this.flights.get(key) === flight) this.flights.delete(key);
      }
    })();
    const done = result.then(
      () => {},
      () => {},
    );
    for (const key of keys) {
      const flight: Flight = { done, announced: null };
      mine.set(key, flight);
      this.flights.set(key, flight);
    }
    return result;
  }
}

/** The strictly newer of two quotes (equal times keep the first: one stored row per time is chosen). */
function newer(a: Latest, b: Latest): Latest {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b.ts) > Date.parse(a.ts) ? b : a;
}

const caches = new WeakMap<DatabaseHandle, LatestQuoteCache>();

/** The cache attached to this database handle (one per process), if any: `getLatestQuotes` reads through it. */
export function latestQuoteCacheOf(db: DatabaseHandle): LatestQuoteCache | undefined {
  return caches.get(db);
}

/**
 * Serve latest-quote reads on `db` from memory, kept current by `feed` (the process's QuoteHub). Returns the
 * function that detaches it (reads go to the database again).
 */
export function attachLatestQuoteCache(
  db: DatabaseHandle,
  feed: QuoteFeed,
  opts: LatestQuoteCacheOptions = {},
): { cache: LatestQuoteCache; detach: () => void } {
  const cache = new LatestQuoteCache(opts);
  const offQuote = feed.onQuote((q) => cache.note(q));
  const offState = feed.onState((st) => cache.setTrusted(st === 'up'));
  caches.set(db, cache);
  return {
    cache,
    detach: () => {
      offQuote();
      offState();
      if (caches.get(db) === cache) caches.delete(db);
    },
  };
}
