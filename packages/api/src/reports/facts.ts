import type { Fact } from './grounding';
import type {
  ForecastOutput,
  IndicatorsOutput,
  ProfileOutput,
  ReportLanguage,
  SentimentOutput,
  StatisticsOutput,
  TAnalysisSettings,
} from './types';

export interface NarrativeInputs {
  market: string;
  symbol: string;
  language: ReportLanguage;
  params: TAnalysisSettings;
  profile: ProfileOutput | null;
  indicators: IndicatorsOutput | null;
  statistics: StatisticsOutput | null;
  forecast: ForecastOutput | null;
  sentiment: SentimentOutput | null;
}

export type FactMap = Map<string, Fact>;

/**
 * The numbers a narrative may state: every computed figure of the other sections plus the parameters they
 * were computed with. The prompt lists them as shown here and the grounding check matches against them.
 */
export function collectFacts(x: NarrativeInputs): FactMap {
  const facts: FactMap = new Map();
  const zh = x.language === 'zh';
  const add = (
    key: string,
    label: [string, string],
    value: number | null | undefined,
    o: { decimals?: number; pct?: boolean; scale?: number } = {},
  ) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    facts.set(key, {
      key,
      label: zh ? label[1] : label[0],
      value,
      unit: o.pct ? 'pct' : 'plain',
      scale: o.scale ?? 1,
      decimals: o.decimals ?? 2,
    });
  };
  const p = x.profile;
  if (p) {
    add('lastClose', ['last close', '最新收盘价'], p.lastClose);
    add('change1dPct', ['1-day change', '日涨跌幅'], p.change1dPct, { pct: true });
    add('high52w', ['52-week high', '52周最高'], p.high52w);
    add('low52w', ['52-week low', '52周最低'], p.low52w);
    add('return1yPct', ['1-year return', '一年回报'], p.return1yPct, { pct: true, decimals: 1 });
    if (p.quote?.status === 'fresh' || p.quote?.status === 'delayed')
      add('quotePrice', ['live price', '实时价格'], p.quote.quote.price);
    if (p.quote?.status === 'closed')
      add('quotePrice', ['last price before the close', '收盘前最新价'], p.quote.quote.price);
    const f = p.fundamentals;
    if (f) {
      add('fiscalYear', ['fiscal year', '财年'], Number(f.fiscalPeriodEnd.slice(0, 4)), { decimals: 0 });
      add('pe', ['P/E', '市盈率'], f.ratios.pe);
      add('pb', ['P/B', '市净率'], f.ratios.pb);
      add('roe', ['ROE', '净资产收益率'], f.ratios.roe, { pct: true, scale: 100, decimals: 1 });
      add('grossMargin', ['gross margin', '毛利率'], f.ratios.grossMargin, {
        pct: true,
        scale: 100,
        decimals: 1,
      });
      add('operatingMargin', ['operating margin', '营业利润率'], f.ratios.operatingMargin, {
        pct: true,
        scale: 100,
        decimals: 1,
      });
      add('netMargin', ['net margin', '净利率'], f.ratios.netMargin, { pct: true, scale: 100, decimals: 1 });
      add('revenueGrowth', ['revenue growth', '营收增长'], f.ratios.revenueGrowth, {
        pct: true,
        scale: 100,
        decimals: 1,
      });
      add('earningsGrowth', ['earnings growth', '利润增长'], f.ratios.earningsGrowth, {
        pct: true,
        scale: 100,
        decimals: 1,
      });
      add('debtToEquity', ['debt/equity', '负债权益比'], f.ratios.debtToEquity);
      add('revenue', [`revenue (billion ${f.currency})`, `营业收入（亿${f.currency}）`], f.income.revenue, {
        scale: zh ? 1e-8 : 1e-9,
      });
      add(
        'netIncome',
        [`net income (billion ${f.currency})`, `净利润（亿${f.currency}）`],
        f.income.netIncome,
        {
          scale: zh ? 1e-8 : 1e-9,
        },
      );
      add('eps', ['EPS', '每股收益'], f.income.eps);
    }
  }
  const ind = x.indicators;
  if (ind) {
    const prm = ind.params;
    for (const n of prm.smaPeriods) {
      add(`smaPeriod${n}`, ['SMA period', '均线周期'], n, { decimals: 0 });
      add(`sma${n}`, [`SMA(${n})`, `${n}日均线`], ind.latest[`sma${n}`]);
    }
    for (const n of prm.emaPeriods) {
      add(`emaPeriod${n}`, ['EMA period', 'EMA周期'], n, { decimals: 0 });
      add(`ema${n}`, [`EMA(${n})`, `${n}日EMA`], ind.latest[`ema${n}`]);
    }
    add('rsiPeriod', ['RSI period', 'RSI周期'], prm.rsiPeriod, { decimals: 0 });
    add('rsi', [`RSI(${prm.rsiPeriod})`, `RSI(${prm.rsiPeriod})`], ind.latest.rsi, { decimals: 1 });
    add('macd', ['MACD', 'MACD'], ind.latest.macd, { decimals: 3 });
    add('macdSignal', ['MACD signal', 'MACD信号线'], ind.latest.macdSignal, { decimals: 3 });
    add('macdHist', ['MACD histogram', 'MACD柱'], ind.latest.macdHist, { decimals: 3 });
    add('bbUpper', ['Bollinger upper', '布林上轨'], ind.latest.bbUpper);
    add('bbLower', ['Bollinger lower', '布林下轨'], ind.latest.bbLower);
    add('atrPeriod', ['ATR period', 'ATR周期'], prm.atrPeriod, { decimals: 0 });
    add('atr', [`ATR(${prm.atrPeriod})`, `ATR(${prm.atrPeriod})`], ind.latest.atr);
  }
  const st = x.statistics;
  if (st?.arima) {
    const a = st.arima;
    const h = a.forecast.length;
    add('arimaHorizon', ['ARIMA horizon (trading days)', 'ARIMA预测期（交易日）'], h, { decimals: 0 });
    add('arimaEnd', ['ARIMA forecast at horizon', 'ARIMA预测期末值'], a.forecast[h - 1]);
    add(
      'arimaChangePct',
      ['ARIMA forecast change', 'ARIMA预测涨跌幅'],
      (a.forecast[h - 1]! / st.lastClose - 1) * 100,
      {
        pct: true,
        decimals: 1,
      },
    );
    for (const iv of a.intervals) {
      const lvl = Math.round(iv.level * 100);
      add(`arimaLevel${lvl}`, ['interval level', '区间置信度'], lvl, { pct: true, decimals: 0 });
      add(`arimaLower${lvl}`, [`ARIMA ${lvl}% lower`, `ARIMA ${lvl}%下限`], iv.lower[h - 1]);
      add(`arimaUpper${lvl}`, [`ARIMA ${lvl}% upper`, `ARIMA ${lvl}%上限`], iv.upper[h - 1]);
    }
  }
  if (st?.garch) {
    const g = st.garch;
    add('annualVolPct', ['GARCH annualised volatility', 'GARCH年化波动率'], g.annualVolPct, {
      pct: true,
      decimals: 1,
    });
    add('forecastAnnualVolPct', ['GARCH forecast volatility', 'GARCH预测波动率'], g.forecastAnnualVolPct, {
      pct: true,
      decimals: 1,
    });
    add('persistence', ['GARCH persistence (alpha+beta)', 'GARCH持续性(α+β)'], g.persistence, {
      decimals: 3,
    });
    add('varHorizonDays', ['VaR horizon (days)', 'VaR期限（天）'], 1, { decimals: 0 });
    for (const v of g.var) {
      const lvl = Math.round(v.level * 100);
      add(`varLevel${lvl}`, ['VaR level', 'VaR置信度'], lvl, { pct: true, decimals: 0 });
      add(`varPct${lvl}`, [`1-day ${lvl}% VaR`, `1日${lvl}% VaR`], v.pct, { pct: true, decimals: 2 });
      add(`varAmount${lvl}`, [`1-day ${lvl}% VaR per share`, `1日${lvl}% VaR（每股）`], v.amount);
    }
  }
  const fc = x.forecast;
  if (fc) {
    const h = fc.point.length;
    add('forecastHorizon', ['neural forecast horizon (trading days)', '神经网络预测期（交易日）'], h, {
      decimals: 0,
    });
    add('forecastEnd', ['neural forecast at horizon', '神经网络预测期末值'], fc.point[h - 1]);
    add(
      'forecastChangePct',
      ['neural forecast change', '神经网络预测涨跌幅'],
      (fc.point[h - 1]! / fc.lastClose - 1) * 100,
      {
        pct: true,
        decimals: 1,
      },
    );
    add('forecastP10', ['neural forecast p10', '神经网络p10'], fc.p10[h - 1]);
    add('forecastP90', ['neural forecast p90', '神经网络p90'], fc.p90[h - 1]);
  }
  const se = x.sentiment;
  if (se) {
    add('headlines', ['headlines scored', '新闻条数'], se.headlines.length, { decimals: 0 });
    add('positive', ['positive headlines', '正面'], se.counts.positive, { decimals: 0 });
    add('neutral', ['neutral headlines', '中性'], se.counts.neutral, { decimals: 0 });
    add('negative', ['negative headlines', '负面'], se.counts.negative, { decimals: 0 });
    add('netScore', ['net sentiment score (−1…1)', '净情绪得分（−1…1）'], se.netScore);
  }
  return facts;
}
