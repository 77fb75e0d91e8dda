'use client';
import { AreaSeries, createChart, LineSeries, type Time } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { baseChartOptions } from '~/lib/chart-options';
import { usePrefs } from '~/lib/i18n';
import { SERIES_COLORS } from './series-colors';

/** Strategy equity against buy-and-hold and the benchmark (same start value). */
export function EquityChart(props: {
  dates: string[];
  equity: number[];
  buyHold: number[];
  benchmark: number[] | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { lang } = usePrefs();
  useEffect(() => {
    if (!ref.current) return;
    const chart = createChart(ref.current, baseChartOptions(lang));
    const add = (values: number[], color: string, width: 1 | 2) =>
      chart
        .addSeries(LineSeries, { color, lineWidth: width, priceLineVisible: false, lastValueVisible: false })
        .setData(props.dates.map((d, i) => ({ time: d as Time, value: values[i] as number })));
    if (props.benchmark) add(props.benchmark, SERIES_COLORS.benchmark, 1);
    add(props.buyHold, SERIES_COLORS.buyHold, 1);
    add(props.equity, SERIES_COLORS.strategy, 2);
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [props.dates, props.equity, props.buyHold, props.benchmark, lang]);
  return <div ref={ref} className="chart bt-chart" data-testid="bt-equity-chart" />;
}

/** Drawdown from the running peak, in %. */
export function DrawdownChart({ dates, drawdown }: { dates: string[]; drawdown: number[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const { lang } = usePrefs();
  useEffect(() => {
    if (!ref.current) return;
    const chart = createChart(ref.current, baseChartOptions(lang));
    chart
      .addSeries(AreaSeries, {
        lineColor: '#e5383b',
        topColor: 'rgba(229,56,59,0.05)',
        bottomColor: 'rgba(229,56,59,0.4)',
        lineWidth: 1,
        priceLineVisible: false,
        priceFormat: { type: 'percent' },
        invertFilledArea: true,
      })
      .setData(dates.map((d, i) => ({ time: d as Time, value: (drawdown[i] as number) * 100 })));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [dates, drawdown, lang]);
  return <div ref={ref} className="chart bt-chart-small" data-testid="bt-drawdown-chart" />;
}
