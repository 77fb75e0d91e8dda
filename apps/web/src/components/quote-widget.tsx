'use client';
import type { TLatestQuote, TQuote } from '@investiq/contracts';
import { hasPrice } from '@investiq/contracts/quote-status';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useReportDemo } from '~/lib/demo-presence';
import {
  formatChange,
  formatMarketDateTime,
  formatMarketTime,
  formatPrice,
  formatVolume,
} from '~/lib/format';
import { moveColor, usePrefs } from '~/lib/i18n';
import { mergePushed } from '~/lib/live';
import { liveStreamUrl, useLiveQuotes } from '~/lib/live-quotes';
import { useTRPC } from '~/lib/trpc';
import { FreshnessBadge } from './freshness-badge';
import { CandleChart, type ChartInterval } from './lazy-charts';

export function QuoteWidget({ market, symbol }: { market: 'CN' | 'HK' | 'US'; symbol: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { t, lang, redUp } = usePrefs();
  const [interval, setInterval] = useState<ChartInterval>('1m');
  const [liveQuote, setLiveQuote] = useState<TQuote | null>(null);
  const ref = { market, symbol };
  const info = useQuery(trpc.market.search.queryOptions({ query: symbol, market, limit: 1 }));
  const latestOpts = trpc.quotes.latest.queryOptions(ref, { refetchInterval: 1000 });
  const latest = useQuery(latestOpts);
  const history = useQuery(
    trpc.quotes.history.queryOptions(
      { ...ref, interval, limit: interval === '1d' ? 520 : 240 },
      { refetchInterval: interval === '1d' ? false : 60_000 },
    ),
  );
  useReportDemo(hasPrice(latest.data) && latest.data.quote.source === 'demo');

  const liveStatus = useLiveQuotes(liveStreamUrl([ref]), (answers) => {
    for (const a of answers) {
      if (a.market !== market || a.symbol !== symbol) continue;
      if (hasPrice(a)) setLiveQuote(a.quote);
      qc.setQueryData<TLatestQuote>(latestOpts.queryKey, (prev) => (prev ? mergePushed(prev, a) : prev));
    }
  });

  if (latest.isError) {
    const notFound = latest.error.data?.code === 'NOT_FOUND';
    return (
      <p className="error" data-testid="quote-error">
        {notFound ? `${t.notFound}: ${market}:${symbol}` : `${t.error}: ${latest.error.message}`}
      </p>
    );
  }
  const l = latest.data;
  // fresh, delayed or the last close while the market is closed: the badge says which
  const fresh = hasPrice(l) ? l.quote : null;
  const color = moveColor(redUp(market), fresh?.change);
  const name = info.data?.[0];

  return (
    <section className="card quote-widget" data-testid="quote-widget">
      <div className="quote-head">
        <div>
          <h1 className="quote-title">
            {name ? (lang === 'zh-CN' ? name.nameZh : name.name) : symbol}{' '}
            <span className="muted">
              {symbol} · {market}
            </span>
            {name?.isDemo && <span className="demo-tag">{t.demoTag}</span>}
          </h1>
          <div className="quote-price-row">
            <span className="quote-price" data-testid="quote-price" style={{ color }}>
              {fresh ? formatPrice(fresh.price, lang) : '—'}
            </span>
            <span className="quote-change" data-testid="quote-change" style={{ color }}>
              {fresh
                ? `${formatChange(fresh.change, lang)} (${formatChange(fresh.changePercent, lang, true)})`
                : ''}
            </span>
            <span className="muted small">{fresh?.currency ?? name?.currency}</span>
          </div>
          <div className="quote-meta">
            <FreshnessBadge latest={l} />
            {fresh && (
              <span className="muted small" data-testid="quote-asof">
                {t.asOf} {formatMarketTime(fresh.ts, market, lang)} · {t.source}{' '}
                <span data-testid="quote-source">{fresh.source}</span>
              </span>
            )}
            <span
              className={`live-dot ${liveStatus === 'open' ? 'on' : ''}`}
              data-testid="live-status"
              data-status={liveStatus}
            >
              {liveStatus === 'open' ? t.live : t.connecting}
            </span>
          </div>
          {l?.status === 'stale' && <p className="stale-note">{t.staleExplain(l.maxAgeSeconds)}</p>}
          {l?.status === 'closed' && (
            <p className="stale-note" data-testid="closed-note">
              {t.closedExplain(
                formatMarketDateTime(l.closedSince, market, lang),
                formatMarketDateTime(l.nextOpen, market, lang),
              )}
            </p>
          )}
        </div>
        {fresh && (
          <dl className="quote-stats">
            <dt>{t.open}</dt>
            <dd>{formatPrice(fresh.open, lang)}</dd>
            <dt>{t.high}</dt>
            <dd>{formatPrice(fresh.high, lang)}</dd>
            <dt>{t.low}</dt>
            <dd>{formatPrice(fresh.low, lang)}</dd>
            <dt>{t.prevClose}</dt>
            <dd>{formatPrice(fresh.prevClose, lang)}</dd>
            <dt>{t.volume}</dt>
            <dd>{formatVolume(fresh.volume, lang)}</dd>
          </dl>
        )}
      </div>
      <div className="interval-tabs" role="tablist">
        {(['1m', '5m', '1d'] as const).map((iv) => (
          <button
            key={iv}
            type="button"
            role="tab"
            aria-selected={interval === iv}
            className={interval === iv ? 'active' : ''}
            onClick={() => setInterval(iv)}
          >
            {iv === '1m' ? t.chart1m : iv === '5m' ? t.chart5m : t.chart1d}
          </button>
        ))}
      </div>
      {history.data ? (
        <CandleChart
          market={market}
          bars={history.data}
          interval={interval}
          redUp={redUp(market)}
          live={liveQuote}
        />
      ) : (
        <div className="chart muted">
          {history.isError ? `${t.error}: ${history.error.message}` : t.loading}
        </div>
      )}
    </section>
  );
}
