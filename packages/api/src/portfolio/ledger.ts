import { CURRENCY, type TMarket } from '@investiq/contracts';

export const TRANSACTION_TYPES = ['buy', 'sell', 'dividend', 'split', 'fee'] as const;
export type TTransactionType = (typeof TRANSACTION_TYPES)[number];
export const CURRENCIES = ['CNY', 'HKD', 'USD'] as const;
export type TCurrency = (typeof CURRENCIES)[number];

/** Shares per board lot of an A-share buy (sells may be odd lots only to close the position). */
export const CN_LOT = 100;

/**
 * One ledger event. buy/sell: `quantity` shares at `price`, `fee` paid on top. dividend: `quantity` shares
 * entitled × `price` cash per share, `fee` withheld. split: `quantity` new shares per old share (2 = 2-for-1,
 * 0.1 = 1-for-10), price ignored. fee: a charge of `fee` against the holding (custody, stamp duty…).
 */
export interface TLedgerTx {
  type: TTransactionType;
  market: TMarket;
  symbol: string;
  /** YYYY-MM-DD */
  tradeDate: string;
  quantity: number;
  price: number;
  fee: number;
  currency: string;
}

export interface TPosition {
  market: TMarket;
  symbol: string;
  currency: string;
  quantity: number;
  /** Average-cost basis of the shares held (buy amounts plus buy fees, less the cost of shares sold). */
  costBasis: number;
  /** costBasis / quantity; null when nothing is held. */
  avgCost: number | null;
  /** Sell proceeds less average cost and sell fees, less standalone fees. */
  realisedPnl: number;
  /** Dividend cash, net of withheld fees. */
  dividends: number;
  /** Every fee paid (buy, sell, dividend withholding, standalone). */
  fees: number;
}

export interface TLedgerError {
  /** Index into the transactions as given. */
  index: number;
  field: 'type' | 'market' | 'symbol' | 'tradeDate' | 'quantity' | 'price' | 'fee' | 'currency';
  message: string;
}

export interface TLedgerResult {
  positions: TPosition[];
  errors: TLedgerError[];
  /** Rules that could not be checked (e.g. an HK board lot that is not known). */
  notes: string[];
}

const EPS = 1e-9;
/** Money and quantities are stored with 6 decimals; computed figures are rounded back to that. */
export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

interface State extends TPosition {
  /** Shares bought per trade date (A-share T+1: not sellable on that date). */
  boughtOn: Map<string, number>;
}

/** Checks one transaction on its own (no ledger needed); null when it is fine. */
export function checkTransaction(tx: TLedgerTx): Omit<TLedgerError, 'index'> | null {
  if (!(TRANSACTION_TYPES as readonly string[]).includes(tx.type))
    return { field: 'type', message: `type must be one of ${TRANSACTION_TYPES.join(', ')}` };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(tx.tradeDate) || Number.isNaN(Date.parse(`${tx.tradeDate}T00:00:00Z`)))
    return { field: 'tradeDate', message: 'tradeDate must be a date YYYY-MM-DD' };
  const expected = CURRENCY[tx.market];
  if (tx.currency !== expected)
    return {
      field: 'currency',
      message: `currency must be ${expected} for a ${tx.market} symbol (got ${tx.currency})`,
    };
  if (!Number.isFinite(tx.fee) || tx.fee < 0) return { field: 'fee', message: 'fee must be 0 or more' };
  if (tx.type === 'fee') {
    if (tx.fee <= 0) return { field: 'fee', message: 'a fee transaction needs a fee above 0' };
    return null;
  }
  if (!Number.isFinite(tx.quantity) || tx.quantity <= 0)
    return {
      field: 'quantity',
      message:
        tx.type === 'split' ? 'quantity (the split ratio) must be above 0' : 'quantity must be above 0',
    };
  if (tx.type !== 'split' && (!Number.isFinite(tx.price) || tx.price <= 0))
    return { field: 'price', message: 'price must be above 0' };
  if (tx.type === 'buy' && tx.market === 'CN' && !isMultiple(tx.quantity, CN_LOT))
    return {
      field: 'quantity',
      message: `A-share buys are in lots of ${CN_LOT} shares (got ${tx.quantity})`,
    };
  return null;
}

const isMultiple = (q: number, lot: number) => Math.abs(q / lot - Math.round(q / lot)) < EPS;

