'use client';
import { hasPrice, type TLatestQuote } from '@investiq/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { useMemo, useRef } from 'react';
import { useReportDemo } from '~/lib/demo-presence';
import { formatChange, formatMarketTime, formatPrice } from '~/lib/format';
import { moveColor, usePrefs } from '~/lib/i18n';
import { mergeLiveQuote, serverOffset } from '~/lib/live';
import { useTRPC } from '~/lib/trpc';
import { FreshnessBadge } from './freshness-badge';

export function Watchlist() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { t, lang, redUp } = usePrefs();
  const symbols = useQuery(trpc.market.symbols.queryOptions());
  const refs = useMemo(
    () => (symbols.data ?? []).map((s) => ({ market: s.market, symbol: s.symbol })),
    [symbols.data],
  );
  const latestOpts = trpc.quotes.latestMany.queryOptions(
    { symbols: refs },
    { enabled: refs.length > 0, refetchInterval: 1000 },
  );
  const latest = useQuery(latestOpts);
  useReportDemo((latest.data ?? []).some((l) => hasPrice(l) && l.quote.source === 'demo'));
  const offset = useRef(0);
  if (latest.data?.[0]) offset.current = serverOffset(latest.data[0], latest.dataUpdatedAt);

  const live = useSubscription(
    trpc.quotes.live.subscriptionOptions(
      { symbols: [] },
      {
        enabled: refs.length > 0,
        onData: (q) => {
          qc.setQueryData<TLatestQuote[]>(latestOpts.queryKey, (prev) =>
            prev?.map((p) => mergeLiveQuote(p, q, offset.current)),
          );
        },
      },
    ),
  );

  if (symbols.isPending) return <p className="muted">{t.loading}</p>;
  if (symbols.isError)
    return (
      <p className="error">
        {t.error}: {symbols.error.message}
      </p>
    );

  const byKey = new Map((latest.data ?? []).map((l) => [`${l.market}:${l.symbol}`, l]));
  return (
    <section className="card">
      <div className="card-head">
        <h1>{t.watchlist}</h1>
        <span
          className={`live-dot ${live.status === 'pending' ? 'on' : ''}`}
          data-testid="live-status"
          data-status={live.status}
        >
          {live.status === 'pending' ? t.live : t.connecting}
        </span>
      </div>
      <table className="watchlist" data-testid="watchlist">
        <thead>
          <tr>
            <th>{t.symbol}</th>
            <th className="hide-sm">{t.name}</th>
            <th className="num">{t.price}</th>
            <th className="num">{t.changePct}</th>
            <th>{t.freshness}</th>
          </tr>
        </thead>
        <tbody>
          {(symbols.data ?? []).map((s) => {
            const l = byKey.get(`${s.market}:${s.symbol}`);
            // fresh, delayed or closed (last close): the freshness badge labels which
            const fresh = hasPrice(l) ? l : undefined;
            const color = moveColor(redUp(s.market), fresh?.quote.change);
            return (
              <tr key={`${s.market}:${s.symbol}`} data-testid={`row-${s.symbol}`}>
                <td>
                  <Link href={`/symbol/${s.market}/${encodeURIComponent(s.symbol)}`} className="sym">
                    {s.symbol}
                  </Link>
                  <span className="market-tag">{s.market}</span>
                  <div className="show-sm muted small">{lang === 'zh-CN' ? s.nameZh : s.name}</div>
                </td>
                <td className="hide-sm">
                  {lang === 'zh-CN' ? s.nameZh : s.name}
                  {s.isDemo && <span className="demo-tag">{t.demoTag}</span>}
                </td>
                <td className="num price" data-testid="price" style={{ color }}>
                  {fresh ? formatPrice(fresh.quote.price, lang) : '—'}
                </td>
                <td className="num" style={{ color }}>
                  {fresh ? formatChange(fresh.quote.changePercent, lang, true) : '—'}
                </td>
                <td>
                  <FreshnessBadge latest={l} />
                  {fresh && (
                    <div className="muted small hide-sm">
                      {formatMarketTime(fresh.quote.ts, s.market, lang)} ·{' '}
                      <span data-testid="source" title={t.source}>
                        {fresh.quote.source}
                      </span>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
