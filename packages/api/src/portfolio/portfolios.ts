import { CURRENCY, type TMarket } from '@investiq/contracts';
import type { DatabaseHandle, Transaction } from '@investiq/db';
import { portfolios, portfolioTransactions, symbols } from '@investiq/db/schema';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { auditInTx } from '../audit/audit-in-tx';
import type { Actor } from '../audit/audit-log';
import { AppError } from '../errors';
import { computeLedger, type TCurrency, type TLedgerTx } from './ledger';
import { csvFieldOf, parseTransactionsCsv, type TCsvRowError } from './transactions-csv';

export const DEFAULT_PORTFOLIO_NAME = 'Portfolio';
export const DEFAULT_BASE_CURRENCY: TCurrency = 'CNY';
export const MAX_PORTFOLIOS_PER_USER = 10;

export interface WriteMeta {
  actor: Actor;
  ip?: string | null;
}

export interface TPortfolioSummary {
  id: string;
  name: string;
  baseCurrency: string;
}

export interface TTransactionRow extends TLedgerTx {
  id: string;
  note: string | null;
  createdAt: string;
}

export interface TNewTransaction {
  type: TLedgerTx['type'];
  market: TMarket;
  symbol: string;
  tradeDate: string;
  quantity: number;
  price: number;
  fee?: number | undefined;
  /** Defaults to the market's currency. */
  currency?: string | undefined;
  note?: string | null | undefined;
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause)
    if ((e as { code?: string }).code === '23505') return true;
  return false;
}

export async function listPortfolios(db: DatabaseHandle, userId: string): Promise<TPortfolioSummary[]> {
  const read = () =>
    db.db
      .select({ id: portfolios.id, name: portfolios.name, baseCurrency: portfolios.baseCurrency })
      .from(portfolios)
      .where(eq(portfolios.userId, userId))
      .orderBy(asc(portfolios.createdAt));
  const rows = await read();
  if (rows.length > 0) return rows;
  await db.db
    .insert(portfolios)
    .values({ userId, name: DEFAULT_PORTFOLIO_NAME, baseCurrency: DEFAULT_BASE_CURRENCY })
    .onConflictDoNothing();
  return read();
}

export async function ownedPortfolio(
  h: DatabaseHandle['db'] | Transaction,
  userId: string,
  id: string,
  lock = false,
) {
  const q = h
    .select({ id: portfolios.id, name: portfolios.name, baseCurrency: portfolios.baseCurrency })
    .from(portfolios)
    .where(and(eq(portfolios.id, id), eq(portfolios.userId, userId)));
  const [row] = lock ? await q.for('update') : await q;
  // another user's portfolio answers exactly like one that does not exist
  if (!row) throw new AppError('NOT_FOUND', `portfolio ${id} not found`);
  return row;
}

