import { ZMarketSymbol } from '@investiq/contracts';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log';
import { ownerIdOf } from '../owner';
import { authedProcedure, type Context, createTRPCRouter } from '../trpc';
import {
  addWatchlistItem,
  createWatchlist,
  deleteWatchlist,
  getWatchlist,
  listWatchlists,
  moveWatchlistItem,
  removeWatchlistItem,
  renameWatchlist,
} from '../watchlists/watchlists';

const ZWatchlistId = z.uuid({ error: 'id must be a watchlist id (UUID)' });
const ZWatchlistName = z
  .string({ error: 'name must be a string' })
  .trim()
  .min(1, 'name is required')
  .max(40, 'name is too long (max 40 characters)');
const ZItem = z.object({ id: ZWatchlistId, item: ZMarketSymbol });

const meta = (ctx: Context) => ({ actor: actorOf(ctx.principal), ip: ctx.ip });

/** The signed-in user's own lists; another user's list id answers NOT_FOUND. */
export const watchlistsRouter = createTRPCRouter({
  list: authedProcedure
    .input(z.object({}).optional())
    .query(({ ctx }) => listWatchlists(ctx.rt.db, ownerIdOf(ctx.principal))),
  get: authedProcedure
    .input(z.object({ id: ZWatchlistId }))
    .query(({ ctx, input }) => getWatchlist(ctx.rt.db, ownerIdOf(ctx.principal), input.id)),
  create: authedProcedure
    .input(z.object({ name: ZWatchlistName }))
    .mutation(({ ctx, input }) =>
      createWatchlist(ctx.rt.db, ownerIdOf(ctx.principal), input.name, meta(ctx)),
    ),
  rename: authedProcedure
    .input(z.object({ id: ZWatchlistId, name: ZWatchlistName }))
    .mutation(({ ctx, input }) =>
      renameWatchlist(ctx.rt.db, ownerIdOf(ctx.principal), input.id, input.name, meta(ctx)),
    ),
  delete: authedProcedure
    .input(z.object({ id: ZWatchlistId }))
    .mutation(({ ctx, input }) => deleteWatchlist(ctx.rt.db, ownerIdOf(ctx.principal), input.id, meta(ctx))),
  addItem: authedProcedure
    .input(ZItem)
    .mutation(({ ctx, input }) =>
      addWatchlistItem(ctx.rt.db, ownerIdOf(ctx.principal), input.id, input.item, meta(ctx)),
    ),
  removeItem: authedProcedure
    .input(ZItem)
    .mutation(({ ctx, input }) =>
      removeWatchlistItem(ctx.rt.db, ownerIdOf(ctx.principal), input.id, input.item, meta(ctx)),
    ),
  moveItem: authedProcedure
    .input(ZItem.extend({ direction: z.enum(['up', 'down'], { error: 'direction must be up or down' }) }))
    .mutation(({ ctx, input }) =>
      moveWatchlistItem(
        ctx.rt.db,
        ownerIdOf(ctx.principal),
        input.id,
        input.item,
        input.direction,
        meta(ctx),
      ),
    ),
});
