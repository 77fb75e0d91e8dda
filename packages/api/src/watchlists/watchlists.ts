import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle, Transaction } from '@investiq/db';
import { symbols, watchlistItems, watchlists } from '@investiq/db/schema';
import { and, asc, eq, max, sql } from 'drizzle-orm';
import { auditInTx } from '../audit/audit-in-tx';
import type { Actor } from '../audit/audit-log';
import { AppError } from '../errors';

/** Name of the list every user gets on first read. */
export const DEFAULT_WATCHLIST_NAME = 'Watchlist';
/** Symbols of the default list when the universe has no demo symbols: the first N of the universe. */
const DEFAULT_LIST_SIZE = 10;
export const MAX_WATCHLISTS_PER_USER = 20;
export const MAX_ITEMS_PER_WATCHLIST = 200;

export interface SymbolRef {
  market: TMarket;
  symbol: string;
}

export interface TWatchlistSummary {
  id: string;
  name: string;
  position: number;
  itemCount: number;
}

export interface TWatchlistItem {
  market: TMarket;
  symbol: string;
  position: number;
  name: string;
  nameZh: string;
  currency: string;
  isDemo: boolean;
}

export interface TWatchlist {
  id: string;
  name: string;
  position: number;
  items: TWatchlistItem[];
}

interface WriteMeta {
  actor: Actor;
  ip?: string | null;
}

/**
 * The default list: the tracked symbols (each market's watch list: the demo universe, or the symbols a
 * vendor chain lists), else the first DEFAULT_LIST_SIZE symbols of the universe by market and symbol.
 */
export async function defaultWatchlistSymbols(db: DatabaseHandle): Promise<SymbolRef[]> {
  // the tracked symbols: the markets' watch lists (the demo universe, or a vendor's list), whether or not
  // their quotes currently come from the demo market
  const tracked = await db.db
    .select({ market: symbols.market, symbol: symbols.symbol })
    .from(symbols)
    .where(eq(symbols.tracked, true))
    .orderBy(asc(symbols.market), asc(symbols.symbol));
  if (tracked.length > 0) return tracked as SymbolRef[];
  const first = await db.db
    .select({ market: symbols.market, symbol: symbols.symbol })
    .from(symbols)
    .orderBy(asc(symbols.market), asc(symbols.symbol))
    .limit(DEFAULT_LIST_SIZE);
  return first as SymbolRef[];
}

