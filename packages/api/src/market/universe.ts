import { symbolFormatError, type TMarket, type TSymbolInfo } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { type DataProvider, ProviderError, setCalendarOverride } from '@investiq/market';
import { DateTime } from 'luxon';
import { AppError } from '../errors';
import type { Logger } from '../observability/logger';
import { searchText } from './symbol-text';

export interface UniverseSyncResult {
  market: TMarket;
  source: string;
  /** Rows the provider listed. */
  listed: number;
  /** Rows written (inserted or updated). */
  upserted: number;
  /** Rows skipped for a bad market, code or name, with up to 5 examples. */
  rejected: number;
  rejectedExamples: string[];
}

const BATCH = 2_000;

/** Check one listed row; null when it can be stored, else why not. */
function rowProblem(market: TMarket, s: TSymbolInfo): string | null {
  if (s.market !== market) return `${s.market}:${s.symbol} is not a ${market} symbol`;
  const fmt = symbolFormatError(market, s.symbol);
  if (fmt) return fmt;
  if (!s.name?.trim() && !s.nameZh?.trim()) return `${market}:${s.symbol} has no name`;
  return null;
}

/**
 * Store `rows` as the listed universe of `market` from `source`: one transaction, `unnest` batches of
 * 2 000, upserting names, exchange, currency, source and search text (pinyin initials for Chinese
 * names). Existing rows keep `tracked` (the dashboard list); new ones are untracked. Rows with a bad
 * market, code or no name are skipped and counted; a list with no usable row is refused (nothing written).
 */
export async function storeUniverse(
  db: DatabaseHandle,
  market: TMarket,
  source: string,
  rows: readonly TSymbolInfo[],
  now: Date,
): Promise<UniverseSyncResult> {
  const good: TSymbolInfo[] = [];
  const seen = new Set<string>();
  const examples: string[] = [];
  let rejected = 0;
  for (const s of rows) {
    const problem =
      rowProblem(market, s) ?? (seen.has(s.symbol) ? `${market}:${s.symbol} is listed twice` : null);
    if (problem) {
      rejected += 1;
      if (examples.length < 5) examples.push(problem);
      continue;
    }
    seen.add(s.symbol);
    good.push(s);
  }
  if (good.length === 0) {
    throw new AppError(
      'UNPROCESSABLE_CONTENT',
      `universe of ${market} from '${source}' has no usable rows (${rows.length} listed${examples.length ? `; e.g. ${examples[0]}` : ''})`,
      { details: { market, source, listed: rows.length, rejectedExamples: examples } },
    );
  }
  await db.transaction(async (q) => {
    for (let i = 0; i < good.length; i += BATCH) {
      const batch = good.slice(i, i + BATCH);
      const text = batch.map((s) => searchText(s));
      await q(
        `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source, is_demo, tracked,
                              pinyin, search_text, listed_at)
         SELECT $1, t.symbol, t.name, t.name_zh, t.currency, t.exchange, $2, t.is_demo, false, t.pinyin, t.search_text, $3
           FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bool[], $10::text[], $11::text[])
             AS t(symbol, name, name_zh, currency, exchange, is_demo, pinyin, search_text)
         ON CONFLICT (market, symbol) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh,
           currency = excluded.currency, exchange = excluded.exchange, source = excluded.source,
           is_demo = excluded.is_demo, pinyin = excluded.pinyin, search_text = excluded.search_text,
           listed_at = excluded.listed_at`,
        [
          market,
          source,
          now.toISOString(),
          batch.map((s) => s.symbol),
          batch.map((s) => s.name.trim() || s.nameZh.trim()),
          batch.map((s) => s.nameZh.trim() || s.name.trim()),
          batch.map((s) => s.currency),
          batch.map((s) => s.exchange),
          batch.map((s) => s.isDemo),
          text.map((t) => t.pinyin),
          text.map((t) => t.searchText),
        ],
      );
    }
  });
  return { market, source, listed: rows.length, upserted: good.length, rejected, rejectedExamples: examples };
}

/** Load the whole listed universe of `market` from `provider` (`listUniverse`) and store it. */
export async function syncUniverse(
  db: DatabaseHandle,
  market: TMarket,
  provider: DataProvider,
  opts: { now?: Date } = {},
): Promise<UniverseSyncResult> {
  if (!provider.listUniverse || !provider.markets.includes(market)) {
    throw new ProviderError(provider.id, 'unsupported', `does not list the ${market} universe`);
  }
  const rows = await provider.listUniverse(market);
  return storeUniverse(db, market, provider.id, rows, opts.now ?? new Date());
}

/**
 * Install `provider`'s exchange calendar (e.g. Tushare `trade_cal`) for `market`, last year to next
 * year, over the shipped table (see docs/calendars.md). Returns the number of days installed.
 */
export async function refreshCalendar(market: TMarket, provider: DataProvider, now: Date): Promise<number> {
  if (!provider.getTradeCalendar) return 0;
  const year = DateTime.fromJSDate(now, { zone: 'UTC' }).year;
  const days = await provider.getTradeCalendar(market, {
    from: `${year - 1}-01-01`,
    to: `${year + 1}-12-31`,
  });
  setCalendarOverride(market, days);
  return days.length;
}

export interface UniverseSource {
  market: TMarket;
  /** The provider (or chain) that lists this market's universe; it may also serve its trade calendar. */
  provider: DataProvider;
}

/**
 * Keep the universe and the calendars fresh: sync every source now and then every `intervalMs` (default
 * daily). Failures are logged and retried at the next tick; the previous rows stay. Returns a stop
 * function. `sources` is read at every tick, so the provider wiring can change it.
 */
export function startUniverseRefresh(deps: {
  db: DatabaseHandle;
  sources: () => readonly UniverseSource[] | Promise<readonly UniverseSource[]>;
  log: Logger;
  now?: () => Date;
  intervalMs?: number;
  onSynced?: (r: UniverseSyncResult) => void;
}): { stop(): void; runNow(): Promise<void> } {
  const now = deps.now ?? (() => new Date());
  let running: Promise<void> | null = null;
  const tick = async () => {
    for (const { market, provider } of await deps.sources()) {
      try {
        const days = await refreshCalendar(market, provider, now());
        if (days > 0) deps.log.info({ market, provider: provider.id, days }, 'trade calendar installed');
      } catch (err) {
        deps.log.warn({ market, provider: provider.id, err: String(err) }, 'trade calendar refresh failed');
      }
      if (!provider.listUniverse) continue;
      try {
        const r = await syncUniverse(deps.db, market, provider, { now: now() });
        deps.log.info({ ...r }, 'universe synced');
        deps.onSynced?.(r);
      } catch (err) {
        deps.log.warn({ market, provider: provider.id, err: String(err) }, 'universe sync failed');
      }
    }
  };
  const runNow = () => {
    running ??= tick().finally(() => {
      running = null;
    });
    return running;
  };
  void runNow();
  const timer = setInterval(() => void runNow(), deps.intervalMs ?? 24 * 3_600_000);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    runNow,
  };
}
