import type { FactMap, NarrativeInputs } from './facts';
import { type Fact, formatFact } from './grounding';

/**
 * The deterministic narrative: a few plain paragraphs built only from the facts (so it is grounded by
 * construction), used when no LLM upstream is configured or the LLM fails.
 */
export function writeDeterministicNarrative(x: NarrativeInputs, facts: FactMap): string {
  const has = (...keys: string[]) => keys.every((k) => facts.has(k));
  const F = (k: string): string => formatFact(facts.get(k) as Fact);
  const abs = (k: string): string =>
    formatFact({ ...(facts.get(k) as Fact), value: Math.abs(facts.get(k)!.value) });
  const sign = (k: string) => (facts.get(k)?.value ?? 0) >= 0;
  const zh = x.language === 'zh';
  const p = x.profile;
  const name = p ? (zh ? p.nameZh : p.name) : x.symbol;
  const ccy = p?.currency ?? '';
  const out: string[] = [];

  if (p && has('lastClose')) {
    let s = zh
      ? `${name}（${x.symbol}）最新收盘价 ${F('lastClose')} ${ccy}（${p.lastCloseDate}）`
      : `${name} (${x.symbol}) last closed at ${F('lastClose')} ${ccy} on ${p.lastCloseDate}`;
    if (has('change1dPct'))
      s += zh
        ? `，当日${sign('change1dPct') ? '上涨' : '下跌'} ${abs('change1dPct')}`
        : `, ${sign('change1dPct') ? 'up' : 'down'} ${abs('change1dPct')} on the day`;
    if (has('return1yPct', 'low52w', 'high52w'))
      s += zh
        ? `；近一年回报 ${F('return1yPct')}，区间 ${F('low52w')}–${F('high52w')}。`
        : `; over the past year it returned ${F('return1yPct')}, trading between ${F('low52w')} and ${F('high52w')}.`;
    else s += zh ? '。' : '.';
    if (p.quote && p.quote.status !== 'fresh')
      s += zh
        ? ' 注意：当前没有新鲜的实时报价，以上为收盘数据。'
        : ' Note: there is no fresh live quote right now; figures above are closing data.';
    out.push(s);
  }
  if (has('pe', 'roe', 'netMargin', 'revenueGrowth')) {
    const demo = p?.fundamentals?.isDemo ? (zh ? '（演示数据）' : ' (demo figures)') : '';
    out.push(
      zh
        ? `基本面${demo}：市盈率 ${F('pe')}，市净率 ${has('pb') ? F('pb') : '—'}，净资产收益率 ${F('roe')}，净利率 ${F('netMargin')}，营收增长 ${F('revenueGrowth')}，利润增长 ${has('earningsGrowth') ? F('earningsGrowth') : '—'}。`
        : `Fundamentals${demo}: P/E ${F('pe')}, P/B ${has('pb') ? F('pb') : '—'}, ROE ${F('roe')}, net margin ${F('netMargin')}, revenue growth ${F('revenueGrowth')}, earnings growth ${has('earningsGrowth') ? F('earningsGrowth') : '—'}.`,
    );
  }
  if (has('rsi', 'rsiPeriod')) {
    const rsi = facts.get('rsi')!.value;
    const state =
      rsi >= 70
        ? zh
          ? '超买区'
          : 'overbought'
        : rsi <= 30
          ? zh
            ? '超卖区'
            : 'oversold'
          : zh
            ? '中性区间'
            : 'neutral';
    const parts = [
      zh
        ? `RSI(${F('rsiPeriod')}) 为 ${F('rsi')}，处于${state}`
        : `RSI(${F('rsiPeriod')}) is ${F('rsi')} (${state})`,
    ];
    const long = x.indicators?.params.smaPeriods.at(-1);
    if (long !== undefined && has(`sma${long}`, 'lastClose')) {
      const above = facts.get('lastClose')!.value >= facts.get(`sma${long}`)!.value;
      parts.push(
        zh
          ? `收盘价${above ? '高于' : '低于'} ${F(`smaPeriod${long}`)} 日均线 ${F(`sma${long}`)}`
          : `the close is ${above ? 'above' : 'below'} its ${F(`smaPeriod${long}`)}-day SMA of ${F(`sma${long}`)}`,
      );
    }
    if (has('macdHist'))
      parts.push(zh ? `MACD 柱为 ${F('macdHist')}` : `the MACD histogram is ${F('macdHist')}`);
    out.push(zh ? `技术面：${parts.join('；')}。` : `Technicals: ${parts.join('; ')}.`);
  }
  const st = x.statistics;
  if (st?.arima && has('arimaEnd', 'arimaHorizon')) {
    const [pp, d, q] = st.arima.order;
    const lvl = st.arima.intervals[0] ? Math.round(st.arima.intervals[0].level * 100) : null;
    const band =
      lvl !== null && has(`arimaLower${lvl}`, `arimaUpper${lvl}`)
        ? zh
          ? `，${F(`arimaLevel${lvl}`)} 区间 ${F(`arimaLower${lvl}`)}–${F(`arimaUpper${lvl}`)}`
          : ` (${F(`arimaLevel${lvl}`)} interval ${F(`arimaLower${lvl}`)}–${F(`arimaUpper${lvl}`)})`
        : '';
    out.push(
      zh
        ? `统计模型：ARIMA(${pp},${d},${q}) 预测 ${F('arimaHorizon')} 个交易日后为 ${F('arimaEnd')}${band}。`
        : `Statistics: ARIMA(${pp},${d},${q}) projects ${F('arimaEnd')} in ${F('arimaHorizon')} trading days${band}.`,
    );
  }
  if (st?.garch && has('annualVolPct')) {
    const v = st.garch.var[0];
    const lvl = v ? Math.round(v.level * 100) : null;
    const varText =
      lvl !== null && has(`varPct${lvl}`, `varAmount${lvl}`, `varLevel${lvl}`)
        ? zh
          ? `；${F('varHorizonDays')} 日 ${F(`varLevel${lvl}`)} VaR 为 ${F(`varPct${lvl}`)}（每股约 ${F(`varAmount${lvl}`)} ${ccy}）`
          : `; the ${F('varHorizonDays')}-day ${F(`varLevel${lvl}`)} VaR is ${F(`varPct${lvl}`)} (about ${F(`varAmount${lvl}`)} ${ccy} per share)`
        : '';
    out.push(
      zh
        ? `GARCH(1,1) 年化波动率 ${F('annualVolPct')}，预测期内 ${F('forecastAnnualVolPct')}${varText}。`
        : `GARCH(1,1) puts annualised volatility at ${F('annualVolPct')}, ${F('forecastAnnualVolPct')} over the forecast period${varText}.`,
    );
  }
  if (x.forecast && has('forecastEnd', 'forecastHorizon', 'forecastChangePct')) {
    out.push(
      zh
        ? `神经网络预测（${x.forecast.model.name}）：${F('forecastHorizon')} 个交易日后为 ${F('forecastEnd')}（${sign('forecastChangePct') ? '+' : '−'}${abs('forecastChangePct')}），p10–p90 区间 ${F('forecastP10')}–${F('forecastP90')}。`
        : `The neural forecast (${x.forecast.model.name}) points to ${F('forecastEnd')} in ${F('forecastHorizon')} trading days (${sign('forecastChangePct') ? '+' : '−'}${abs('forecastChangePct')}), with a p10–p90 band of ${F('forecastP10')}–${F('forecastP90')}.`,
    );
  }
  if (x.sentiment && has('headlines', 'netScore')) {
    const net = facts.get('netScore')!.value;
    const tone =
      net > 0.1
        ? zh
          ? '偏正面'
          : 'leans positive'
        : net < -0.1
          ? zh
            ? '偏负面'
            : 'leans negative'
          : zh
            ? '中性'
            : 'is neutral';
    out.push(
      zh
        ? `新闻情绪：近期 ${F('headlines')} 条新闻中正面 ${F('positive')} 条、中性 ${F('neutral')} 条、负面 ${F('negative')} 条，净得分 ${F('netScore')}，整体${tone}。`
        : `News sentiment ${tone}: of ${F('headlines')} recent headlines, ${F('positive')} are positive, ${F('neutral')} neutral and ${F('negative')} negative (net score ${F('netScore')}).`,
    );
  }
  if (out.length === 0)
    out.push(zh ? '没有可用的计算结果，无法撰写分析。' : 'No computed figures are available to write about.');
  out.push(
    zh
      ? '本段由内置模板根据上述数字生成，未使用大语言模型；不构成投资建议。'
      : 'This narrative was written by the built-in template from the figures above, without an LLM. It is not investment advice.',
  );
  return out.join('\n\n');
}
