import { marketRouter } from './routers/market';
import { quotesRouter } from './routers/quotes';
import { collectorRouter, systemRouter, tokensRouter } from './routers/system';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  quotes: quotesRouter,
  market: marketRouter,
  system: systemRouter,
  collector: collectorRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
