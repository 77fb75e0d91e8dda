'use client';
import type { DashboardData } from '@investiq/api/http';
import type { TLatestQuote } from '@investiq/contracts';
import { hasPrice } from '@investiq/contracts/quote-status';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useReportDemo } from '~/lib/demo-presence';
import { formatChange, formatMarketTime, formatPrice } from '~/lib/format';
import { moveColor, useDict, usePrefs } from '~/lib/i18n';
import { watchlistsDict } from '~/lib/i18n/watchlists';
import { mergePushed } from '~/lib/live';
import { liveStreamUrl, useLiveQuotes } from '~/lib/live-quotes';
import { rememberedWatchlist, rememberWatchlist, WATCHLIST_COOKIE } from '~/lib/page-data';
import { useTRPC } from '~/lib/trpc';
import { FreshnessBadge } from './freshness-badge';
import { type PickedSymbol, SymbolSearch } from './symbol-search';

/** The quote keys of a list's items, in order (the latestMany query key: the same for server and browser). */
const refsOf = <M extends string>(items: readonly { market: M; symbol: string }[]) =>
  items.map((s) => ({ market: s.market, symbol: s.symbol }));

/**
 * The signed-in user's chosen watchlist: switcher, search-to-add, reorder and remove, live prices.
 * `initial`: the server-rendered first answers (app/page.tsx), put in the query cache before the first render
 * so the page paints with prices and the queries below only refresh them.
 */
