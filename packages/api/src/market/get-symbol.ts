import type { DatabaseHandle } from '@investiq/db';
import { AppError } from '../errors';

export interface SymbolRow {
  name: string;
  name_zh: string;
  currency: string;
  exchange: string;
  is_demo: boolean;
}

/** A registered symbol, or NOT_FOUND naming it. */
export async function requireSymbol(db: DatabaseHandle, market: string, symbol: string): Promise<SymbolRow> {
  const [info] = await db.query<SymbolRow>(
    'SELECT name, name_zh, currency, exchange, is_demo FROM symbols WHERE market = $1 AND symbol = $2',
    [market, symbol],
  );
  if (!info) throw new AppError('NOT_FOUND', `unknown symbol: ${market}:${symbol}`);
  return info;
}
