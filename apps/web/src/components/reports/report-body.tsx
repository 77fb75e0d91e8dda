'use client';
import type {
  ForecastOutput,
  IndicatorsOutput,
  NarrativeOutput,
  ProfileOutput,
  ReportView,
  SectionView,
  SentimentOutput,
  StatisticsOutput,
} from '@investiq/api/reports';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { formatChange, formatPrice } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { reportsDict } from '~/lib/i18n/reports';
import { useTRPC } from '~/lib/trpc';
import { ForecastChart } from '../lazy-charts';

type D = (typeof reportsDict)['en'];

const num = (v: number | null | undefined, lang: string, d = 2) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : v.toLocaleString(lang, { minimumFractionDigits: d, maximumFractionDigits: d });
const pct = (v: number | null | undefined, lang: string, d = 1) =>
  v === null || v === undefined ? '—' : `${num(v, lang, d)}%`;

export function StatusBadge({ status, d }: { status: string; d: D }) {
  return (
    <span className={`rstatus rstatus-${status}`} data-testid="section-status">
      {d.sectionStatus[status] ?? status}
    </span>
  );
}

function Section({
  s,
  title,
  d,
  children,
  wide,
  live,
}: {
  s: SectionView | undefined;
  title: string;
  d: D;
  children: ReactNode;
  wide?: boolean;
  /** Show the body while running too (the narrative streams). */
  live?: boolean;
}) {
  if (!s) return null;
  return (
    <section
      className={`card rsection ${wide ? 'rsection-wide' : ''}`}
      data-testid={`section-${s.module}`}
      data-status={s.status}
    >
      <div className="card-head">
        <h2>{title}</h2>
        <span className="rsection-meta">
          <StatusBadge status={s.status} d={d} />
          {s.durationMs !== null && <span className="muted small"> {s.durationMs} ms</span>}
        </span>
      </div>
      {(s.status === 'unavailable' || s.status === 'failed' || s.status === 'skipped') && (
        <p className="rsection-error" data-testid="section-error">
          {s.status === 'unavailable' ? `${d.unavailableBecause} ` : ''}
          {s.error}
        </p>
      )}
      {(s.status === 'ok' || (live && s.status === 'running' && s.output !== null)) && children}
      {(s.status === 'pending' || (s.status === 'running' && !(live && s.output !== null))) && (
        <div className="rskeleton" aria-hidden />
      )}
    </section>
  );
}

function Metric({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="rmetric" data-testid={testId}>
      <span className="muted small">{label}</span>
      <span className="num">{value}</span>
    </div>
  );
}

function Narrative({ s, d }: { s: SectionView; d: D }) {
  const out = s.output as
    | (NarrativeOutput & { streaming?: undefined })
    | { text: string; streaming: true }
    | null;
  if (!out) return null;
  if ('streaming' in out && out.streaming) {
    return (
      <div className="narrative" data-testid="narrative-text" data-streaming="true">
        <p className="muted small">{d.streaming}</p>
        <div className="narrative-text">{out.text}</div>
      </div>
    );
  }
  const n = out as NarrativeOutput;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const u of [...n.grounding.unmatched].sort((a, b) => a.start - b.start)) {
    parts.push(n.text.slice(at, u.start));
    parts.push(
      <mark key={u.start} className="ungrounded" title={d.ungroundedMark} data-testid="ungrounded">
        {n.text.slice(u.start, u.end)}
      </mark>,
    );
    at = u.end;
  }
  parts.push(n.text.slice(at));
  const ok = n.grounding.numbers - n.grounding.unmatched.length;
  return (
    <div className="narrative" data-testid="narrative-text" data-writer={n.writer}>
      <p className="muted small" data-testid="narrative-writer">
        {n.writer === 'llm'
          ? d.writtenByLlm(n.model ?? '')
          : n.llmError
            ? d.llmFailed(n.llmError)
            : d.writtenWithoutLlm}{' '}
        <span data-testid="grounding-summary" data-unmatched={n.grounding.unmatched.length}>
          {d.grounding(ok, n.grounding.numbers)}
        </span>
      </p>
      <div className="narrative-text">{parts}</div>
    </div>
  );
}

