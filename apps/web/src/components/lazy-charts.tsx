'use client';
// The charts, loaded on demand: lightweight-charts (≈ 53 KB gzip) is fetched when a page first renders a chart,
// not with every page's first-load JavaScript. The placeholders keep the chart's box (no layout shift).
import dynamic from 'next/dynamic';

export type { ChartInterval } from './candle-chart';

export const CandleChart = dynamic(() => import('./candle-chart').then((m) => m.CandleChart), {
  ssr: false,
  loading: () => <div className="chart" />,
});

export const ForecastChart = dynamic(() => import('./reports/forecast-chart').then((m) => m.ForecastChart), {
  ssr: false,
  loading: () => <div className="chart report-chart" />,
});

export const ValueChart = dynamic(() => import('./portfolio/value-chart').then((m) => m.ValueChart), {
  ssr: false,
  loading: () => <div className="chart pf-chart" />,
});

export const EquityChart = dynamic(() => import('./backtests/backtest-charts').then((m) => m.EquityChart), {
  ssr: false,
  loading: () => <div className="chart bt-chart" />,
});

export const DrawdownChart = dynamic(
  () => import('./backtests/backtest-charts').then((m) => m.DrawdownChart),
  { ssr: false, loading: () => <div className="chart bt-chart-small" /> },
);