export function Watchlist({ initial = null }: { initial?: DashboardData | null }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { t, lang, redUp } = usePrefs();
  const d = useDict(watchlistsDict);
  const [selected, setSelected] = useState<string | null>(() => {
    if (!initial) return null;
    qc.setQueryData(trpc.watchlists.list.queryKey(), initial.lists);
    if (initial.list) {
      qc.setQueryData(trpc.watchlists.get.queryKey({ id: initial.list.id }), initial.list);
      const symbols = refsOf(initial.list.items);
      if (symbols.length > 0) qc.setQueryData(trpc.quotes.latestMany.queryKey({ symbols }), initial.latest);
    }
    return initial.list?.id ?? null;
  });
  const lists = useQuery(trpc.watchlists.list.queryOptions());
  useEffect(() => {
    // the choice used to be kept in localStorage, where the server cannot see it: carried over once
    const old = localStorage.getItem(WATCHLIST_COOKIE);
    if (old !== null) localStorage.removeItem(WATCHLIST_COOKIE);
    if (old && !rememberedWatchlist()) {
      rememberWatchlist(old);
      setSelected(old);
    } else if (!initial) setSelected(rememberedWatchlist());
  }, [initial]);
  const current = lists.data?.find((l) => l.id === selected) ?? lists.data?.[0];
  const choose = (id: string) => {
    rememberWatchlist(id);
    setSelected(id);
  };
  const listOpts = trpc.watchlists.get.queryOptions({ id: current?.id ?? '' }, { enabled: !!current });
  const list = useQuery(listOpts);
  const itemsData = list.data?.items;
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: trpc.watchlists.list.queryKey() });
    await qc.invalidateQueries({ queryKey: listOpts.queryKey });
  };
  const onError = (e: { message: string }) => setProblem(e.message);
  const [problem, setProblem] = useState<string | null>(null);
  const [naming, setNaming] = useState(false);
  const [newName, setNewName] = useState('');
  const create = useMutation(
    trpc.watchlists.create.mutationOptions({
      onSuccess: async (l) => {
        setNaming(false);
        setNewName('');
        setProblem(null);
        choose(l.id);
        await refresh();
      },
      onError,
    }),
  );
  const del = useMutation(
    trpc.watchlists.delete.mutationOptions({
      onSuccess: async () => {
        rememberWatchlist(null);
        setSelected(null);
        await refresh();
      },
      onError,
    }),
  );
  const mutOpts = {
    onSuccess: async () => {
      setProblem(null);
      await refresh();
    },
    onError,
  };
  const add = useMutation(trpc.watchlists.addItem.mutationOptions(mutOpts));
  const remove = useMutation(trpc.watchlists.removeItem.mutationOptions(mutOpts));
  const move = useMutation(trpc.watchlists.moveItem.mutationOptions(mutOpts));
  const busy = add.isPending || remove.isPending || move.isPending;
  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: newName });
  };
  const onPick = (s: PickedSymbol) => {
    if (current) add.mutate({ id: current.id, item: s });
  };
  const refs = useMemo(() => refsOf(itemsData ?? []), [itemsData]);
  const latestOpts = trpc.quotes.latestMany.queryOptions(
    { symbols: refs },
    { enabled: refs.length > 0, refetchInterval: 1000 },
  );
  const latest = useQuery(latestOpts);
  useReportDemo((latest.data ?? []).some((l) => hasPrice(l) && l.quote.source === 'demo'));
  const liveStatus = useLiveQuotes(refs.length > 0 ? liveStreamUrl(refs) : null, (answers) => {
    const byKey = new Map(answers.map((a) => [`${a.market}:${a.symbol}`, a]));
    qc.setQueryData<TLatestQuote[]>(latestOpts.queryKey, (prev) =>
      prev?.map((p) => {
        const a = byKey.get(`${p.market}:${p.symbol}`);
        return a ? mergePushed(p, a) : p;
      }),
    );
  });

  if (lists.isError || list.isError)
    return (
      <p className="error">
        {t.error}: {(lists.error ?? list.error)?.message}
      </p>
    );
  if (!current || !itemsData) return <p className="muted">{t.loading}</p>;
  const items = itemsData;

  const byKey = new Map((latest.data ?? []).map((l) => [`${l.market}:${l.symbol}`, l]));
  return (
    <section className="card">
      <div className="card-head">
        <h1>{t.watchlist}</h1>
        <label className="list-switch">
          <span className="sr-only">{d.list}</span>
          <select
            aria-label={d.list}
            value={current.id}
            onChange={(e) => choose(e.target.value)}
            data-testid="watchlist-switcher"
          >
            {(lists.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name === 'Watchlist' ? d.defaultName : l.name} ({l.itemCount})
              </option>
            ))}
          </select>
        </label>
        <span
          className={`live-dot ${liveStatus === 'open' ? 'on' : ''}`}
          data-testid="live-status"
          data-status={liveStatus}
        >
          {liveStatus === 'open' ? t.live : t.connecting}
        </span>
      </div>
      <div className="watchlist-tools">
        <SymbolSearch
          label={d.addSymbol}
          placeholder={d.searchPlaceholder}
          noMatches={d.noMatches}
          onPick={onPick}
          testId="watchlist-add"
        />
        {naming ? (
          <form onSubmit={onCreate} className="inline-form">
            <input
              aria-label={d.newListName}
              placeholder={d.newListName}
              value={newName}
              maxLength={40}
              onChange={(e) => setNewName(e.target.value)}
              data-testid="new-list-name"
              // biome-ignore lint/a11y/noAutofocus: the field the user just asked for
              autoFocus
            />
            <button type="submit" disabled={create.isPending} data-testid="new-list-create">
              {d.create}
            </button>
            <button type="button" onClick={() => setNaming(false)}>
              {d.cancel}
            </button>
          </form>
        ) : (
          <button type="button" onClick={() => setNaming(true)} data-testid="new-list">
            {d.newList}
          </button>
        )}
        {(lists.data?.length ?? 0) > 1 && (
          <button
            type="button"
            className="danger"
            onClick={() => {
              if (window.confirm(d.confirmDelete(current.name))) del.mutate({ id: current.id });
            }}
            data-testid="delete-list"
          >
            {d.deleteList}
          </button>
        )}
      </div>
      {problem && (
        <p className="error" role="alert" data-testid="watchlist-error">
          {problem}
        </p>
      )}
      {items.length === 0 && (
        <p className="muted" data-testid="watchlist-empty">
          {d.empty}
        </p>
      )}
      <div className="table-scroll">
        <table className="watchlist" data-testid="watchlist">
          <thead>
            <tr>
              <th>{t.symbol}</th>
              <th className="hide-sm">{t.name}</th>
              <th className="num">{t.price}</th>
              <th className="num">{t.changePct}</th>
              <th>{t.freshness}</th>
              <th>
                <span className="sr-only">{d.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((s, i) => {
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
                  <td className="row-actions">
                    <button
                      type="button"
                      aria-label={d.moveUp(s.symbol)}
                      title={d.moveUp(s.symbol)}
                      disabled={busy || i === 0}
                      onClick={() => move.mutate({ id: current.id, item: s, direction: 'up' })}
                      data-testid="move-up"
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      aria-label={d.moveDown(s.symbol)}
                      title={d.moveDown(s.symbol)}
                      disabled={busy || i === items.length - 1}
                      onClick={() => move.mutate({ id: current.id, item: s, direction: 'down' })}
                      data-testid="move-down"
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      aria-label={d.remove(s.symbol)}
                      title={d.remove(s.symbol)}
                      disabled={busy}
                      onClick={() => remove.mutate({ id: current.id, item: s })}
                      data-testid="remove"
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
