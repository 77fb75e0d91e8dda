import { alertsRouter } from './routers/alerts';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { backtestsRouter } from './routers/backtests';
import { importsRouter } from './routers/imports';
import { marketRouter } from './routers/market';
import { notificationsRouter } from './routers/notifications';
import { operationsRouter } from './routers/operations';
import { portfolioRouter } from './routers/portfolio';
import { promptsRouter } from './routers/prompts';
import { providersRouter } from './routers/providers';
import { quotesRouter } from './routers/quotes';
import { reportsRouter } from './routers/reports';
import { schedulesRouter } from './routers/schedules';
import { settingsRouter } from './routers/settings';
import { collectorRouter, systemRouter, tokensRouter } from './routers/system';
import { usersRouter } from './routers/users';
import { watchlistsRouter } from './routers/watchlists';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  quotes: quotesRouter,
  market: marketRouter,
  system: systemRouter,
  collector: collectorRouter,
  tokens: tokensRouter,
  auth: authRouter,
  users: usersRouter,
  settings: settingsRouter,
  audit: auditRouter,
  prompts: promptsRouter,
  reports: reportsRouter,
  operations: operationsRouter,
  providers: providersRouter,
  backtests: backtestsRouter,
  imports: importsRouter,
  notifications: notificationsRouter,
  watchlists: watchlistsRouter,
  portfolio: portfolioRouter,
  alerts: alertsRouter,
  schedules: schedulesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