export function ReportBody({ report, print = false }: { report: ReportView; print?: boolean }) {
  const d = useDict(reportsDict);
  const { lang } = usePrefs();
  const trpc = useTRPC();
  const sec = (m: string) => report.sections.find((s) => s.module === m);
  const ok = <T,>(m: string) => {
    const s = sec(m);
    return s?.status === 'ok' ? (s.output as T) : null;
  };
  const profile = ok<ProfileOutput>('profile');
  const ind = ok<IndicatorsOutput>('indicators');
  const st = ok<StatisticsOutput>('statistics');
  const fc = ok<ForecastOutput>('forecast');
  const se = ok<SentimentOutput>('sentiment');
  const bars = useQuery(
    trpc.quotes.history.queryOptions({
      market: report.market,
      symbol: report.symbol,
      interval: '1d',
      limit: 260,
    }),
  );
  const asOf = report.lineage?.backtestAsOf ?? null;
  const chartBars = (bars.data ?? []).filter((b) => !asOf || b.time <= asOf);
  const ccy = profile?.currency ?? '';
  const q = profile?.quote;
  const f = profile?.fundamentals;

  return (
    <div className={`report ${print ? 'report-print' : ''}`}>
      <div className="rgrid">
        <Section s={sec('profile')} title={d.keyMetrics} d={d} wide>
          {profile && (
            <>
              {profile.isDemo && <p className="demo-note small">{d.demoData}</p>}
              <div className="rmetrics">
                <Metric
                  testId="metric-quote"
                  label={d.liveQuote}
                  value={
                    q?.status === 'fresh' ? (
                      `${formatPrice(q.quote.price, lang)} ${ccy}`
                    ) : q?.status === 'delayed' ? (
                      d.quoteDelayed(
                        `${formatPrice(q.quote.price, lang)} ${ccy}`,
                        Math.round(q.delaySeconds / 60),
                      )
                    ) : q?.status === 'closed' ? (
                      d.quoteClosed(
                        `${formatPrice(q.quote.price, lang)} ${ccy}`,
                        new Date(q.closedSince).toLocaleString(lang),
                      )
                    ) : q?.status === 'stale' ? (
                      <span className="stale-note">
                        {d.quoteStale(new Date(q.lastSeenAt).toLocaleString(lang))}
                      </span>
                    ) : q?.status === 'missing' ? (
                      d.quoteMissing
                    ) : (
                      d.quoteHistorical
                    )
                  }
                />
                <Metric
                  label={`${d.lastClose} (${profile.lastCloseDate ?? '—'})`}
                  value={`${formatPrice(profile.lastClose, lang)} ${ccy}`}
                />
                <Metric label={d.change1d} value={formatChange(profile.change1dPct, lang, true)} />
                <Metric
                  label={d.range52w}
                  value={`${formatPrice(profile.low52w, lang)} – ${formatPrice(profile.high52w, lang)}`}
                />
                <Metric label={d.return1y} value={pct(profile.return1yPct, lang)} />
                {f && (
                  <>
                    <Metric label={d.pe} value={num(f.ratios.pe, lang)} />
                    <Metric label={d.pb} value={num(f.ratios.pb, lang)} />
                    <Metric label={d.roe} value={pct(f.ratios.roe * 100, lang)} />
                    <Metric
                      label={d.margins}
                      value={`${pct(f.ratios.grossMargin * 100, lang)} / ${pct(f.ratios.operatingMargin * 100, lang)} / ${pct(f.ratios.netMargin * 100, lang)}`}
                    />
                    <Metric
                      label={d.growth}
                      value={`${pct(f.ratios.revenueGrowth * 100, lang)} / ${pct(f.ratios.earningsGrowth * 100, lang)}`}
                    />
                    <Metric
                      label={d.revenue}
                      value={`${num(f.income.revenue / 1e9, lang)} bn · ${num(f.income.netIncome / 1e9, lang)} bn ${f.currency}`}
                    />
                    <Metric label={d.debtEquity} value={num(f.ratios.debtToEquity, lang)} />
                    <Metric label={d.fiscal} value={f.fiscalPeriodEnd} />
                  </>
                )}
              </div>
              {profile.fundamentalsNote && <p className="muted small">{profile.fundamentalsNote}</p>}
            </>
          )}
        </Section>

        {(sec('indicators') || sec('statistics') || sec('forecast')) && (
          <section className="card rsection rsection-wide" data-testid="chart-card">
            <div className="card-head">
              <h2>{d.chart}</h2>
              <span className="muted small">{d.chartLegend}</span>
            </div>
            <ForecastChart bars={chartBars} indicators={ind} statistics={st} forecast={fc} />
          </section>
        )}

        <Section s={sec('indicators')} title={d.indicators} d={d}>
          {ind && (
            <table className="rtable">
              <tbody>
                {Object.entries(ind.latest).map(([k, v]) => (
                  <tr key={k}>
                    <th>{k}</th>
                    <td className="num">{num(v, lang, k.startsWith('macd') ? 3 : 2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>

        <Section s={sec('statistics')} title={`${d.arima} · ${d.garch}`} d={d}>
          {st && (
            <>
              {st.arima ? (
                <>
                  <p className="small">
                    ARIMA({st.arima.order.join(',')}) · AICc {num(st.arima.aicc, lang, 1)}
                  </p>
                  <div className="table-scroll">
                    <table className="rtable">
                      <thead>
                        <tr>
                          <th>{d.date}</th>
                          <th>{d.forecast}</th>
                          {st.arima.intervals.map((iv) => (
                            <th key={iv.level}>{d.interval(Math.round(iv.level * 100))}</th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {st.arima.dates.map((date, i) => (
                          <tr key={date}>
                            <td>{date}</td>
                            <td className="num">{num(st.arima!.forecast[i], lang)}</td>
                            {st.arima!.intervals.map((iv) => (
                              <td key={iv.level} className="num">
                                {num(iv.lower[i], lang)} – {num(iv.upper[i], lang)}
                              </td>
                            ))}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              ) : (
                <p className="rsection-error">ARIMA: {st.arimaError}</p>
              )}
              {st.garch ? (
                <div className="rmetrics">
                  <Metric label={d.annualVol} value={pct(st.garch.annualVolPct, lang)} />
                  <Metric label={d.forecastVol} value={pct(st.garch.forecastAnnualVolPct, lang)} />
                  <Metric label={d.persistence} value={num(st.garch.persistence, lang, 3)} />
                  {st.garch.var.map((v) => (
                    <Metric
                      key={v.level}
                      label={d.var1d(Math.round(v.level * 100))}
                      value={`${pct(v.pct, lang, 2)} · ${num(v.amount, lang)} ${ccy} ${d.perShare}`}
                    />
                  ))}
                </div>
              ) : (
                <p className="rsection-error">GARCH: {st.garchError}</p>
              )}
            </>
          )}
        </Section>

        <Section s={sec('forecast')} title={d.neural} d={d}>
          {fc && (
            <>
              <p className="small muted">
                {fc.model.name} {fc.model.version}
              </p>
              <div className="table-scroll">
                <table className="rtable">
                  <thead>
                    <tr>
                      <th>{d.date}</th>
                      <th>{d.point}</th>
                      <th>p10</th>
                      <th>p90</th>
                    </tr>
                  </thead>
                  <tbody>
                    {fc.dates.map((date, i) => (
                      <tr key={date}>
                        <td>{date}</td>
                        <td className="num">{num(fc.point[i], lang)}</td>
                        <td className="num">{num(fc.p10[i], lang)}</td>
                        <td className="num">{num(fc.p90[i], lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Section>

        <Section s={sec('sentiment')} title={d.sentiment} d={d} wide>
          {se && (
            <>
              <p className="small">
                <span className="label-positive">
                  {se.counts.positive} {d.positive}
                </span>{' '}
                ·{' '}
                <span className="label-neutral">
                  {se.counts.neutral} {d.neutral}
                </span>{' '}
                ·{' '}
                <span className="label-negative">
                  {se.counts.negative} {d.negative}
                </span>{' '}
                · {d.netScore} {num(se.netScore, lang)} · {se.model.name} {se.model.version}
              </p>
              <ul className="headlines">
                {se.headlines.map((h) => (
                  <li key={h.id} data-testid="headline" data-label={h.label}>
                    <span className={`hl-label label-${h.label}`}>{d[h.label]}</span>
                    <span className="hl-text">{h.headline}</span>
                    <span className="muted small">
                      {h.source} · {h.publishedAt.slice(0, 16).replace('T', ' ')}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Section>

        <Section s={sec('narrative')} title={d.narrative} d={d} wide live>
          {sec('narrative') && <Narrative s={sec('narrative')!} d={d} />}
        </Section>
      </div>
      <Lineage report={report} d={d} />
    </div>
  );
}

function Lineage({ report, d }: { report: ReportView; d: D }) {
  const lg = report.lineage;
  return (
    <footer className="card lineage" data-testid="lineage">
      <h2>{d.lineage}</h2>
      <table className="rtable">
        <thead>
          <tr>
            <th>{d.sections}</th>
            <th>{d.status}</th>
            <th>{d.took}</th>
            <th>{d.dataAsOf}</th>
          </tr>
        </thead>
        <tbody>
          {report.sections.map((s) => (
            <tr key={s.module}>
              <td>{d.module[s.module] ?? s.module}</td>
              <td>
                <StatusBadge status={s.status} d={d} />
              </td>
              <td className="num">{s.durationMs ?? '—'} ms</td>
              <td className="small">
                {Object.entries(s.inputsAsOf ?? {})
                  .map(([k, v]) => `${k}: ${v ?? '—'}`)
                  .join(' · ') || '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {lg && (
        <dl className="lineage-list small">
          <dt>{d.provider}</dt>
          <dd>
            {lg.provider} {lg.backtestAsOf ? `· ${d.backtest(lg.backtestAsOf)}` : ''} · quote:{' '}
            {lg.quoteStatus ?? '—'}
          </dd>
          <dt>{d.dataAsOf}</dt>
          <dd>
            {Object.entries(lg.dataAsOf)
              .map(([k, v]) => `${k}: ${v ?? '—'}`)
              .join(' · ')}
          </dd>
          <dt>{d.models}</dt>
          <dd>
            {Object.entries(lg.models).map(([svc, m]) => (
              <div key={svc} data-testid={`lineage-model-${svc}`}>
                {svc}:{' '}
                {m
                  ? `${m.name} ${m.version} · ${m.executionProvider}${m.sha256 ? ` · sha256 ${m.sha256.slice(0, 16)}…` : ''}`
                  : '—'}
              </div>
            ))}
          </dd>
          <dt>{d.template}</dt>
          <dd>
            {lg.template ? `${lg.template.name} (${lg.template.language}) v${lg.template.version}` : '—'}
          </dd>
          <dt>{d.params}</dt>
          <dd>
            <code className="params">{JSON.stringify(lg.params)}</code>
          </dd>
          {lg.traceId && (
            <>
              <dt>{d.traceId}</dt>
              <dd>
                <code data-testid="lineage-trace-id">{lg.traceId}</code>
              </dd>
            </>
          )}
        </dl>
      )}
    </footer>
  );
}
