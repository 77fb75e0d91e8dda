import {
  MAX_AGE_SECONDS_LIMIT,
  ZBar,
  ZLatestQuote,
  ZMarketSymbol,
  ZMaxAgeSeconds,
} from '@investiq/contracts';
import { z } from 'zod';
import { freshnessOptions } from '../quotes/freshness-options';
import { getHistory } from '../quotes/get-history';
import { getLatestQuote, getLatestQuotes } from '../quotes/get-latest-quotes';
import { getQuoteSettings } from '../settings/runtime-settings';
import { authedProcedure, createTRPCRouter } from '../trpc';
import { MAX_ITEMS_PER_WATCHLIST } from '../watchlists/watchlists';

const ZLatestInput = ZMarketSymbol.and(z.object({ maxAgeSeconds: ZMaxAgeSeconds.optional() }));

export const quotesRouter = createTRPCRouter({
  /** Newest quote under the strict TTL contract: fresh | delayed (with price) | closed (last close) | stale (last seen, no price) | missing. */
  latest: authedProcedure
    .input(ZLatestInput)
    .output(ZLatestQuote)
    .query(async ({ ctx, input }) =>
      getLatestQuote(
        ctx.rt.db,
        { market: input.market, symbol: input.symbol },
        input.maxAgeSeconds ?? (await getQuoteSettings(ctx.rt)).defaultMaxAgeSeconds,
        ctx.rt.now(),
        freshnessOptions(ctx.rt),
      ),
    ),

  latestMany: authedProcedure
    .input(
      z.object({
        symbols: z
          .array(ZMarketSymbol)
          .min(1, 'symbols must not be empty')
          .max(MAX_ITEMS_PER_WATCHLIST, `at most ${MAX_ITEMS_PER_WATCHLIST} symbols per call`),
        maxAgeSeconds: ZMaxAgeSeconds.optional(),
      }),
    )
    .output(z.array(ZLatestQuote))
    .query(async ({ ctx, input }) =>
      getLatestQuotes(
        ctx.rt.db,
        input.symbols,
        input.maxAgeSeconds ?? (await getQuoteSettings(ctx.rt)).defaultMaxAgeSeconds,
        ctx.rt.now(),
        freshnessOptions(ctx.rt),
      ),
    ),

  history: authedProcedure
    .input(
      ZMarketSymbol.and(
        z.object({
          interval: z.enum(['1m', '5m', '1d']).default('1d'),
          limit: z.number().int().min(1).max(2000).default(500),
        }),
      ),
    )
    .output(z.array(ZBar))
    .query(({ ctx, input }) =>
      getHistory(
        ctx.rt.db,
        { market: input.market, symbol: input.symbol },
        { interval: input.interval, limit: input.limit, now: ctx.rt.now() },
      ),
    ),

  /** Live quotes pushed over SSE as they are ingested anywhere (LISTEN/NOTIFY fan-out). */
  live: authedProcedure
    .input(
      z.object({
        symbols: z
          .array(ZMarketSymbol)
          .max(MAX_ITEMS_PER_WATCHLIST, `at most ${MAX_ITEMS_PER_WATCHLIST} symbols per subscription`)
          .default([]),
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      ctx.rt.metrics.liveSubscribers.inc();
      try {
        yield* ctx.rt.hub.subscribe(
          input.symbols.map((s) => `${s.market}:${s.symbol}`),
          signal,
        );
      } finally {
        ctx.rt.metrics.liveSubscribers.dec();
      }
    }),

  limits: authedProcedure.query(async ({ ctx }) => {
    const q = await getQuoteSettings(ctx.rt);
    return {
      defaultMaxAgeSeconds: q.defaultMaxAgeSeconds,
      maxAgeSecondsLimit: MAX_AGE_SECONDS_LIMIT,
      retentionDays: q.retentionDays,
    };
  }),
});
