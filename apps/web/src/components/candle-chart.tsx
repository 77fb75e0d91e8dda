'use client';
import type { TBar, TQuote } from '@investiq/contracts';
import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { marketZone } from '~/lib/format';
import { DOWN_GREEN, UP_RED, usePrefs } from '~/lib/i18n';

export type ChartInterval = '1m' | '5m' | '1d';

/** Seconds to add to UTC so the time axis reads in the market's own zone (lightweight-charts draws UTC). */
function zoneOffsetSeconds(market: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: marketZone(market),
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((local - at.getTime()) / 1000);
}

function toTime(bar: TBar, interval: ChartInterval, offset: number): Time {
  if (interval === '1d') return bar.time as Time;
  return (Math.floor(Date.parse(bar.time) / 1000) + offset) as UTCTimestamp;
}

interface Props {
  market: string;
  bars: TBar[];
  interval: ChartInterval;
  redUp: boolean;
  /** The newest pushed quote; the last candle follows it live. */
  live: TQuote | null;
}

export function CandleChart({ market, bars, interval, redUp, live }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const candles = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const volume = useRef<ISeriesApi<'Histogram'> | null>(null);
  // The candle being drawn live. Quotes carry the day's cumulative volume, so an intraday candle's volume is
  // the cumulative volume now minus the cumulative volume when the candle began (`baseVolume`).
  const last = useRef<{
    time: number | string;
    open: number;
    high: number;
    low: number;
    close: number;
    volume: number;
    baseVolume: number | null;
  } | null>(null);
  const { lang } = usePrefs();
  const langRef = useRef(lang);
  const up = redUp ? UP_RED : DOWN_GREEN;
  const down = redUp ? DOWN_GREEN : UP_RED;

  useEffect(() => {
    if (!container.current) return;
    const c = createChart(container.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#8a93a6' },
      grid: {
        vertLines: { color: 'rgba(128,128,128,0.12)' },
        horzLines: { color: 'rgba(128,128,128,0.12)' },
      },
      timeScale: { timeVisible: interval !== '1d', secondsVisible: false },
      rightPriceScale: { scaleMargins: { top: 0.08, bottom: 0.25 } },
      // axis ticks and the crosshair date in the UI language, not the browser's
      localization: { locale: langRef.current },
    });
    candles.current = c.addSeries(CandlestickSeries, {
      upColor: up,
      downColor: down,
      borderUpColor: up,
      borderDownColor: down,
      wickUpColor: up,
      wickDownColor: down,
    });
    volume.current = c.addSeries(HistogramSeries, {
      priceFormat: { type: 'volume' },
      priceScaleId: 'volume',
    });
    c.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
      candles.current = null;
      volume.current = null;
    };
  }, [interval, up, down]);

  useEffect(() => {
    langRef.current = lang;
    chart.current?.applyOptions({ localization: { locale: lang } });
  }, [lang]);

  useEffect(() => {
    if (!candles.current || !volume.current) return;
    const offset = zoneOffsetSeconds(market, new Date());
    candles.current.setData(
      bars.map((b) => ({
        time: toTime(b, interval, offset),
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
      })),
    );
    volume.current.setData(
      bars.map((b) => ({
        time: toTime(b, interval, offset),
        value: b.volume,
        color: b.close >= b.open ? `${up}66` : `${down}66`,
      })),
    );
    const lb = bars[bars.length - 1];
    last.current = lb
      ? {
          time: toTime(lb, interval, offset) as number | string,
          open: lb.open,
          high: lb.high,
          low: lb.low,
          close: lb.close,
          volume: lb.volume,
          baseVolume: null,
        }
      : null;
    chart.current?.timeScale().scrollToRealTime();
  }, [bars, interval, market, up, down]);

  useEffect(() => {
    if (!live || !candles.current) return;
    const offset = zoneOffsetSeconds(market, new Date(live.ts));
    const bucketSec = interval === '1m' ? 60 : interval === '5m' ? 300 : 0;
    let time: number | string;
    if (interval === '1d') {
      time = new Intl.DateTimeFormat('en-CA', { timeZone: marketZone(market) }).format(new Date(live.ts));
    } else {
      const sec = Math.floor(Date.parse(live.ts) / 1000);
      time = sec - (sec % bucketSec) + offset;
    }
    const prev = last.current;
    let next: NonNullable<typeof prev>;
    if (prev && prev.time === time) {
      next = {
        ...prev,
        high: Math.max(prev.high, live.price),
        low: Math.min(prev.low, live.price),
        close: live.price,
        // first live quote on a candle loaded from history: its volume so far is known from the history
        baseVolume: prev.baseVolume ?? (live.volume ?? 0) - prev.volume,
      };
    } else if (prev && typeof prev.time === typeof time && prev.time > time) {
      return; // older than what is drawn
    } else if (interval === '1d') {
      next = {
        time,
        open: live.open ?? live.price,
        high: live.high ?? live.price,
        low: live.low ?? live.price,
        close: live.price,
        volume: live.volume ?? 0,
        baseVolume: 0,
      };
    } else {
      next = {
        time,
        open: live.price,
        high: live.price,
        low: live.price,
        close: live.price,
        volume: 0,
        baseVolume: live.volume ?? 0,
      };
    }
    next.volume =
      interval === '1d' ? (live.volume ?? 0) : Math.max(0, (live.volume ?? 0) - (next.baseVolume ?? 0));
    last.current = next;
    candles.current.update({
      time: next.time as Time,
      open: next.open,
      high: next.high,
      low: next.low,
      close: next.close,
    });
    volume.current?.update({
      time: next.time as Time,
      value: next.volume,
      color: next.close >= next.open ? `${up}66` : `${down}66`,
    });
  }, [live, interval, market, up, down]);

  return <div ref={container} className="chart" data-testid="chart" />;
}