/**
 * Replay transactions (ordered by trade date, then as given) into positions with average-cost basis.
 * Every rule breach is an error naming the transaction and field; a bad transaction is skipped so later
 * ones are still checked.
 */
export function computeLedger(txs: readonly TLedgerTx[]): TLedgerResult {
  const order = txs.map((tx, index) => ({ tx, index }));
  order.sort((a, b) =>
    a.tx.tradeDate < b.tx.tradeDate ? -1 : a.tx.tradeDate > b.tx.tradeDate ? 1 : a.index - b.index,
  );
  const states = new Map<string, State>();
  const errors: TLedgerError[] = [];
  const notes = new Set<string>();
  for (const { tx, index } of order) {
    const bad = checkTransaction(tx);
    if (bad) {
      errors.push({ index, ...bad });
      continue;
    }
    const key = `${tx.market}:${tx.symbol}`;
    let s = states.get(key);
    if (!s) {
      s = {
        market: tx.market,
        symbol: tx.symbol,
        currency: tx.currency,
        quantity: 0,
        costBasis: 0,
        avgCost: null,
        realisedPnl: 0,
        dividends: 0,
        fees: 0,
        boughtOn: new Map(),
      };
      states.set(key, s);
    }
    if (tx.market === 'HK' && (tx.type === 'buy' || tx.type === 'sell'))
      notes.add(`${tx.symbol}: board lot size is not known, so HK lot sizes were not checked`);
    switch (tx.type) {
      case 'buy':
        s.costBasis += tx.quantity * tx.price + tx.fee;
        s.quantity += tx.quantity;
        s.fees += tx.fee;
        s.boughtOn.set(tx.tradeDate, (s.boughtOn.get(tx.tradeDate) ?? 0) + tx.quantity);
        break;
      case 'sell': {
        if (tx.quantity > s.quantity + EPS) {
          errors.push({
            index,
            field: 'quantity',
            message: `selling ${tx.quantity} ${tx.symbol} on ${tx.tradeDate} but only ${round6(s.quantity)} held`,
          });
          continue;
        }
        const closing = Math.abs(tx.quantity - s.quantity) < EPS;
        if (tx.market === 'CN') {
          if (!closing && !isMultiple(tx.quantity, CN_LOT)) {
            errors.push({
              index,
              field: 'quantity',
              message: `A-share sells are in lots of ${CN_LOT} unless they close the position (${round6(s.quantity)} held, selling ${tx.quantity})`,
            });
            continue;
          }
          const today = s.boughtOn.get(tx.tradeDate) ?? 0;
          if (tx.quantity > s.quantity - today + EPS) {
            errors.push({
              index,
              field: 'tradeDate',
              message: `T+1: ${round6(today)} ${tx.symbol} bought on ${tx.tradeDate} cannot be sold the same day (sellable: ${round6(s.quantity - today)})`,
            });
            continue;
          }
        }
        const avg = s.costBasis / s.quantity;
        const cost = closing ? s.costBasis : avg * tx.quantity;
        s.realisedPnl += tx.quantity * tx.price - cost - tx.fee;
        s.costBasis -= cost;
        s.quantity = closing ? 0 : s.quantity - tx.quantity;
        if (closing) s.costBasis = 0;
        s.fees += tx.fee;
        break;
      }
      case 'dividend':
        s.dividends += tx.quantity * tx.price - tx.fee;
        s.fees += tx.fee;
        break;
      case 'split':
        // cost basis unchanged; quantity (and so cost per share) scales by the ratio
        s.quantity *= tx.quantity;
        for (const [d, q] of s.boughtOn) s.boughtOn.set(d, q * tx.quantity);
        s.realisedPnl -= tx.fee;
        s.fees += tx.fee;
        break;
      case 'fee':
        s.realisedPnl -= tx.fee;
        s.fees += tx.fee;
        break;
    }
  }
  const positions = [...states.values()].map(({ boughtOn: _b, ...p }) => ({
    ...p,
    quantity: round6(p.quantity),
    costBasis: round6(p.costBasis),
    avgCost: p.quantity > EPS ? round6(p.costBasis / p.quantity) : null,
    realisedPnl: round6(p.realisedPnl),
    dividends: round6(p.dividends),
    fees: round6(p.fees),
  }));
  errors.sort((a, b) => a.index - b.index);
  return { positions, errors, notes: [...notes].sort() };
}