export async function createPortfolio(
  db: DatabaseHandle,
  userId: string,
  input: { name: string; baseCurrency: TCurrency },
  meta: WriteMeta,
): Promise<TPortfolioSummary> {
  try {
    return await db.db.transaction(async (tx) => {
      const [n] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(portfolios)
        .where(eq(portfolios.userId, userId));
      if ((n?.n ?? 0) >= MAX_PORTFOLIOS_PER_USER)
        throw new AppError('BAD_REQUEST', `name: at most ${MAX_PORTFOLIOS_PER_USER} portfolios per user`);
      const [row] = await tx
        .insert(portfolios)
        .values({ userId, ...input })
        .returning({ id: portfolios.id, name: portfolios.name, baseCurrency: portfolios.baseCurrency });
      await auditInTx(tx, { ...meta, action: 'portfolio.create', target: row!.id, newValue: input });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('CONFLICT', `name: you already have a portfolio named '${input.name}'`, {
        cause: err,
      });
    throw err;
  }
}

export async function setBaseCurrency(
  db: DatabaseHandle,
  userId: string,
  id: string,
  baseCurrency: TCurrency,
  meta: WriteMeta,
): Promise<void> {
  await db.db.transaction(async (tx) => {
    const p = await ownedPortfolio(tx, userId, id, true);
    await tx.update(portfolios).set({ baseCurrency }).where(eq(portfolios.id, id));
    await auditInTx(tx, {
      ...meta,
      action: 'portfolio.base_currency',
      target: id,
      oldValue: { baseCurrency: p.baseCurrency },
      newValue: { baseCurrency },
    });
  });
}

export async function readTransactions(
  h: DatabaseHandle['db'] | Transaction,
  portfolioId: string,
): Promise<TTransactionRow[]> {
  const rows = await h
    .select()
    .from(portfolioTransactions)
    .where(eq(portfolioTransactions.portfolioId, portfolioId))
    .orderBy(
      asc(portfolioTransactions.tradeDate),
      asc(portfolioTransactions.createdAt),
      asc(portfolioTransactions.id),
    );
  return rows.map((r) => ({
    id: r.id,
    type: r.type as TLedgerTx['type'],
    market: r.market as TMarket,
    symbol: r.symbol,
    tradeDate: r.tradeDate,
    quantity: Number(r.quantity),
    price: Number(r.price),
    fee: Number(r.fee),
    currency: r.currency,
    note: r.note,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listTransactions(
  db: DatabaseHandle,
  userId: string,
  id: string,
): Promise<TTransactionRow[]> {
  await ownedPortfolio(db.db, userId, id);
  return readTransactions(db.db, id);
}

/** Fill defaults the ledger does not care about (price of a split, quantity of a fee), so nothing is NaN. */
function normalise(t: TNewTransaction): TLedgerTx & { note: string | null } {
  const zeroIfNaN = (x: number) => (Number.isFinite(x) ? x : 0);
  return {
    type: t.type,
    market: t.market,
    symbol: t.symbol.toUpperCase(),
    tradeDate: t.tradeDate,
    quantity: t.type === 'fee' ? zeroIfNaN(t.quantity) : t.quantity,
    price: t.type === 'split' || t.type === 'fee' ? zeroIfNaN(t.price) : t.price,
    fee: t.fee ?? 0,
    currency: (t.currency || CURRENCY[t.market]).toUpperCase(),
    note: t.note?.trim() ? t.note.trim().slice(0, 200) : null,
  };
}

export class TransactionsRejected extends AppError {
  constructor(
    readonly rowErrors: TCsvRowError[],
    what: string,
  ) {
    super(
      'BAD_REQUEST',
      rowErrors.length === 1
        ? `${rowErrors[0]!.field}: ${rowErrors[0]!.message}`
        : `${rowErrors.length} problems in ${what}; nothing was saved (first: ${rowErrors[0]!.field}: ${rowErrors[0]!.message})`,
      { details: { errors: rowErrors } },
    );
  }
}

/**
 * Validate new transactions against the symbol universe and the whole ledger (existing + new, replayed), then
 * insert all of them and the audit row in one transaction — or nothing. `rowOf` numbers the new rows in errors.
 */
async function insertTransactions(
  db: DatabaseHandle,
  userId: string,
  portfolioId: string,
  incoming: TNewTransaction[],
  rowOf: (i: number) => number,
  meta: WriteMeta & { action: string; what: string },
  preErrors: TCsvRowError[] = [],
): Promise<{ inserted: number; notes: string[] }> {
  return db.db.transaction(async (tx) => {
    // the row lock serialises writers of one portfolio, so two sells cannot both pass the "held" check
    await ownedPortfolio(tx, userId, portfolioId, true);
    const fresh = incoming.map(normalise);
    const errors: TCsvRowError[] = [...preErrors];
    const keys = [...new Set(fresh.map((t) => `${t.market}:${t.symbol}`))];
    const known = keys.length
      ? await tx
          .select({ market: symbols.market, symbol: symbols.symbol })
          .from(symbols)
          .where(inArray(sql`${symbols.market} || ':' || ${symbols.symbol}`, keys))
      : [];
    const knownSet = new Set(known.map((k) => `${k.market}:${k.symbol}`));
    const usable: { t: (typeof fresh)[number]; i: number }[] = [];
    fresh.forEach((t, i) => {
      if (!knownSet.has(`${t.market}:${t.symbol}`))
        errors.push({
          row: rowOf(i),
          field: 'symbol',
          message: `${t.market}:${t.symbol} is not in the symbol universe`,
        });
      else usable.push({ t, i });
    });
    const existing = await readTransactions(tx, portfolioId);
    const ledger = computeLedger([...existing, ...usable.map((u) => u.t)]);
    for (const e of ledger.errors) {
      if (e.index < existing.length) {
        const x = existing[e.index]!;
        errors.push({
          row: 0,
          field: csvFieldOf(e.field),
          message: `would break the existing ${x.type} of ${x.symbol} on ${x.tradeDate}: ${e.message}`,
        });
      } else
        errors.push({
          row: rowOf(usable[e.index - existing.length]!.i),
          field: csvFieldOf(e.field),
          message: e.message,
        });
    }
    if (errors.length > 0) {
      errors.sort((a, b) => a.row - b.row);
      throw new TransactionsRejected(errors, meta.what);
    }
    await tx.insert(portfolioTransactions).values(
      fresh.map((t) => ({
        portfolioId,
        type: t.type,
        market: t.market,
        symbol: t.symbol,
        tradeDate: t.tradeDate,
        quantity: String(t.quantity),
        price: String(t.price),
        fee: String(t.fee),
        currency: t.currency,
        note: t.note,
      })),
    );
    await auditInTx(tx, {
      ...meta,
      action: meta.action,
      target: portfolioId,
      newValue: fresh.length === 1 ? fresh[0] : { transactions: fresh.length },
    });
    return { inserted: fresh.length, notes: ledger.notes };
  });
}

export function addTransaction(
  db: DatabaseHandle,
  userId: string,
  portfolioId: string,
  t: TNewTransaction,
  meta: WriteMeta,
) {
  return insertTransactions(db, userId, portfolioId, [t], () => 1, {
    ...meta,
    action: 'portfolio.transaction_add',
    what: 'the transaction',
  });
}

/** CSV import: every row is checked; one bad row and nothing of the file is written (per-row errors in details). */
export async function importTransactionsCsv(
  db: DatabaseHandle,
  userId: string,
  portfolioId: string,
  text: string,
  meta: WriteMeta,
) {
  const parsed = parseTransactionsCsv(text);
  if (parsed.rows.length === 0 && parsed.errors.length > 0) {
    await ownedPortfolio(db.db, userId, portfolioId);
    throw new TransactionsRejected(parsed.errors, 'the file');
  }
  return insertTransactions(
    db,
    userId,
    portfolioId,
    parsed.rows,
    (i) => parsed.rows[i]!.row,
    { ...meta, action: 'portfolio.csv_import', what: 'the file' },
    parsed.errors,
  );
}

export async function deleteTransaction(
  db: DatabaseHandle,
  userId: string,
  portfolioId: string,
  transactionId: string,
  meta: WriteMeta,
) {
  await db.db.transaction(async (tx) => {
    await ownedPortfolio(tx, userId, portfolioId, true);
    const existing = await readTransactions(tx, portfolioId);
    const gone = existing.find((t) => t.id === transactionId);
    if (!gone) throw new AppError('NOT_FOUND', `transaction ${transactionId} not found`);
    const rest = existing.filter((t) => t.id !== transactionId);
    const ledger = computeLedger(rest);
    if (ledger.errors.length > 0) {
      const e = ledger.errors[0]!;
      const x = rest[e.index]!;
      throw new AppError(
        'BAD_REQUEST',
        `id: deleting this ${gone.type} would break the ${x.type} of ${x.symbol} on ${x.tradeDate}: ${e.message}`,
      );
    }
    await tx.delete(portfolioTransactions).where(eq(portfolioTransactions.id, transactionId));
    await auditInTx(tx, {
      ...meta,
      action: 'portfolio.transaction_delete',
      target: portfolioId,
      oldValue: gone,
    });
  });
}
