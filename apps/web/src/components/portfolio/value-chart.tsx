'use client';
import { AreaSeries, ColorType, createChart, type Time } from 'lightweight-charts';
import { useEffect, useRef } from 'react';

/** Portfolio value per day in the base currency. */
export function ValueChart({ points }: { points: { date: string; value: number }[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = createChart(ref.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#8a93a6' },
      grid: { vertLines: { color: 'rgba(128,128,128,0.1)' }, horzLines: { color: 'rgba(128,128,128,0.1)' } },
      rightPriceScale: { borderVisible: false },
      timeScale: { borderVisible: false },
    });
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
  }, [points]);
  return <div ref={ref} className="chart pf-chart" data-testid="portfolio-chart" />;
}
