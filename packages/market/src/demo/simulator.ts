import type { TBar, TMarket, TSymbolInfo } from '@investiq/contracts';
import { CURRENCY } from '@investiq/contracts';
import { DateTime } from 'luxon';
import type { DataProvider, DateRange, Fundamentals, NewsItem, ProviderQuote, SymbolRef } from '../provider';
import { ProviderError } from '../provider';
import {
  instantOfTradingSecond,
  isTradingDay,
  isWeekday,
  MARKET_CALENDAR,
  marketDate,
  previousTradingDay,
  tradingClock,
} from '../sessions';
import { demoFundamentals } from './fundamentals';
import { demoNews } from './news';
import { hashSeed, RandomStream } from './random';
import { DEMO_UNIVERSE, type DemoInstrument } from './universe';

/** First simulated trading day. History before it does not exist. */
export const DEMO_EPOCH = '2020-01-02';
const TRADING_DAYS = 252;
// GARCH(1,1) shape shared by the demo universe: persistence 0.97 gives visible volatility clusters.
const GARCH_ALPHA = 0.08;
const GARCH_BETA = 0.89;
const STUDENT_NU = 5;
// Slow pull of the log price towards the instrument's typical level (half-life ≈ 170 trading days), so that
// years of simulation still end at plausible prices while short horizons stay close to a random walk.
const MEAN_REVERSION = 0.004;

export interface DemoMarketOptions {
  seed?: number;
  /** Trade around the clock, every day (for demos and tests); otherwise each market's real sessions. */
  alwaysOpen?: boolean;
  /** Injected clock for quotes. */
  now?: () => Date;
  source?: string;
}

interface DayRecord {
  date: string;
  bar: TBar;
  /** GARCH conditional variance of this day's log return. */
  variance: number;
}

interface IntradayState {
  date: string;
  second: number;
  total: number;
  logPrice: number;
  open: number;
  high: number;
  low: number;
  volume: number;
  volFactor: number;
  stream: RandomStream;
  prevClose: number;
}

function roundToTick(price: number, tick: number): number {
  const n = Math.round(price / tick) * tick;
  return Number(n.toFixed(tick < 0.01 ? 4 : 2));
}

/** CN A-share daily price limit: ±20% on ChiNext/STAR boards (300xxx/688xxx), ±10% on the main boards. */
function priceLimit(inst: DemoInstrument): number | null {
  if (inst.market !== 'CN') return null;
  return /^(300|301|688)/.test(inst.symbol) ? 0.2 : 0.1;
}

function nextWeekday(iso: string): string {
  let d = DateTime.fromISO(iso, { zone: 'UTC' }).plus({ days: 1 });
  while (d.weekday > 5) d = d.plus({ days: 1 });
  return d.toISODate()!;
}

function previousWeekday(iso: string): string {
  let d = DateTime.fromISO(iso, { zone: 'UTC' }).minus({ days: 1 });
  while (d.weekday > 5) d = d.minus({ days: 1 });
  return d.toISODate()!;
}

/**
 * Deterministic simulated market. Daily bars follow a GARCH(1,1) process with Student-t innovations,
 * a split overnight/intraday return, CN price limits and volume that rises with |return|. Intraday quotes
 * walk second by second from the previous close with a slowly mean-reverting volatility factor, only while
 * the market's session is open (unless `alwaysOpen`). Same seed and same instant → same numbers.
 */
export class DemoMarket implements DataProvider {
  readonly id = 'demo';
  readonly markets: readonly TMarket[] = ['CN', 'HK', 'US'];
  readonly seed: number;
  readonly alwaysOpen: boolean;
  readonly source: string;
  private readonly now: () => Date;
  private readonly days = new Map<string, DayRecord[]>();
  private readonly dayStreams = new Map<string, { stream: RandomStream; variance: number; close: number }>();
  private readonly intraday = new Map<string, IntradayState>();

