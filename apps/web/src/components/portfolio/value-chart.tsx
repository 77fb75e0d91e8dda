'use client';
import { AreaSeries, createChart, type Time } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { baseChartOptions } from '~/lib/chart-options';
import { usePrefs } from '~/lib/i18n';

/** Portfolio value per day in the base currency. */
export function ValueChart({ points }: { points: { date: string; value: number }[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const { lang } = usePrefs();
  useEffect(() => {
    if (!ref.current) return;
    const chart = createChart(ref.current, baseChartOptions(lang));
    chart
      .addSeries(AreaSeries, {
        lineColor: '#4f8cff',
        topColor: 'rgba(79,140,255,0.35)',
        bottomColor: 'rgba(79,140,255,0.02)',
        lineWidth: 2,
        priceLineVisible: false,
      })
      .setData(points.map((p) => ({ time: p.date as Time, value: p.value })));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [points, lang]);
  return <div ref={ref} className="chart pf-chart" data-testid="portfolio-chart" />;
}
