import type {
  ForecastOutput,
  IndicatorsOutput,
  NarrativeOutput,
  ProfileOutput,
  ReportView,
  SentimentOutput,
  StatisticsOutput,
} from './types';

const n = (v: number | null | undefined, d = 2) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? '—' : `${n(v, d)}%`);

/** Marks ungrounded numbers as `**⚠12.3**` so they stand out in any Markdown viewer. */
function markUngrounded(text: string, unmatched: NarrativeOutput['grounding']['unmatched']): string {
  let out = '';
  let at = 0;
  for (const u of [...unmatched].sort((a, b) => a.start - b.start)) {
    out += `${text.slice(at, u.start)}**⚠${text.slice(u.start, u.end)}**`;
    at = u.end;
  }
  return out + text.slice(at);
}

/** The whole report as Markdown: key figures, every section with its state, narrative, lineage. */
export function reportToMarkdown(r: ReportView): string {
  const sec = (m: string) => r.sections.find((s) => s.module === m);
  const ok = <T>(m: string): T | null => {
    const s = sec(m);
    return s?.status === 'ok' ? (s.output as T) : null;
  };
  const state = (m: string) => {
    const s = sec(m);
    if (!s) return '_not requested_';
    if (s.status === 'ok') return '';
    return `_${s.status}${s.error ? `: ${s.error}` : ''}_`;
  };
  const L: string[] = [];
  const p = ok<ProfileOutput>('profile');
  L.push(`# ${p ? `${p.name} · ${p.nameZh} ` : ''}(${r.market}:${r.symbol}) — InvestIQ report`);
  L.push('');
  L.push(
    `- Report: \`${r.id}\` · status **${r.status}** · created ${r.createdAt}${r.createdBy ? ` by ${r.createdBy}` : ''}`,
  );
  if (r.durationMs !== null)
    L.push(
      `- Took ${r.durationMs} ms · degraded sections: ${r.degradedSections} · ungrounded numbers in narrative: ${r.ungroundedNumbers ?? '—'}`,
    );
  if (p?.isDemo)
    L.push('- **Demo data**: prices, fundamentals and news are simulated by the built-in demo market.');
  if (r.error) L.push(`- Error: ${r.error}`);
  L.push('');
  if (sec('profile')) {
    L.push('## Profile & fundamentals', '');
    if (p) {
      const q = p.quote;
      const qs =
        q?.status === 'fresh'
          ? `${n(q.quote.price)} ${p.currency} (fresh, ${q.quote.ts})`
          : q?.status === 'delayed'
            ? `${n(q.quote.price)} ${p.currency} (delayed ${Math.round(q.delaySeconds / 60)} min, ${q.quote.ts})`
            : q?.status === 'closed'
              ? `${n(q.quote.price)} ${p.currency} (market closed — last price of the session ending ${q.closedSince}; next open ${q.nextOpen})`
              : q?.status === 'stale'
                ? `stale — last seen ${q.lastSeenAt}; not shown as current`
                : q?.status === 'missing'
                  ? 'no quote received'
                  : 'historical report (no live quote)';
      L.push('| Metric | Value |', '|---|---|');
      L.push(`| Live quote | ${qs} |`);
      L.push(`| Last close (${p.lastCloseDate ?? '—'}) | ${n(p.lastClose)} ${p.currency} |`);
      L.push(`| 1-day change | ${pct(p.change1dPct, 2)} |`);
      L.push(`| 52-week range | ${n(p.low52w)} – ${n(p.high52w)} |`);
      L.push(`| 1-year return | ${pct(p.return1yPct)} |`);
      const f = p.fundamentals;
      if (f) {
        L.push(`| Fiscal period | ${f.fiscalPeriodEnd} (published ${f.asOf.slice(0, 10)}) |`);
        L.push(`| P/E · P/B | ${n(f.ratios.pe)} · ${n(f.ratios.pb)} |`);
        L.push(`| ROE | ${pct(f.ratios.roe * 100)} |`);
        L.push(
          `| Gross / operating / net margin | ${pct(f.ratios.grossMargin * 100)} / ${pct(f.ratios.operatingMargin * 100)} / ${pct(f.ratios.netMargin * 100)} |`,
        );
        L.push(
          `| Revenue / earnings growth | ${pct(f.ratios.revenueGrowth * 100)} / ${pct(f.ratios.earningsGrowth * 100)} |`,
        );
        L.push(
          `| Revenue · net income | ${n(f.income.revenue / 1e9)} bn · ${n(f.income.netIncome / 1e9)} bn ${f.currency} |`,
        );
        L.push(`| Debt / equity | ${n(f.ratios.debtToEquity)} |`);
      } else if (p.fundamentalsNote) L.push(`| Fundamentals | ${p.fundamentalsNote} |`);
    } else L.push(state('profile'));
    L.push('');
  }
  if (sec('indicators')) {
    L.push('## Technical indicators', '');
    const ind = ok<IndicatorsOutput>('indicators');
    if (ind) {
      L.push(`As of ${ind.asOfDate}.`, '', '| Indicator | Value |', '|---|---|');
      for (const [k, v] of Object.entries(ind.latest)) L.push(`| ${k} | ${n(v, 3)} |`);
    } else L.push(state('indicators'));
    L.push('');
  }
  if (sec('statistics')) {
    L.push('## Statistics (ARIMA, GARCH, VaR)', '');
    const st = ok<StatisticsOutput>('statistics');
    if (st) {
      if (st.arima) {
        const a = st.arima;
        L.push(`ARIMA(${a.order.join(',')}), AICc ${n(a.aicc)}.`, '');
        L.push(
          `| Date | Forecast | ${a.intervals.map((iv) => `${Math.round(iv.level * 100)}% interval`).join(' | ')} |`,
        );
        L.push(`|---|---|${a.intervals.map(() => '---|').join('')}`);
        for (const [i, d] of a.dates.entries())
          L.push(
            `| ${d} | ${n(a.forecast[i])} | ${a.intervals.map((iv) => `${n(iv.lower[i])} – ${n(iv.upper[i])}`).join(' | ')} |`,
          );
      } else L.push(`ARIMA unavailable: ${st.arimaError ?? ''}`);
      L.push('');
      if (st.garch) {
        const g = st.garch;
        L.push(
          `GARCH(1,1): ω=${n(g.omega, 4)}, α=${n(g.alpha, 3)}, β=${n(g.beta, 3)} (persistence ${n(g.persistence, 3)}); annualised volatility ${pct(g.annualVolPct)}, forecast ${pct(g.forecastAnnualVolPct)}.`,
        );
        for (const v of g.var)
          L.push(`- 1-day ${Math.round(v.level * 100)}% VaR: ${pct(v.pct, 2)} (${n(v.amount)} per share)`);
      } else L.push(`GARCH unavailable: ${st.garchError ?? ''}`);
    } else L.push(state('statistics'));
    L.push('');
  }
  if (sec('forecast')) {
    L.push('## Neural forecast', '');
    const fc = ok<ForecastOutput>('forecast');
    if (fc) {
      L.push(
        `Model ${fc.model.name} ${fc.model.version} (context ${fc.contextLength} closes).`,
        '',
        '| Date | Point | p10 | p90 |',
        '|---|---|---|---|',
      );
      for (const [i, d] of fc.dates.entries())
        L.push(`| ${d} | ${n(fc.point[i])} | ${n(fc.p10[i])} | ${n(fc.p90[i])} |`);
    } else L.push(state('forecast'));
    L.push('');
  }
  if (sec('sentiment')) {
    L.push('## News sentiment', '');
    const se = ok<SentimentOutput>('sentiment');
    if (se) {
      L.push(
        `${se.counts.positive} positive · ${se.counts.neutral} neutral · ${se.counts.negative} negative; net score ${n(se.netScore)} (model ${se.model.name} ${se.model.version}).`,
        '',
      );
      for (const h of se.headlines)
        L.push(`- [${h.label}] ${h.headline} — ${h.source}, ${h.publishedAt.slice(0, 16).replace('T', ' ')}`);
    } else L.push(state('sentiment'));
    L.push('');
  }
  if (sec('narrative')) {
    L.push('## Narrative', '');
    const nv = ok<NarrativeOutput>('narrative');
    if (nv) {
      L.push(
        nv.writer === 'llm'
          ? `_Written by the LLM${nv.model ? ` (${nv.model})` : ''}; grounding check: ${nv.grounding.numbers - nv.grounding.unmatched.length}/${nv.grounding.numbers} numbers match the inputs._`
          : `_Written without an LLM by the built-in template${nv.llmError ? ` (LLM failed: ${nv.llmError})` : ''}; grounding check: ${nv.grounding.numbers - nv.grounding.unmatched.length}/${nv.grounding.numbers} numbers match._`,
        '',
        markUngrounded(nv.text, nv.grounding.unmatched),
      );
    } else L.push(state('narrative'));
    L.push('');
  }
  L.push('## Sections', '', '| Module | Status | Time | Inputs as of | Note |', '|---|---|---|---|---|');
  for (const s of r.sections)
    L.push(
      `| ${s.module} | ${s.status} | ${s.durationMs ?? '—'} ms | ${
        Object.entries(s.inputsAsOf ?? {})
          .map(([k, v]) => `${k}: ${v ?? '—'}`)
          .join('; ') || '—'
      } | ${s.error ?? ''} |`,
    );
  L.push('');
  if (r.lineage) {
    const lg = r.lineage;
    L.push('## Lineage', '');
    L.push(
      `- Provider: ${lg.provider}${lg.backtestAsOf ? ` · backtest as of ${lg.backtestAsOf}` : ''} · quote: ${lg.quoteStatus ?? '—'}`,
    );
    for (const [k, v] of Object.entries(lg.dataAsOf)) L.push(`- Data as of — ${k}: ${v ?? '—'}`);
    for (const [svc, m] of Object.entries(lg.models))
      L.push(
        `- Model — ${svc}: ${m ? `${m.name} ${m.version} · ${m.executionProvider}${m.sha256 ? ` · sha256 ${m.sha256}` : ''}` : 'unavailable'}`,
      );
    L.push(
      `- Prompt template: ${lg.template ? `${lg.template.name} (${lg.template.language}) v${lg.template.version}` : '—'}`,
    );
    L.push(`- Parameters: \`${JSON.stringify(lg.params)}\``);
    if (lg.traceId) L.push(`- Trace id: \`${lg.traceId}\``);
  }
  L.push('', '_Not investment advice._', '');
  return L.join('\n');
}
