'use client';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import {
  COLOR_COOKIE,
  type ColorMode,
  type InitialPrefs,
  LANG_COOKIE,
  type Lang,
  type LangSource,
  parseColorMode,
  parseLang,
  prefCookie,
} from '../prefs/negotiate';

/** `market`: red-up/green-down for CN/HK, green-up for US. The others force one convention everywhere. */
export type { ColorMode, Lang };

const en = {
  appName: 'InvestIQ',
  tagline: 'Self-hosted investment research',
  dashboard: 'Dashboard',
  watchlist: 'Watchlist',
  symbol: 'Symbol',
  name: 'Name',
  price: 'Price',
  change: 'Change',
  changePct: 'Change %',
  asOf: 'As of',
  source: 'Source',
  freshness: 'Freshness',
  fresh: 'Fresh',
  stale: 'Stale',
  missing: 'No data',
  searchSymbol: 'Find a symbol',
  searchPlaceholder: 'Code, name or pinyin (600519, 0700, AAPL, gzmt)',
  ageSeconds: (s: number) => `${s.toFixed(s < 10 ? 1 : 0)} s old`,
  lastSeen: (t: string) => `last seen ${t}`,
  staleExplain: (max: number) => `No quote in the last ${max} s. The last price is not shown as current.`,
  missingExplain: 'No quote has been received for this symbol yet.',
  closed: 'Closed · last close',
  closedBreak: 'Midday break · last price',
  closedExplain: (since: string, next: string) =>
    `Market closed since ${since}. The price shown is the last one of that session, not a live price. Next open: ${next}.`,
  nextOpen: (t: string) => `opens ${t}`,
  delayed: (min: number) => `Delayed ${min} min`,
  delayedExplain: (min: number) => `This source publishes quotes ${min} minutes late.`,
  demoBanner: 'Demo data: prices are simulated by the built-in demo market, not real quotes.',
  demoTag: 'DEMO',
  language: 'Language',
  colors: 'Colours',
  colorMarket: 'By market',
  colorRedUp: 'Red up',
  colorGreenUp: 'Green up',
  chart1m: '1 min',
  chart5m: '5 min',
  chart1d: 'Daily',
  live: 'Live',
  connecting: 'Connecting…',
  collector: 'Collector',
  back: '← Watchlist',
  open: 'Open',
  high: 'High',
  low: 'Low',
  prevClose: 'Prev close',
  volume: 'Volume',
  loading: 'Loading…',
  error: 'Could not load',
  notFound: 'Unknown symbol',
  marketCN: 'China A',
  marketHK: 'Hong Kong',
  marketUS: 'US',
};

type Dict = typeof en;

const zh: Dict = {
  appName: 'InvestIQ',
  tagline: '自托管投资研究',
  dashboard: '仪表盘',
  watchlist: '自选股',
  symbol: '代码',
  name: '名称',
  price: '价格',
  change: '涨跌',
  changePct: '涨跌幅',
  asOf: '更新时间',
  source: '来源',
  freshness: '时效',
  fresh: '实时',
  stale: '已过期',
  missing: '无数据',
  searchSymbol: '查找代码',
  searchPlaceholder: '代码、名称或拼音首字母（600519、0700、AAPL、gzmt）',
  ageSeconds: (s: number) => `${s.toFixed(s < 10 ? 1 : 0)} 秒前`,
  lastSeen: (t: string) => `最后报价 ${t}`,
  staleExplain: (max: number) => `最近 ${max} 秒内没有报价，不显示旧价格为当前价。`,
  missingExplain: '尚未收到该代码的报价。',
  closed: '休市 · 收盘价',
  closedBreak: '午间休市 · 最新价',
  closedExplain: (since: string, next: string) =>
    `自 ${since} 起休市。所示价格为该交易时段的最后价格，并非实时价格。下次开市：${next}。`,
  nextOpen: (t: string) => `${t} 开市`,
  delayed: (min: number) => `延时 ${min} 分钟`,
  delayedExplain: (min: number) => `该数据源的报价延时 ${min} 分钟。`,
  demoBanner: '演示数据：价格由内置演示行情模拟生成，并非真实报价。',
  demoTag: '演示',
  language: '语言',
  colors: '配色',
  colorMarket: '按市场',
  colorRedUp: '红涨绿跌',
  colorGreenUp: '绿涨红跌',
  chart1m: '1分钟',
  chart5m: '5分钟',
  chart1d: '日线',
  live: '实时推送',
  connecting: '连接中…',
  collector: '采集器',
  back: '← 自选股',
  open: '开盘',
  high: '最高',
  low: '最低',
  prevClose: '昨收',
  volume: '成交量',
  loading: '加载中…',
  error: '加载失败',
  notFound: '未知代码',
  marketCN: 'A股',
  marketHK: '港股',
  marketUS: '美股',
};

