'use client';
import type { ForecastOutput, IndicatorsOutput, ReportView, StatisticsOutput } from '@investiq/api/reports';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/lib/trpc';
import { ForecastChart } from '../lazy-charts';
import { type D, okOutput } from './sections/section-frame';

/** Stored daily closes (up to a backtest's as-of date) with the indicator overlays and both forecasts. */
export function ChartCard({ report, d }: { report: ReportView; d: D }) {
  const trpc = useTRPC();
  const bars = useQuery(
    trpc.quotes.history.queryOptions({
      market: report.market,
      symbol: report.symbol,
      interval: '1d',
      limit: 260,
    }),
  );
  const asOf = report.lineage?.backtestAsOf ?? null;
  const chartBars = (bars.data ?? []).filter((b) => !asOf || b.time <= asOf);
  return (
    <section className="card rsection rsection-wide" data-testid="chart-card">
      <div className="card-head">
        <h2>{d.chart}</h2>
        <span className="muted small">{d.chartLegend}</span>
      </div>
      <ForecastChart
        bars={chartBars}
        indicators={okOutput<IndicatorsOutput>(report, 'indicators')}
        statistics={okOutput<StatisticsOutput>(report, 'statistics')}
        forecast={okOutput<ForecastOutput>(report, 'forecast')}
      />
    </section>
  );
}
