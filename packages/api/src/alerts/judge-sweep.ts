import type { TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { isMarketOpen } from '@investiq/market';
import { getPortfolioHistory, getPortfolioView } from '../portfolio/portfolio-view';
import type { FreshnessOptions } from '../quotes/decide-freshness';
import { getLatestQuotes } from '../quotes/get-latest-quotes';
import { latestReportSignals } from '../reports/report-signal';
import type { Judgement, TSweepCondition } from './condition';

export interface SweepDeps {
  db: DatabaseHandle;
  now: Date;
  /** The quotes' configured maximum age (the default of `quote_stale`). */
  maxAgeSeconds: number;
  freshness: FreshnessOptions;
}

export interface SweepTarget {
  userId: string;
  market: TMarket | null;
  symbol: string | null;
  memo: unknown;
}

export interface SweepJudgement extends Judgement {
  /** The judgement is itself an event (a new report): fire when it holds, whatever the alert's state. */
  edge?: boolean;
  /** What to remember for the next sweep (stored in `alerts.memo`). */
  memo?: unknown;
  price?: number;
  quoteTs?: string;
  detail?: string;
}

const unknown: SweepJudgement = { holds: null, observed: null };

/**
 * The conditions judged on the engine's periodic sweep rather than on a quote: a quote going stale (no quote
 * arrives to tell), a portfolio's drawdown (many symbols) and a report's signal (reports finish on their own).
 */
export async function judgeSweep(
  c: TSweepCondition,
  target: SweepTarget,
  deps: SweepDeps,
): Promise<SweepJudgement> {
  switch (c.type) {
    case 'quote_stale': {
      if (!target.market || !target.symbol) return unknown;
      const ref = { market: target.market, symbol: target.symbol };
      const [l] = await getLatestQuotes(
        deps.db,
        [ref],
        c.maxAgeSeconds ?? deps.maxAgeSeconds,
        deps.now,
        deps.freshness,
      );
      if (!l || l.status === 'missing') return unknown;
      if (l.status !== 'stale') return { holds: false, observed: 'ageSeconds' in l ? l.ageSeconds : null };
      // stale outside the session is the normal overnight state, not news (unless the source trades around the clock)
      const inSession = deps.freshness.alwaysOpen === true || isMarketOpen(target.market, deps.now);
      return {
        holds: inSession,
        observed: l.ageSeconds,
        quoteTs: l.lastSeenAt,
        detail: `last quote ${l.lastSeenAt}, ${Math.round(l.ageSeconds)} s old`,
      };
    }
    case 'portfolio_drawdown': {
      const view = await getPortfolioView(deps.db, target.userId, c.portfolioId, {
        maxAgeSeconds: deps.maxAgeSeconds,
        now: deps.now,
        freshness: deps.freshness,
      });
      // a value with holdings left out (stale, no FX rate) is not the portfolio's value: no judgement
      if (view.totals.excluded.length > 0 || view.holdings.length === 0) return unknown;
      const current = view.totals.marketValue;
      const history = await getPortfolioHistory(deps.db, target.userId, c.portfolioId, {
        days: c.lookbackDays,
        now: deps.now,
      });
      const peak = Math.max(current, ...history.points.map((p) => p.value));
      if (!(peak > 0)) return unknown;
      const dd = Math.round(((peak - current) / peak) * 1e8) / 1e6;
      return {
        holds: dd > c.limitPct,
        observed: dd,
        detail: `value ${current.toFixed(2)} ${view.totals.baseCurrency}, peak ${peak.toFixed(2)}`,
      };
    }
    case 'report_signal_change': {
      if (!target.market || !target.symbol) return unknown;
      const [newest, before] = await latestReportSignals(deps.db, {
        market: target.market,
        symbol: target.symbol,
      });
      if (!newest) return { ...unknown, edge: true };
      const seen = (target.memo as { reportId?: string } | null)?.reportId;
      const memo = { reportId: newest.reportId };
      // the first sweep of a new alert remembers the newest report: only reports after it can fire
      if (seen === undefined || seen === newest.reportId || !before)
        return { holds: false, observed: newest.signal.score, edge: true, memo };
      const changed = newest.signal.signal !== before.signal.signal;
      const wanted = c.to === 'any' || newest.signal.signal === c.to;
      return {
        holds: changed && wanted,
        observed: newest.signal.score,
        edge: true,
        memo,
        detail: `report ${newest.reportId}: ${before.signal.signal} → ${newest.signal.signal}`,
      };
    }
  }
}
