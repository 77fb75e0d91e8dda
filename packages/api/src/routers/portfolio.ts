import { ZMarket, ZSymbol } from '@investiq/contracts';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log';
import { ownerIdOf } from '../owner';
import { ensureDemoFxRates, listFxRates, setFxRate } from '../portfolio/fx-rates';
import { CURRENCIES, TRANSACTION_TYPES } from '../portfolio/ledger';
import { getPortfolioHistory, getPortfolioView } from '../portfolio/portfolio-view';
import {
  addTransaction,
  createPortfolio,
  deleteTransaction,
  importTransactionsCsv,
  listPortfolios,
  listTransactions,
  setBaseCurrency,
} from '../portfolio/portfolios';
import { freshnessOptions } from '../quotes/freshness-options';
import { getQuoteSettings } from '../settings/runtime-settings';
import { adminProcedure, authedProcedure, type Context, createTRPCRouter } from '../trpc';

const ZPortfolioId = z.uuid({ error: 'id must be a portfolio id (UUID)' });
const ZCurrency = z.enum(CURRENCIES, { error: `currency must be one of ${CURRENCIES.join(', ')}` });
const ZAmount = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .finite(`${field} must be a finite number`)
    .max(1e13, `${field} is too large`);
const ZDate = z.iso.date({ error: 'tradeDate must be a date YYYY-MM-DD' });

export const ZNewTransaction = z.object({
  type: z.enum(TRANSACTION_TYPES, { error: `type must be one of ${TRANSACTION_TYPES.join(', ')}` }),
  market: ZMarket,
  symbol: ZSymbol,
  tradeDate: ZDate,
  quantity: ZAmount('quantity'),
  price: ZAmount('price'),
  fee: ZAmount('fee').optional(),
  currency: ZCurrency.optional(),
  note: z.string().max(200, 'note is too long (max 200 characters)').nullish(),
});

const meta = (ctx: Context) => ({ actor: actorOf(ctx.principal), ip: ctx.ip });

async function withDemoFx(ctx: Context) {
  if (ctx.rt.provider.id === 'demo') await ensureDemoFxRates(ctx.rt.db, ctx.rt.now());
}

/** The signed-in user's own portfolios; another user's portfolio id answers NOT_FOUND. */
export const portfolioRouter = createTRPCRouter({
  list: authedProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) => listPortfolios(ctx.rt.db, ownerIdOf(ctx.principal))),
  create: authedProcedure
    .input(
      z.object({
        name: z.string().trim().min(1, 'name is required').max(40, 'name is too long (max 40 characters)'),
        baseCurrency: ZCurrency,
      }),
    )
    .mutation(({ ctx, input }) => createPortfolio(ctx.rt.db, ownerIdOf(ctx.principal), input, meta(ctx))),
  setBaseCurrency: authedProcedure
    .input(z.object({ id: ZPortfolioId, baseCurrency: ZCurrency }))
    .mutation(({ ctx, input }) =>
      setBaseCurrency(ctx.rt.db, ownerIdOf(ctx.principal), input.id, input.baseCurrency, meta(ctx)),
    ),
  /** Holdings valued under the freshness contract, totals in the base currency, FX used with as-of times. */
  get: authedProcedure.input(z.object({ id: ZPortfolioId })).query(async ({ ctx, input }) => {
    await withDemoFx(ctx);
    return getPortfolioView(ctx.rt.db, ownerIdOf(ctx.principal), input.id, {
      maxAgeSeconds: (await getQuoteSettings(ctx.rt)).defaultMaxAgeSeconds,
      now: ctx.rt.now(),
      freshness: freshnessOptions(ctx.rt),
    });
  }),
  history: authedProcedure
    .input(z.object({ id: ZPortfolioId, days: z.number().int().min(7).max(3650).default(365) }))
    .query(async ({ ctx, input }) => {
      await withDemoFx(ctx);
      return getPortfolioHistory(ctx.rt.db, ownerIdOf(ctx.principal), input.id, {
        days: input.days,
        now: ctx.rt.now(),
      });
    }),
  transactions: authedProcedure
    .input(z.object({ id: ZPortfolioId }))
    .query(({ ctx, input }) => listTransactions(ctx.rt.db, ownerIdOf(ctx.principal), input.id)),
  addTransaction: authedProcedure
    .input(z.object({ id: ZPortfolioId, transaction: ZNewTransaction }))
    .mutation(({ ctx, input }) =>
      addTransaction(ctx.rt.db, ownerIdOf(ctx.principal), input.id, input.transaction, meta(ctx)),
    ),
  deleteTransaction: authedProcedure
    .input(z.object({ id: ZPortfolioId, transactionId: z.uuid({ error: 'transactionId must be a UUID' }) }))
    .mutation(({ ctx, input }) =>
      deleteTransaction(ctx.rt.db, ownerIdOf(ctx.principal), input.id, input.transactionId, meta(ctx)),
    ),
  /** The whole file is checked; any bad row → 400 with `details.errors` [{ row, field, message }], nothing written. */
  importCsv: authedProcedure
    .input(
      z.object({
        id: ZPortfolioId,
        csv: z.string().min(1, 'csv is empty').max(2_000_000, 'csv is too large (max 2 MB)'),
      }),
    )
    .mutation(({ ctx, input }) =>
      importTransactionsCsv(ctx.rt.db, ownerIdOf(ctx.principal), input.id, input.csv, meta(ctx)),
    ),
  fxRates: authedProcedure.input(z.object({}).optional()).query(async ({ ctx }) => {
    await withDemoFx(ctx);
    return listFxRates(ctx.rt.db);
  }),
  setFxRate: adminProcedure
    .input(
      z.object({
        base: ZCurrency,
        quote: ZCurrency,
        rate: z
          .number({ error: 'rate must be a number' })
          .positive('rate must be above 0')
          .max(1e6, 'rate is too large'),
        asOf: z.iso.datetime({ error: 'asOf must be an ISO time' }),
      }),
    )
    .mutation(({ ctx, input }) => setFxRate(ctx.rt.db, { ...input, asOf: new Date(input.asOf) }, meta(ctx))),
});