  constructor(opts: DemoMarketOptions = {}) {
    this.seed = opts.seed ?? 20240101;
    this.alwaysOpen = opts.alwaysOpen ?? false;
    this.now = opts.now ?? (() => new Date());
    this.source = opts.source ?? 'demo';
  }

  get universe(): readonly DemoInstrument[] {
    return DEMO_UNIVERSE;
  }

  instrument(ref: SymbolRef): DemoInstrument {
    const inst = DEMO_UNIVERSE.find((i) => i.market === ref.market && i.symbol === ref.symbol);
    if (!inst)
      throw new ProviderError(this.id, 'not_found', `unknown demo symbol ${ref.market}:${ref.symbol}`);
    return inst;
  }

  async listSymbols(): Promise<TSymbolInfo[]> {
    return DEMO_UNIVERSE.map((i) => this.info(i));
  }

  async searchSymbols(
    query: string,
    opts: { market?: TMarket; limit?: number } = {},
  ): Promise<TSymbolInfo[]> {
    const q = query.trim().toLowerCase();
    return DEMO_UNIVERSE.filter((i) => !opts.market || i.market === opts.market)
      .filter(
        (i) =>
          q === '' ||
          i.symbol.toLowerCase().includes(q) ||
          i.name.toLowerCase().includes(q) ||
          i.nameZh.includes(query.trim()),
      )
      .slice(0, opts.limit ?? 20)
      .map((i) => this.info(i));
  }

  private info(i: DemoInstrument): TSymbolInfo {
    return {
      market: i.market,
      symbol: i.symbol,
      name: i.name,
      nameZh: i.nameZh,
      currency: CURRENCY[i.market],
      exchange: i.exchange,
      isDemo: true,
    };
  }

  /** Completed daily bars in [from, to] (weekdays only; exchange holidays are not modelled). */
  dailyBars(symbol: string, range: DateRange): TBar[] {
    const inst = DEMO_UNIVERSE.find((i) => i.symbol === symbol);
    if (!inst) throw new ProviderError(this.id, 'not_found', `unknown demo symbol ${symbol}`);
    const series = this.ensureDays(inst, range.to);
    return series.filter((d) => d.date >= range.from && d.date <= range.to).map((d) => d.bar);
  }

  async getDailyBars(ref: SymbolRef, range: DateRange): Promise<TBar[]> {
    this.instrument(ref);
    // Only completed sessions: today's bar is still forming and comes from quotes.
    const today = marketDate(ref.market, this.now());
    const to = range.to >= today ? previousWeekday(today) : range.to;
    return this.dailyBars(ref.symbol, { from: range.from, to });
  }

  /** Simulated annual statements and ratios (see demo/fundamentals.ts); PE/PB at the latest close. */
  async getFundamentals(ref: SymbolRef): Promise<Fundamentals> {
    const inst = this.instrument(ref);
    const now = this.now();
    const last = previousWeekday(marketDate(ref.market, now));
    const series = this.ensureDays(inst, last);
    const price = series[series.length - 1]?.bar.close ?? inst.basePrice;
    return demoFundamentals(this.seed, inst, price, now);
  }

  /** Simulated zh/en headlines (see demo/news.ts). */
  async getNews(
    ref: SymbolRef,
    opts: { limit?: number; lang?: 'zh' | 'en'; until?: Date } = {},
  ): Promise<NewsItem[]> {
    const inst = this.instrument(ref);
    return demoNews(this.seed, inst, { ...opts, until: opts.until ?? this.now() });
  }

  async getQuotes(symbols: readonly SymbolRef[]): Promise<ProviderQuote[]> {
    const at = this.now();
    return symbols.map((ref) => this.quoteAt(this.instrument(ref), at));
  }

