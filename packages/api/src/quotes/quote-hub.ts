import { EventEmitter } from 'node:events';
import type { TQuote } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import type { Logger } from '../observability/logger';
import { QUOTES_CHANNEL } from './ingest-quotes';
import { LiveFanout, type LiveFanoutOptions } from './live-fanout';
import { QUOTE_COLUMNS, type QuoteRow, toQuote } from './quote-row';

type Payload = [
  string,
  string,
  string,
  string,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
];

/**
 * Fans quotes out to live subscribers. Fed by LISTEN on the quotes channel, so an ingest in any process
 * (collector, HTTP ingest on another web replica) reaches every web process; on PGlite it is in-process.
 * Two ways out: `live` (each batch serialized once, the same bytes to every SSE reader — the quote stream
 * route) and `subscribe` (an async generator per reader — the tRPC `quotes.live` subscription).
 */
export class QuoteHub {
  private internalListeners = 0;
  private readonly emitter = new EventEmitter();
  private readonly stateListeners = new Set<(state: 'down' | 'up') => void>();
  private unlisten: (() => Promise<void>) | null = null;
  /** Broadcast to SSE readers, judged under the freshness contract. */
  readonly live: LiveFanout;
  constructor(
    private readonly log?: Logger,
    // the runtime passes its clock, freshness options and stored default; a bare hub (tests) judges by 30 s
    live: Omit<LiveFanoutOptions, 'log'> = {
      now: () => new Date(),
      freshness: {},
      defaultMaxAgeSeconds: async () => 30,
    },
  ) {
    this.emitter.setMaxListeners(0);
    this.live = new LiveFanout({ ...live, log });
  }

  async start(db: DatabaseHandle): Promise<void> {
    this.unlisten = await db.listen(QUOTES_CHANNEL, (payload) => this.onPayload(payload), {
      onState: (st) => {
        for (const l of this.stateListeners) l(st);
        if (st === 'down') {
          this.log?.warn({ channel: QUOTES_CHANNEL }, 'quotes LISTEN lost; reconnecting');
          return;
        }
        this.log?.info({ channel: QUOTES_CHANNEL }, 'quotes LISTEN restored; re-reading latest quotes');
        this.replayLatest(db).catch((err) =>
          this.log?.warn({ err: String(err) }, 're-reading latest quotes after reconnect failed'),
        );
      },
    });
  }

  /**
   * Quotes stored while LISTEN was down were never announced: push the newest one per tracked symbol
   * (the whole universe is thousands of names; only tracked ones are streamed).
   */
  async replayLatest(db: DatabaseHandle): Promise<number> {
    const rows = await db.query<QuoteRow>(
      `SELECT ${QUOTE_COLUMNS} FROM (
         SELECT q.* FROM symbols s
          CROSS JOIN LATERAL (SELECT * FROM realtime_quotes q
                               WHERE q.market = s.market AND q.symbol = s.symbol
                               ORDER BY q.ts DESC LIMIT 1) q
          WHERE s.tracked) latest`,
    );
    const quotes = rows.map(toQuote);
    for (const q of quotes) this.emitter.emit('quote', q);
    this.live.publish(quotes);
    return rows.length;
  }

  onPayload(payload: string): void {
    let items: Payload[];
    try {
      items = JSON.parse(payload) as Payload[];
    } catch (err) {
      this.log?.warn({ err }, 'ignoring malformed quotes notification');
      return;
    }
    const quotes: TQuote[] = [];
    for (const [market, symbol, ts, source, price, open, high, low, prevClose, volume] of items) {
      const quote = toQuote({
        market,
        symbol,
        ts,
        source,
        price,
        open,
        high,
        low,
        prev_close: prevClose,
        volume,
      });
      quotes.push(quote);
      this.emitter.emit('quote', quote);
    }
    this.live.publish(quotes);
  }

  /** Every quote as it arrives, synchronously (the alert engine); returns the function that unsubscribes. */
  onQuote(listener: (quote: TQuote) => void): () => void {
    this.emitter.on('quote', listener);
    this.internalListeners += 1;
    let on = true;
    return () => {
      if (!on) return;
      on = false;
      this.internalListeners -= 1;
      this.emitter.off('quote', listener);
    };
  }

  /** LISTEN lost (`down`: quotes may be missed until `up`) or restored; returns the function that unsubscribes. */
  onState(listener: (state: 'down' | 'up') => void): () => void {
    this.stateListeners.add(listener);
    return () => {
      this.stateListeners.delete(listener);
    };
  }

  /** Live subscribers (SSE streams of both kinds); in-process listeners of `onQuote` are not counted. */
  get subscriberCount(): number {
    return this.emitter.listenerCount('quote') - this.internalListeners + this.live.size;
  }

  /**
   * Live quotes for the given symbols (all when `keys` is empty) until `signal` aborts. A subscriber that
   * reads slower than quotes arrive gets the newest quote per symbol, not a backlog: at most one pending
   * quote per symbol, and at most `maxPending` symbols (the oldest pending one is dropped beyond that).
   */
  async *subscribe(
    keys: readonly string[],
    signal?: AbortSignal,
    maxPending = 1_000,
  ): AsyncGenerator<TQuote> {
    const wanted = new Set(keys);
    const pending = new Map<string, TQuote>();
    let wake: (() => void) | null = null;
    const onQuote = (quote: TQuote) => {
      const key = `${quote.market}:${quote.symbol}`;
      if (wanted.size > 0 && !wanted.has(key)) return;
      pending.delete(key);
      pending.set(key, quote);
      if (pending.size > maxPending) pending.delete(pending.keys().next().value!);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.emitter.on('quote', onQuote);
    signal?.addEventListener('abort', onAbort);
    try {
      while (!signal?.aborted) {
        const next = pending.entries().next();
        if (!next.done) {
          pending.delete(next.value[0]);
          yield next.value[1];
          continue;
        }
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = null;
      }
    } finally {
      this.emitter.off('quote', onQuote);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
    this.emitter.removeAllListeners();
    this.live.stop();
    this.stateListeners.clear();
  }
}
