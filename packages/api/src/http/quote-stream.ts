import type { IncomingMessage } from 'node:http';
import { MARKETS, symbolFormatError, type TMarket, ZMaxAgeSeconds } from '@investiq/contracts';
import { AppError } from '../errors';
import { freshnessOptions } from '../quotes/freshness-options';
import { getLatestQuotes, type SymbolKey } from '../quotes/get-latest-quotes';
import { encodeAnswers, type LiveSink, SSE_PREAMBLE } from '../quotes/live-fanout';
import type { Runtime } from '../runtime';
import { getQuoteSettings } from '../settings/runtime-settings';
import type { Principal } from '../trpc';
import { MAX_ITEMS_PER_WATCHLIST } from '../watchlists/watchlists';
import type { ApiRoute } from './auth-routes';
import type { createStreamGuard, StreamLimits } from './stream-guard';

/** The live quote stream (docs/market-data.md). */
export const QUOTE_STREAM_PATH = /^\/api\/v1\/quotes\/stream\/?$/;
/** Most symbols one stream may name (as the tRPC subscription). */
/** As many as a watchlist holds, so one stream serves a whole list. */
export const MAX_STREAM_SYMBOLS = MAX_ITEMS_PER_WATCHLIST;

/** `max_age_seconds` of a query string: decimal digits only (Number() would also read '0x10', '1e3', ' 12 '). */
export function parseMaxAgeParam(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const parsed = ZMaxAgeSeconds.safeParse(/^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN);
  if (!parsed.success)
    throw new AppError('BAD_REQUEST', `max_age_seconds: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** `symbols=US:AAPL,CN:600519.SH` (empty or absent = every quote); names the first bad entry. */
export function parseSymbolsParam(raw: string | null): SymbolKey[] {
  if (raw === null || raw.trim() === '') return [];
  const parts = raw.split(',');
  if (parts.length > MAX_STREAM_SYMBOLS)
    throw new AppError(
      'BAD_REQUEST',
      `symbols: at most ${MAX_STREAM_SYMBOLS} per stream (got ${parts.length}); open another stream`,
    );
  const out = new Map<string, SymbolKey>();
  for (const part of parts) {
    const m = /^([A-Za-z]{2}):(.+)$/.exec(part.trim());
    const market = m?.[1]?.toUpperCase() as TMarket | undefined;
    if (!m || !market || !MARKETS.includes(market))
      throw new AppError(
        'BAD_REQUEST',
        `symbols: '${part.slice(0, 40)}' is not MARKET:SYMBOL with MARKET one of ${MARKETS.join(', ')} (e.g. US:AAPL)`,
      );
    const symbol = m[2]!.trim().toUpperCase();
    const err = symbolFormatError(market, symbol);
    if (err) throw new AppError('BAD_REQUEST', `symbols: ${err}`);
    out.set(`${market}:${symbol}`, { market, symbol });
  }
  return [...out.values()];
}

type Guard = ReturnType<typeof createStreamGuard>;
type Authed = Exclude<Principal, { kind: 'anonymous' }>;

/**
 * `GET /api/v1/quotes/stream?symbols=…&max_age_seconds=N` (viewer): server-sent events. First the current
 * freshness answer of each named symbol (`quotes` event), then a `quotes` event per ingested batch with the
 * answers for the wanted symbols, judged by the server when the batch arrives (stale answers carry no price),
 * a `ping` event every 10 s. Same admission as the tRPC subscriptions (stream guard: per-principal cap,
 * maximum duration, credential re-check); a reader whose socket buffer passes `maxBufferedBytes` is cut.
 * On reconnect the first event is again the current state: nothing older is replayed (newest per symbol).
 */
export function quoteStreamRoute(
  rt: Runtime,
  deps: {
    guard: Guard;
    limits: StreamLimits;
    requireViewer: (req: IncomingMessage) => Promise<Authed>;
    clientIp: (req: IncomingMessage) => string;
  },
): ApiRoute {
  return {
    method: 'GET',
    pattern: QUOTE_STREAM_PATH,
    name: 'quote-stream',
    run: async (req, res, _m, url) => {
      const principal = await deps.requireViewer(req);
      const refs = parseSymbolsParam(url.searchParams.get('symbols'));
      const maxAgeSeconds = parseMaxAgeParam(url.searchParams.get('max_age_seconds'));
      // unknown symbols are a 404 naming them, before the stream starts
      const snapshot =
        refs.length > 0
          ? await getLatestQuotes(
              rt.db,
              refs,
              maxAgeSeconds ?? (await getQuoteSettings(rt)).defaultMaxAgeSeconds,
              rt.now(),
              freshnessOptions(rt),
            )
          : [];
      if (req.destroyed || res.destroyed) return; // gone while we read the snapshot
      await deps.guard.admit(req, res, deps.clientIp(req), principal);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // nginx: pass events through as they come
      });
      res.write(SSE_PREAMBLE);
      let closed = false;
      const sink: LiveSink = {
        keys: refs.length > 0 ? new Set(refs.map((r) => `${r.market}:${r.symbol}`)) : null,
        maxAgeSeconds,
        write(chunk) {
          if (closed) return;
          // slow reader: drop it rather than queue without bound (the stream guard also cuts a stalled one)
          if (res.writableLength > deps.limits.maxBufferedBytes) {
            closed = true;
            rt.log.debug({ reason: 'client buffer over limit' }, 'closing live stream');
            res.destroy();
            return;
          }
          res.write(chunk);
        },
      };
      // registered before the snapshot is written: a batch arriving meanwhile is not lost (the client keeps
      // whichever answer is newer)
      const remove = rt.hub.live.add(sink);
      rt.metrics.liveSubscribers.inc();
      res.once('close', () => {
        closed = true;
        remove();
        rt.metrics.liveSubscribers.dec();
      });
      if (snapshot.length > 0) sink.write(encodeAnswers(snapshot));
    },
  };
}