/** What the collector should poll: the union of every user's lists plus the default list. */
export async function watchedSymbols(db: DatabaseHandle): Promise<SymbolRef[]> {
  const watched = await db.db
    .selectDistinct({ market: watchlistItems.market, symbol: watchlistItems.symbol })
    .from(watchlistItems)
    .orderBy(asc(watchlistItems.market), asc(watchlistItems.symbol));
  const seen = new Set<string>();
  const out: SymbolRef[] = [];
  for (const r of [...(await defaultWatchlistSymbols(db)), ...(watched as SymbolRef[])]) {
    const k = `${r.market}:${r.symbol}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

/** The user's lists in switcher order; a user with none gets the default list (created here, once). */
export async function listWatchlists(db: DatabaseHandle, userId: string): Promise<TWatchlistSummary[]> {
  const read = () =>
    db.db
      .select({
        id: watchlists.id,
        name: watchlists.name,
        position: watchlists.position,
        itemCount: sql<number>`(SELECT count(*)::int FROM ${watchlistItems} WHERE ${watchlistItems.watchlistId} = ${watchlists.id})`,
      })
      .from(watchlists)
      .where(eq(watchlists.userId, userId))
      .orderBy(asc(watchlists.position), asc(watchlists.createdAt));
  const lists = await read();
  if (lists.length > 0) return lists;
  const defaults = await defaultWatchlistSymbols(db);
  await db.db.transaction(async (tx) => {
    // two first reads racing: the unique (user_id, name) lets one of them create it
    const [created] = await tx
      .insert(watchlists)
      .values({ userId, name: DEFAULT_WATCHLIST_NAME, position: 0 })
      .onConflictDoNothing()
      .returning({ id: watchlists.id });
    if (created && defaults.length > 0)
      await tx.insert(watchlistItems).values(
        defaults.map((d, i) => ({
          watchlistId: created.id,
          market: d.market,
          symbol: d.symbol,
          position: i,
        })),
      );
  });
  return read();
}

async function ownedList(db: DatabaseHandle | Transaction, userId: string, id: string) {
  const h = 'db' in db ? db.db : db;
  const [row] = await h
    .select({ id: watchlists.id, name: watchlists.name, position: watchlists.position })
    .from(watchlists)
    .where(and(eq(watchlists.id, id), eq(watchlists.userId, userId)));
  // someone else's list answers exactly like a list that does not exist
  if (!row) throw new AppError('NOT_FOUND', `watchlist ${id} not found`);
  return row;
}

export async function getWatchlist(db: DatabaseHandle, userId: string, id: string): Promise<TWatchlist> {
  const list = await ownedList(db, userId, id);
  const items = await db.db
    .select({
      market: watchlistItems.market,
      symbol: watchlistItems.symbol,
      position: watchlistItems.position,
      name: symbols.name,
      nameZh: symbols.nameZh,
      currency: symbols.currency,
      isDemo: symbols.isDemo,
    })
    .from(watchlistItems)
    .innerJoin(
      symbols,
      and(eq(symbols.market, watchlistItems.market), eq(symbols.symbol, watchlistItems.symbol)),
    )
    .where(eq(watchlistItems.watchlistId, id))
    .orderBy(asc(watchlistItems.position), asc(watchlistItems.market), asc(watchlistItems.symbol));
  return { ...list, items: items as TWatchlistItem[] };
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause)
    if ((e as { code?: string }).code === '23505') return true;
  return false;
}

export async function createWatchlist(
  db: DatabaseHandle,
  userId: string,
  name: string,
  meta: WriteMeta,
): Promise<TWatchlistSummary> {
  try {
    return await db.db.transaction(async (tx) => {
      const [agg] = await tx
        .select({ n: sql<number>`count(*)::int`, top: max(watchlists.position) })
        .from(watchlists)
        .where(eq(watchlists.userId, userId));
      if ((agg?.n ?? 0) >= MAX_WATCHLISTS_PER_USER)
        throw new AppError('BAD_REQUEST', `name: at most ${MAX_WATCHLISTS_PER_USER} watchlists per user`);
      const [row] = await tx
        .insert(watchlists)
        .values({ userId, name, position: (agg?.top ?? -1) + 1 })
        .returning({ id: watchlists.id, name: watchlists.name, position: watchlists.position });
      await auditInTx(tx, { ...meta, action: 'watchlist.create', target: row!.id, newValue: { name } });
      return { ...row!, itemCount: 0 };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('CONFLICT', `name: you already have a watchlist named '${name}'`, { cause: err });
    throw err;
  }
}

export async function renameWatchlist(
  db: DatabaseHandle,
  userId: string,
  id: string,
  name: string,
  meta: WriteMeta,
): Promise<void> {
  try {
    await db.db.transaction(async (tx) => {
      const list = await ownedList(tx, userId, id);
      await tx.update(watchlists).set({ name }).where(eq(watchlists.id, id));
      await auditInTx(tx, {
        ...meta,
        action: 'watchlist.rename',
        target: id,
        oldValue: { name: list.name },
        newValue: { name },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('CONFLICT', `name: you already have a watchlist named '${name}'`, { cause: err });
    throw err;
  }
}

export async function deleteWatchlist(db: DatabaseHandle, userId: string, id: string, meta: WriteMeta) {
  await db.db.transaction(async (tx) => {
    const list = await ownedList(tx, userId, id);
    await tx.delete(watchlists).where(eq(watchlists.id, id));
    await auditInTx(tx, { ...meta, action: 'watchlist.delete', target: id, oldValue: { name: list.name } });
  });
}

export async function addWatchlistItem(
  db: DatabaseHandle,
  userId: string,
  id: string,
  ref: SymbolRef,
  meta: WriteMeta,
): Promise<void> {
  await db.db.transaction(async (tx) => {
    await ownedList(tx, userId, id);
    const [known] = await tx
      .select({ symbol: symbols.symbol })
      .from(symbols)
      .where(and(eq(symbols.market, ref.market), eq(symbols.symbol, ref.symbol)));
    if (!known)
      throw new AppError('BAD_REQUEST', `symbol: ${ref.market}:${ref.symbol} is not in the symbol universe`);
    const [agg] = await tx
      .select({ n: sql<number>`count(*)::int`, top: max(watchlistItems.position) })
      .from(watchlistItems)
      .where(eq(watchlistItems.watchlistId, id));
    if ((agg?.n ?? 0) >= MAX_ITEMS_PER_WATCHLIST)
      throw new AppError(
        'BAD_REQUEST',
        `symbol: a watchlist holds at most ${MAX_ITEMS_PER_WATCHLIST} symbols`,
      );
    const inserted = await tx
      .insert(watchlistItems)
      .values({ watchlistId: id, market: ref.market, symbol: ref.symbol, position: (agg?.top ?? -1) + 1 })
      .onConflictDoNothing()
      .returning({ symbol: watchlistItems.symbol });
    if (inserted.length === 0) return; // already on the list: adding again is a no-op
    await auditInTx(tx, { ...meta, action: 'watchlist.add', target: id, newValue: ref });
  });
}

export async function removeWatchlistItem(
  db: DatabaseHandle,
  userId: string,
  id: string,
  ref: SymbolRef,
  meta: WriteMeta,
): Promise<void> {
  await db.db.transaction(async (tx) => {
    await ownedList(tx, userId, id);
    const gone = await tx
      .delete(watchlistItems)
      .where(
        and(
          eq(watchlistItems.watchlistId, id),
          eq(watchlistItems.market, ref.market),
          eq(watchlistItems.symbol, ref.symbol),
        ),
      )
      .returning({ symbol: watchlistItems.symbol });
    if (gone.length === 0)
      throw new AppError('NOT_FOUND', `symbol: ${ref.market}:${ref.symbol} is not on this watchlist`);
    await auditInTx(tx, { ...meta, action: 'watchlist.remove', target: id, oldValue: ref });
  });
}

/** Swap an item with its neighbour above or below; positions are renumbered 0…n-1. */
export async function moveWatchlistItem(
  db: DatabaseHandle,
  userId: string,
  id: string,
  ref: SymbolRef,
  direction: 'up' | 'down',
  meta: WriteMeta,
): Promise<void> {
  await db.db.transaction(async (tx) => {
    await ownedList(tx, userId, id);
    // lock the list's items so two moves do not interleave
    const items = await tx
      .select({ market: watchlistItems.market, symbol: watchlistItems.symbol })
      .from(watchlistItems)
      .where(eq(watchlistItems.watchlistId, id))
      .orderBy(asc(watchlistItems.position), asc(watchlistItems.market), asc(watchlistItems.symbol))
      .for('update');
    const i = items.findIndex((x) => x.market === ref.market && x.symbol === ref.symbol);
    if (i < 0)
      throw new AppError('NOT_FOUND', `symbol: ${ref.market}:${ref.symbol} is not on this watchlist`);
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= items.length) return; // already first/last
    [items[i], items[j]] = [items[j]!, items[i]!];
    for (const [pos, it] of items.entries())
      await tx
        .update(watchlistItems)
        .set({ position: pos })
        .where(
          and(
            eq(watchlistItems.watchlistId, id),
            eq(watchlistItems.market, it.market),
            eq(watchlistItems.symbol, it.symbol),
          ),
        );
    await auditInTx(tx, { ...meta, action: 'watchlist.move', target: id, newValue: { ...ref, direction } });
  });
}