const DICTS: Record<Lang, Dict> = { en, 'zh-CN': zh };

interface Prefs {
  lang: Lang;
  /** Where `lang` came from: the user's own choice, the browser's Accept-Language, or the admin default. */
  langSource: LangSource;
  colorMode: ColorMode;
  /** true once the user picked a colour convention (the admin default no longer applies). */
  colorChosen: boolean;
  t: Dict;
  /** The user's choice: remembered in a cookie, so the server renders the next page in it. */
  setLang(l: Lang): void;
  setColorMode(c: ColorMode): void;
  /** The admin's `ui.defaults`: applied only where the user (and, for language, the browser) said nothing. */
  applyDefaults(d: { language: string; colorConvention: string }): void;
  /** true when rising prices are drawn red for this market */
  redUp(market: string): boolean;
}

const PrefsContext = createContext<Prefs | null>(null);

function remember(name: string, value: string) {
  // biome-ignore lint/suspicious/noDocumentCookie: a plain preference cookie; the Cookie Store API is not in every browser we support
  document.cookie = prefCookie(name, value);
}

export function PrefsProvider({ children, initial }: { children: ReactNode; initial: InitialPrefs }) {
  const [lang, setLangState] = useState<Lang>(initial.lang);
  const [langSource, setLangSource] = useState<LangSource>(initial.langSource);
  const [colorMode, setColorState] = useState<ColorMode>(initial.colorMode ?? 'market');
  const [colorChosen, setColorChosen] = useState(initial.colorMode !== null);
  useEffect(() => {
    // choices made before they were kept in cookies (localStorage) carry over once
    const oldLang = parseLang(localStorage.getItem(LANG_COOKIE));
    if (oldLang && initial.langSource !== 'user') {
      remember(LANG_COOKIE, oldLang);
      setLangState(oldLang);
      setLangSource('user');
    }
    const oldColor = parseColorMode(localStorage.getItem(COLOR_COOKIE));
    if (oldColor && initial.colorMode === null) {
      remember(COLOR_COOKIE, oldColor);
      setColorState(oldColor);
      setColorChosen(true);
    }
    localStorage.removeItem(LANG_COOKIE);
    localStorage.removeItem(COLOR_COOKIE);
  }, [initial]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    remember(LANG_COOKIE, l);
    setLangState(l);
    setLangSource('user');
  }, []);
  const setColorMode = useCallback((c: ColorMode) => {
    remember(COLOR_COOKIE, c);
    setColorState(c);
    setColorChosen(true);
  }, []);
  const applyDefaults = useCallback(
    (d: { language: string; colorConvention: string }) => {
      const l = parseLang(d.language);
      if (l && langSource === 'default') setLangState(l);
      const c = parseColorMode(d.colorConvention);
      if (c && !colorChosen) setColorState(c);
    },
    [langSource, colorChosen],
  );
  const value = useMemo<Prefs>(
    () => ({
      lang,
      langSource,
      colorMode,
      colorChosen,
      t: DICTS[lang],
      setLang,
      setColorMode,
      applyDefaults,
      redUp: (market: string) =>
        colorMode === 'market' ? market === 'CN' || market === 'HK' : colorMode === 'red-up',
    }),
    [lang, langSource, colorMode, colorChosen, setLang, setColorMode, applyDefaults],
  );
  return <PrefsContext.Provider value={value}>{children}</PrefsContext.Provider>;
}

/**
 * Feature dictionaries live beside their feature (e.g. `lib/i18n/reports.ts` exporting `{ en, 'zh-CN' }`);
 * this picks the one for the current language.
 */
export function useDict<D>(dicts: Record<Lang, D>): D {
  return dicts[usePrefs().lang];
}

export function usePrefs(): Prefs {
  const p = useContext(PrefsContext);
  if (!p) throw new Error('usePrefs outside PrefsProvider');
  return p;
}

export const UP_RED = '#e5383b';
export const DOWN_GREEN = '#1a9b5b';

/** Colour for a price move under the user's convention. */
export function moveColor(redUp: boolean, change: number | null | undefined): string | undefined {
  if (!change) return undefined;
  const up = change > 0;
  return up === redUp ? UP_RED : DOWN_GREEN;
}
