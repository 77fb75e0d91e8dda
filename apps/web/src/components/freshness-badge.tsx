'use client';
import type { TLatestQuote } from '@investiq/contracts';
import { formatMarketDateTime, formatMarketTime } from '~/lib/format';
import { usePrefs } from '~/lib/i18n';

export function FreshnessBadge({ latest }: { latest: TLatestQuote | undefined }) {
  const { t, lang } = usePrefs();
  if (!latest) return <span className="badge badge-loading">…</span>;
  if (latest.status === 'fresh') {
    return (
      <span
        className="badge badge-fresh"
        data-testid="freshness"
        data-status="fresh"
        title={t.ageSeconds(latest.ageSeconds)}
      >
        {t.fresh} · {t.ageSeconds(latest.ageSeconds)}
      </span>
    );
  }
  if (latest.status === 'delayed') {
    const min = Math.round(latest.delaySeconds / 60);
    return (
      <span
        className="badge badge-delayed"
        data-testid="freshness"
        data-status="delayed"
        title={`${t.delayedExplain(min)} ${t.ageSeconds(latest.ageSeconds)}`}
      >
        {t.delayed(min)}
      </span>
    );
  }
  if (latest.status === 'closed') {
    const since = formatMarketDateTime(latest.closedSince, latest.market, lang);
    const next = formatMarketDateTime(latest.nextOpen, latest.market, lang);
    return (
      <span
        className="badge badge-closed"
        data-testid="freshness"
        data-status="closed"
        data-reason={latest.reason}
        title={t.closedExplain(since, next)}
      >
        {latest.reason === 'break' ? t.closedBreak : t.closed} · {t.nextOpen(next)}
      </span>
    );
  }
  if (latest.status === 'stale') {
    return (
      <span
        className="badge badge-stale"
        data-testid="freshness"
        data-status="stale"
        title={t.staleExplain(latest.maxAgeSeconds)}
      >
        {t.stale} · {t.lastSeen(formatMarketTime(latest.lastSeenAt, latest.market, lang))}
      </span>
    );
  }
  return (
    <span
      className="badge badge-missing"
      data-testid="freshness"
      data-status="missing"
      title={t.missingExplain}
    >
      {t.missing}
    </span>
  );
}
