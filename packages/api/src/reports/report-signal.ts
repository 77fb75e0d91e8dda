import type { DatabaseHandle } from '@investiq/db';
import type { ForecastOutput, IndicatorsOutput, SentimentOutput, StatisticsOutput } from './types';

export type TReportSignal = 'bullish' | 'neutral' | 'bearish';

export interface ReportSignal {
  signal: TReportSignal;
  /** Sum of the votes below, −5 … +5. */
  score: number;
  votes: Record<string, -1 | 0 | 1>;
}

/** A forecast's horizon-end move beyond ±1 % counts as a vote. */
const FORECAST_BAND = 0.01;
const vote = (x: number, band: number): -1 | 0 | 1 => (x > band ? 1 : x < -band ? -1 : 0);

/**
 * A report's overall signal, derived from its sections' numbers (reports store no recommendation): one vote
 * each from MACD histogram sign, RSI (below 30 bullish, above 70 bearish), the ARIMA and the neural forecast's
 * horizon-end value against the last close (beyond ±1 %), and the news net sentiment (beyond ±0.2). A score of
 * +2 or more is bullish, −2 or less bearish, otherwise neutral. Sections that did not run do not vote.
 */
export function reportSignal(sections: { module: string; output: unknown }[]): ReportSignal {
  const votes: Record<string, -1 | 0 | 1> = {};
  for (const s of sections) {
    if (!s.output) continue;
    if (s.module === 'indicators') {
      const l = (s.output as IndicatorsOutput).latest ?? {};
      if (typeof l.macdHist === 'number') votes.macd = vote(l.macdHist, 0);
      if (typeof l.rsi === 'number') votes.rsi = l.rsi < 30 ? 1 : l.rsi > 70 ? -1 : 0;
    } else if (s.module === 'statistics') {
      const o = s.output as StatisticsOutput;
      const end = o.arima?.forecast.at(-1);
      if (typeof end === 'number' && o.lastClose > 0)
        votes.arima = vote(end / o.lastClose - 1, FORECAST_BAND);
    } else if (s.module === 'forecast') {
      const o = s.output as ForecastOutput;
      const end = o.p50?.at(-1);
      if (typeof end === 'number' && o.lastClose > 0)
        votes.forecast = vote(end / o.lastClose - 1, FORECAST_BAND);
    } else if (s.module === 'sentiment') {
      const o = s.output as SentimentOutput;
      if (typeof o.netScore === 'number' && o.headlines?.length) votes.sentiment = vote(o.netScore, 0.2);
    }
  }
  const score = Object.values(votes).reduce<number>((a, b) => a + b, 0);
  return { signal: score >= 2 ? 'bullish' : score <= -2 ? 'bearish' : 'neutral', score, votes };
}

/** The newest two complete reports of a symbol with their signals, newest first. */
export async function latestReportSignals(
  db: DatabaseHandle,
  ref: { market: string; symbol: string },
): Promise<{ reportId: string; finishedAt: string; signal: ReportSignal }[]> {
  const reports = await db.query<{ id: string; finished_at: Date | string }>(
    `SELECT id, finished_at FROM reports WHERE market = $1 AND symbol = $2 AND status = 'complete'
      ORDER BY finished_at DESC NULLS LAST, created_at DESC LIMIT 2`,
    [ref.market, ref.symbol],
  );
  if (reports.length === 0) return [];
  const sections = await db.query<{ report_id: string; module: string; output: unknown }>(
    `SELECT report_id, module, output FROM report_sections WHERE report_id = ANY($1::uuid[]) AND status = 'ok'`,
    [reports.map((r) => r.id)],
  );
  return reports.map((r) => ({
    reportId: r.id,
    finishedAt: new Date(r.finished_at).toISOString(),
    signal: reportSignal(sections.filter((s) => s.report_id === r.id)),
  }));
}