  /**
   * Quotes at every `stepMs` between `from` and `to` (inclusive), oldest first: a warm start so the intraday
   * chart has a past on a fresh install. Only instants with trading are returned, each once.
   */
  backfillQuotes(refs: readonly SymbolRef[], from: Date, to: Date, stepMs: number): ProviderQuote[] {
    const out: ProviderQuote[] = [];
    for (const ref of refs) {
      const inst = this.instrument(ref);
      let lastTs = 0;
      for (let t = from.getTime(); t <= to.getTime(); t += stepMs) {
        const q = this.quoteAt(inst, new Date(t));
        if (q.ts.getTime() !== lastTs) out.push(q);
        lastTs = q.ts.getTime();
      }
    }
    return out;
  }

  /** The quote a vendor would report at instant `at`. */
  quoteAt(inst: DemoInstrument, at: Date): ProviderQuote {
    let date: string;
    let second: number;
    let total: number;
    if (this.alwaysOpen) {
      const local = DateTime.fromJSDate(at, { zone: MARKET_CALENDAR[inst.market].zone });
      date = local.toISODate()!;
      total = 86_400;
      second = local.hour * 3600 + local.minute * 60 + local.second;
    } else {
      const clock = tradingClock(inst.market, at);
      total = clock.total;
      if (isTradingDay(inst.market, clock.date) && clock.elapsed > 0) {
        date = clock.date;
        second = clock.elapsed;
      } else {
        // before the open, on weekends and exchange holidays: the last session's close
        date = previousTradingDay(inst.market, clock.date);
        total = tradingClock(inst.market, instantOfTradingSecond(inst.market, date, 0)).total; // a half day is shorter
        second = total;
      }
    }
    const st = this.advance(inst, date, second, total);
    const ts = this.alwaysOpen
      ? DateTime.fromISO(date, { zone: MARKET_CALENDAR[inst.market].zone })
          .startOf('day')
          .plus({ seconds: second })
          .toJSDate()
      : instantOfTradingSecond(inst.market, date, second);
    return {
      market: inst.market,
      symbol: inst.symbol,
      ts,
      source: this.source,
      price: roundToTick(Math.exp(st.logPrice), inst.tick),
      open: roundToTick(st.open, inst.tick),
      high: roundToTick(st.high, inst.tick),
      low: roundToTick(st.low, inst.tick),
      prevClose: st.prevClose,
      volume: Math.round(st.volume),
    };
  }

  private ensureDays(inst: DemoInstrument, to: string): DayRecord[] {
    const key = inst.symbol;
    let series = this.days.get(key);
    if (!series) {
      series = [];
      this.days.set(key, series);
    }
    let state = this.dayStreams.get(key);
    if (!state) {
      const lrVar = inst.annualVol ** 2 / TRADING_DAYS;
      state = {
        stream: new RandomStream(hashSeed(this.seed, key, 'daily')),
        variance: lrVar,
        close: inst.basePrice,
      };
      this.dayStreams.set(key, state);
    }
    const lrVar = inst.annualVol ** 2 / TRADING_DAYS;
    const omega = lrVar * (1 - GARCH_ALPHA - GARCH_BETA);
    const mu = inst.annualDrift / TRADING_DAYS - lrVar / 2;
    const limit = priceLimit(inst);
    let date = series.length ? nextWeekday(series[series.length - 1]!.date) : DEMO_EPOCH;
    while (date <= to) {
      const s = state.stream;
      const h = state.variance;
      const sd = Math.sqrt(h);
      const zOvernight = s.studentT(STUDENT_NU);
      const zDay = s.studentT(STUDENT_NU);
      const nHigh = Math.abs(s.normal());
      const nLow = Math.abs(s.normal());
      const nVol = s.normal();
      const overnight = sd * 0.5 * zOvernight;
      const pull = -MEAN_REVERSION * Math.log(state.close / inst.basePrice);
      let total = mu + pull + overnight + sd * Math.sqrt(0.75) * zDay;
      if (limit !== null) total = Math.max(Math.log(1 - limit), Math.min(Math.log(1 + limit), total));
      const prev = state.close;
      const open = roundToTick(prev * Math.exp(Math.max(-0.09, Math.min(0.09, overnight))), inst.tick);
      const close = roundToTick(prev * Math.exp(total), inst.tick);
      const high = roundToTick(Math.max(open, close) * Math.exp(nHigh * sd * 0.35), inst.tick);
      const low = roundToTick(Math.min(open, close) * Math.exp(-nLow * sd * 0.35), inst.tick);
      const volume = Math.round(
        inst.baseVolume * Math.exp(0.3 * nVol) * (0.5 + Math.abs(total - mu) / sd / 1.6),
      );
      series.push({ date, bar: { time: date, open, high, low, close, volume }, variance: h });
      const eps = total - mu - pull;
      state.variance = omega + GARCH_ALPHA * eps * eps + GARCH_BETA * h;
      state.close = close;
      date = nextWeekday(date);
    }
    return series;
  }

