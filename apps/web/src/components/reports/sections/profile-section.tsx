'use client';
import type { ProfileOutput } from '@investiq/api/reports';
import { formatChange, formatPrice } from '~/lib/format';
import { Metric, num, pct, type SectionProps } from './section-frame';

export function ProfileSection({ section, d, lang }: SectionProps) {
  const profile = section.output as ProfileOutput;
  const ccy = profile.currency;
  const q = profile.quote;
  const f = profile.fundamentals;
  return (
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
              d.quoteDelayed(`${formatPrice(q.quote.price, lang)} ${ccy}`, Math.round(q.delaySeconds / 60))
            ) : q?.status === 'closed' ? (
              d.quoteClosed(
                `${formatPrice(q.quote.price, lang)} ${ccy}`,
                new Date(q.closedSince).toLocaleString(lang),
              )
            ) : q?.status === 'stale' ? (
              <span className="stale-note">{d.quoteStale(new Date(q.lastSeenAt).toLocaleString(lang))}</span>
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
  );
}
