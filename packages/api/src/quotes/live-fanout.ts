import type { TLatestQuote, TQuote } from '@investiq/contracts';
import type { Logger } from '../observability/logger';
import { decideFreshness, type FreshnessOptions } from './decide-freshness';

/** One live reader (an SSE response): what it wants and where its bytes go. */
export interface LiveSink {
  /** `MARKET:SYMBOL` keys wanted; null = every quote the hub hears. */
  readonly keys: ReadonlySet<string> | null;
  /** The reader's max age (strict TTL); undefined = the configured default when each event is made. */
  readonly maxAgeSeconds?: number;
  /** Hand over one complete SSE event. The sink may close itself here (a reader that stopped reading). */
  write(chunk: Buffer): void;
}

export interface LiveFanoutOptions {
  now: () => Date;
  freshness: FreshnessOptions;
  /** The stored default max age (settings cache): read once per batch, so a change applies without reconnects. */
  defaultMaxAgeSeconds: () => Promise<number>;
  /** A `ping` event to every sink this often (proxies keep the stream open, clients notice a dead one). */
  heartbeatMs?: number;
  log?: Logger;
}

/** Keeps the browser's EventSource from reconnecting in a tight loop after a drop. */
export const SSE_PREAMBLE = Buffer.from('retry: 3000\n\n');
const PING = Buffer.from('event: ping\ndata: 0\n\n');

/** One `quotes` SSE event: the freshness answers as a JSON array (already serialized items). */
export function quotesEvent(items: readonly string[]): Buffer {
  return Buffer.from(`event: quotes\ndata: [${items.join(',')}]\n\n`);
}

export function encodeAnswers(answers: readonly TLatestQuote[]): Buffer {
  return quotesEvent(answers.map((a) => JSON.stringify(a)));
}

/**
 * Broadcast of live quotes to many SSE readers at the cost of one: each batch is judged under the freshness
 * contract and serialized once per distinct (max age, wanted subset), and the same bytes go to every reader
 * that wants them — no per-reader generator, stream pipeline or JSON. Batches go out in arrival order.
 */
export class LiveFanout {
  private readonly sinks = new Set<LiveSink>();
  /** Sinks that got an event since the last heartbeat tick: they need no ping (one socket write fewer each). */
  private readonly active = new Set<LiveSink>();
  private tail: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly opts: LiveFanoutOptions) {}

  get size(): number {
    return this.sinks.size;
  }

  /** Start sending to `sink`; returns the function that stops it (idempotent). */
  add(sink: LiveSink): () => void {
    this.sinks.add(sink);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => {
        for (const s of this.sinks) if (!this.active.has(s)) s.write(PING);
        this.active.clear();
      }, this.opts.heartbeatMs ?? 10_000);
      this.heartbeat.unref();
    }
    return () => {
      this.sinks.delete(sink);
      this.active.delete(sink);
      if (this.sinks.size === 0 && this.heartbeat) {
        clearInterval(this.heartbeat);
        this.heartbeat = null;
      }
    };
  }

  /** Queue one batch (a NOTIFY payload) for every sink. */
  publish(quotes: readonly TQuote[]): void {
    if (this.sinks.size === 0 || quotes.length === 0) return;
    this.tail = this.tail
      .then(() => this.deliver(quotes))
      .catch((err) => this.opts.log?.warn({ err: String(err) }, 'live quote fan-out failed'));
  }

  /** Resolves when every batch published so far has been handed to the sinks (tests). */
  flushed(): Promise<void> {
    return this.tail;
  }

  private async deliver(quotes: readonly TQuote[]): Promise<void> {
    // newest quote per symbol: a reader gets the current state, not the batch's history
    const newest = new Map<string, TQuote>();
    for (const q of quotes) {
      const key = `${q.market}:${q.symbol}`;
      const seen = newest.get(key);
      if (!seen || seen.ts <= q.ts) newest.set(key, q);
    }
    let fallback: number | undefined;
    for (const s of this.sinks) if (s.maxAgeSeconds === undefined) fallback = 0;
    if (fallback !== undefined) fallback = await this.opts.defaultMaxAgeSeconds();
    const now = this.opts.now();
    const judged = new Map<number, Map<string, string>>(); // max age → key → serialized answer
    const events = new Map<string, Buffer>(); // max age + subset → event bytes
    for (const sink of this.sinks) {
      const maxAge = sink.maxAgeSeconds ?? fallback!;
      let items = judged.get(maxAge);
      if (!items) {
        items = new Map();
        for (const [key, q] of newest)
          items.set(key, JSON.stringify(decideFreshness(q, q, maxAge, now, this.opts.freshness)));
        judged.set(maxAge, items);
      }
      let cacheKey: string;
      let wanted: string[] | null = null;
      if (sink.keys === null) cacheKey = `${maxAge}|*`;
      else {
        wanted = [];
        for (const key of newest.keys()) if (sink.keys.has(key)) wanted.push(key);
        if (wanted.length === 0) continue;
        cacheKey = `${maxAge}|${wanted.join(',')}`;
      }
      let bytes = events.get(cacheKey);
      if (!bytes) {
        const its = items;
        bytes = quotesEvent(wanted ? wanted.map((k) => its.get(k)!) : [...its.values()]);
        events.set(cacheKey, bytes);
      }
      sink.write(bytes);
      this.active.add(sink);
    }
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.sinks.clear();
    this.active.clear();
  }
}