  /** Previous completed close and GARCH variance for intraday day `date`. */
  private dayContext(inst: DemoInstrument, date: string): { prevClose: number; variance: number } {
    const prevDay = previousWeekday(date);
    const series = this.ensureDays(inst, isWeekday(date) ? date : prevDay);
    const idx = series.findIndex((d) => d.date >= date);
    const prev = idx === -1 ? series[series.length - 1] : series[idx - 1];
    const today = idx === -1 ? undefined : series[idx];
    if (!prev) return { prevClose: inst.basePrice, variance: inst.annualVol ** 2 / TRADING_DAYS };
    return { prevClose: prev.bar.close, variance: today?.variance ?? prev.variance };
  }

  private advance(inst: DemoInstrument, date: string, second: number, total: number): IntradayState {
    const key = `${inst.symbol}`;
    let st = this.intraday.get(key);
    if (!st || st.date !== date || st.total !== total || st.second > second) {
      const ctx = this.dayContext(inst, date);
      const stream = new RandomStream(hashSeed(this.seed, inst.symbol, date, total, 'intraday'));
      const gap = Math.sqrt(ctx.variance) * 0.5 * stream.normal();
      const open = ctx.prevClose * Math.exp(Math.max(-0.09, Math.min(0.09, gap)));
      st = {
        date,
        second: 0,
        total,
        logPrice: Math.log(open),
        open,
        high: open,
        low: open,
        volume: 0,
        volFactor: 0,
        stream,
        prevClose: ctx.prevClose,
      };
      this.intraday.set(key, st);
    }
    const ctx = this.dayContext(inst, date);
    // Per-second variance so a full session adds up to the day's GARCH variance (0.75 of it intraday).
    const perSecondSd = Math.sqrt((ctx.variance * 0.75) / total);
    const limit = priceLimit(inst);
    const logUpper = limit === null ? Number.POSITIVE_INFINITY : Math.log(st.prevClose * (1 + limit));
    const logLower = limit === null ? Number.NEGATIVE_INFINITY : Math.log(st.prevClose * (1 - limit));
    const volPerSecond = inst.baseVolume / total;
    while (st.second < second) {
      const s = st.stream;
      if (st.second % 60 === 0) {
        // log-volatility factor: AR(1) per minute → clustered bursts of activity inside the day
        st.volFactor = 0.96 * st.volFactor + 0.22 * s.normal();
      }
      const scale = Math.exp(st.volFactor) / Math.exp(0.22 ** 2 / (2 * (1 - 0.96 ** 2)));
      const step = perSecondSd * scale * s.normal();
      st.logPrice = Math.min(logUpper, Math.max(logLower, st.logPrice + step));
      const p = Math.exp(st.logPrice);
      if (p > st.high) st.high = p;
      if (p < st.low) st.low = p;
      st.volume += volPerSecond * scale * (0.5 + Math.abs(s.normal()));
      st.second += 1;
    }
    return st;
  }
}

export function createDemoMarket(opts: DemoMarketOptions = {}): DemoMarket {
  return new DemoMarket(opts);
}
