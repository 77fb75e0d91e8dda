import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { marketDate } from '@investiq/market';
import { oneBarPerDay } from '../market/bars-sql';
import { DailyIndicators } from './indicator-state';

/** Quotes closer together than this replace the previous sample (bounds memory at 2 quotes/s per symbol). */
const SAMPLE_MS = 5_000;
/** Daily sessions loaded per symbol: MACD(12,26,9) and SMA200 warm up well within this. */
export const DAILY_BARS_LOADED = 300;

/**
 * What the engine remembers about one watched symbol: its recent prices (for moves over a window; back-filled
 * from stored quotes the first time) and its completed daily sessions (for the indicator conditions; re-read
 * when the market's trading date changes).
 */
export class SymbolMemory {
  private readonly ts: number[] = [];
  private readonly px: number[] = [];
  private backfilled = false;
  private daily: DailyIndicators | null = null;
  private dailyFor: string | null = null;

  constructor(
    readonly market: TMarket,
    readonly symbol: string,
  ) {}

  /** Record a quote's price; keeps `keepMs` of history before it. */
  push(tsMs: number, price: number, keepMs: number): void {
    const n = this.ts.length;
    if (n >= 2 && tsMs - (this.ts[n - 2] as number) < SAMPLE_MS) {
      this.ts[n - 1] = tsMs;
      this.px[n - 1] = price;
    } else if (n === 0 || tsMs > (this.ts[n - 1] as number)) {
      this.ts.push(tsMs);
      this.px.push(price);
    }
    // drop what no window needs, keeping one sample at or before the oldest window start
    let drop = 0;
    while (drop + 1 < this.ts.length && (this.ts[drop + 1] as number) <= tsMs - keepMs) drop++;
    if (drop > 64 || drop > this.ts.length / 2) {
      this.ts.splice(0, drop);
      this.px.splice(0, drop);
    }
  }

  priceAtOrBefore(tsMs: number): number | null {
    let lo = 0;
    let hi = this.ts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.ts[mid] as number) <= tsMs) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? null : (this.px[found] as number);
  }

  /** Once per symbol: the stored quotes of the last `keepMs` before `beforeMs` (the engine may just have started). */
  async backfill(db: DatabaseHandle, beforeMs: number, keepMs: number): Promise<void> {
    if (this.backfilled) return;
    this.backfilled = true;
    const rows = await db.query<{ ts: Date | string; price: string | number }>(
      `SELECT ts, price FROM realtime_quotes WHERE market = $1 AND symbol = $2 AND ts >= $3 AND ts < $4
        ORDER BY ts`,
      [this.market, this.symbol, new Date(beforeMs - keepMs - 10 * 60_000), new Date(beforeMs)],
    );
    const olderTs: number[] = [];
    const olderPx: number[] = [];
    for (const r of rows) {
      const t = new Date(r.ts).getTime();
      const n = olderTs.length;
      if (n >= 2 && t - (olderTs[n - 2] as number) < SAMPLE_MS) {
        olderTs[n - 1] = t;
        olderPx[n - 1] = Number(r.price);
      } else {
        olderTs.push(t);
        olderPx.push(Number(r.price));
      }
    }
    this.ts.unshift(...olderTs);
    this.px.unshift(...olderPx);
  }

  /** The daily indicators for the trading date of `at` (sessions before it), read from the database when stale. */
  async dailyIndicators(db: DatabaseHandle, at: Date): Promise<DailyIndicators> {
    const today = marketDate(this.market, at);
    if (this.daily && this.dailyFor === today) return this.daily;
    const rows = await db.query<{ close: string | number; volume: string | number }>(
      `SELECT close, volume FROM (
         SELECT date, close, volume FROM ${oneBarPerDay('$1', '$2')} one WHERE date < $3::date
          ORDER BY date DESC LIMIT ${DAILY_BARS_LOADED}) last ORDER BY date`,
      [this.market, this.symbol, today],
    );
    this.daily = new DailyIndicators(
      rows.map((r) => Number(r.close)),
      rows.map((r) => Number(r.volume)),
    );
    this.dailyFor = today;
    return this.daily;
  }
}
