'use client';
import type { ForecastOutput, IndicatorsOutput, StatisticsOutput } from '@investiq/api/reports';
import type { TBar } from '@investiq/contracts';
import { createChart, type ISeriesApi, LineSeries, LineStyle, type Time } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { baseChartOptions } from '~/lib/chart-options';
import { usePrefs } from '~/lib/i18n';

interface Props {
  bars: TBar[];
  indicators: IndicatorsOutput | null;
  statistics: StatisticsOutput | null;
  forecast: ForecastOutput | null;
}

type Pt = { time: Time; value: number };

/** Daily closes with SMA overlays, then the ARIMA forecast with its intervals and the neural p10–p90 band. */
export function ForecastChart({ bars, indicators, statistics, forecast }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const { lang } = usePrefs();
  useEffect(() => {
    if (!container.current) return;
    const chart = createChart(container.current, baseChartOptions(lang));
    const line = (color: string, o: { width?: 1 | 2 | 3; dashed?: boolean; title?: string } = {}) =>
      chart.addSeries(LineSeries, {
        color,
        lineWidth: o.width ?? 1,
        lineStyle: o.dashed ? LineStyle.Dashed : LineStyle.Solid,
        priceLineVisible: false,
        lastValueVisible: false,
        crosshairMarkerVisible: false,
        title: o.title ?? '',
      });
    const set = (s: ISeriesApi<'Line'>, pts: Pt[]) => s.setData(pts);
    const tail = bars.slice(-250);
    const lastBar = tail.at(-1);
    set(
      line('#4f8cff', { width: 2 }),
      tail.map((b) => ({ time: b.time as Time, value: b.close })),
    );
    for (const [k, color] of [
      ['sma20', '#d9a400'],
      ['sma50', '#b05cff'],
    ] as const) {
      const ov = indicators?.overlays[k];
      if (ov)
        set(
          line(color),
          ov.filter((p) => p.value !== null).map((p) => ({ time: p.time as Time, value: p.value as number })),
        );
    }
    const withAnchor = (dates: string[], values: number[]): Pt[] => [
      ...(lastBar ? [{ time: lastBar.time as Time, value: lastBar.close }] : []),
      ...dates.map((d, i) => ({ time: d as Time, value: values[i]! })),
    ];
    const a = statistics?.arima;
    if (a) {
      set(line('#e5383b', { width: 2, title: 'ARIMA' }), withAnchor(a.dates, a.forecast));
      for (const iv of a.intervals) {
        const c = iv.level >= 0.9 ? 'rgba(229,56,59,0.35)' : 'rgba(229,56,59,0.6)';
        set(line(c, { dashed: true }), withAnchor(a.dates, iv.lower));
        set(line(c, { dashed: true }), withAnchor(a.dates, iv.upper));
      }
    }
    if (forecast) {
      set(line('#1a9b5b', { width: 2, title: 'NN' }), withAnchor(forecast.dates, forecast.point));
      set(line('rgba(26,155,91,0.5)', { dashed: true }), withAnchor(forecast.dates, forecast.p10));
      set(line('rgba(26,155,91,0.5)', { dashed: true }), withAnchor(forecast.dates, forecast.p90));
    }
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [bars, indicators, statistics, forecast, lang]);
  return <div ref={container} className="chart report-chart" data-testid="report-chart" />;
}
