import { ColorType, type DeepPartial, type TimeChartOptions } from 'lightweight-charts';

/**
 * The look every chart shares, and its axes and crosshair dates written in the UI language (lightweight-charts
 * would otherwise use the browser's locale).
 */
export function baseChartOptions(lang: string): DeepPartial<TimeChartOptions> {
  return {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#8a93a6' },
    grid: { vertLines: { color: 'rgba(128,128,128,0.1)' }, horzLines: { color: 'rgba(128,128,128,0.1)' } },
    rightPriceScale: { borderVisible: false },
    timeScale: { borderVisible: false },
    localization: { locale: lang },
  };
}
