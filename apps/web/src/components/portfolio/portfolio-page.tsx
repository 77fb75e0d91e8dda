'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { formatMarketTime } from '~/lib/format';
import { moveColor, useDict, usePrefs } from '~/lib/i18n';
import { portfolioDict } from '~/lib/i18n/portfolio';
import { useTRPC } from '~/lib/trpc';
import { ValueChart } from '../lazy-charts';
import { CsvImport, CURRENCIES, FxRateForm, TransactionForm } from './portfolio-forms';

function money(v: number | null | undefined, lang: string): string {
  if (v === null || v === undefined) return '—';
  return v.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
const qty = (v: number, lang: string) => v.toLocaleString(lang, { maximumFractionDigits: 6 });
const pct = (v: number | null, lang: string) =>
  v === null
    ? '—'
    : `${(v * 100).toLocaleString(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%`;
const time = (iso: string, lang: string) => new Date(iso).toLocaleString(lang, { hour12: false });

export function PortfolioPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { t, lang, redUp } = usePrefs();
  const d = useDict(portfolioDict);
  const list = useQuery(trpc.portfolio.list.queryOptions());
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => setSelected(localStorage.getItem('investiq.portfolio')), []);
  const current = list.data?.find((p) => p.id === selected) ?? list.data?.[0];
  const choose = (pid: string) => {
    localStorage.setItem('investiq.portfolio', pid);
    setSelected(pid);
  };
  const [newName, setNewName] = useState('');
  const create = useMutation(
    trpc.portfolio.create.mutationOptions({
      onSuccess: async (p) => {
        setNewName('');
        choose(p.id);
        await refresh();
      },
    }),
  );
  const id = current?.id ?? '';
  const view = useQuery(
    trpc.portfolio.get.queryOptions({ id }, { enabled: !!current, refetchInterval: 5000 }),
  );
  const history = useQuery(trpc.portfolio.history.queryOptions({ id }, { enabled: !!current }));
  const txs = useQuery(trpc.portfolio.transactions.queryOptions({ id }, { enabled: !!current }));
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: trpc.portfolio.get.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.portfolio.history.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.portfolio.transactions.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.portfolio.list.queryKey() }),
    ]);
  const setBase = useMutation(trpc.portfolio.setBaseCurrency.mutationOptions({ onSuccess: refresh }));
  const del = useMutation(trpc.portfolio.deleteTransaction.mutationOptions({ onSuccess: refresh }));

  if (list.isError) return <p className="error">{list.error.message}</p>;
  if (!current) return <p className="muted">…</p>;
  const v = view.data;
  const base = current.baseCurrency;
  const reason = (r: string) =>
    r === 'stale' ? d.reasonStale : r === 'missing' ? d.reasonMissing : d.reasonFx;

  return (
    <div className="pf" data-testid="portfolio">
      <section className="card">
        <div className="card-head">
          <h1>{d.portfolio}</h1>
          {(list.data?.length ?? 0) > 1 && (
            <select
              aria-label={d.portfolio}
              value={current.id}
              onChange={(e) => choose(e.target.value)}
              data-testid="portfolio-switcher"
            >
              {list.data?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
          <label>
            {d.baseCurrency}{' '}
            <select
              value={base}
              onChange={(e) =>
                setBase.mutate({ id, baseCurrency: e.target.value as (typeof CURRENCIES)[number] })
              }
              data-testid="base-currency"
            >
              {CURRENCIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        </div>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name: newName, baseCurrency: base as (typeof CURRENCIES)[number] });
          }}
        >
          <input
            aria-label={d.newPortfolio}
            placeholder={d.newPortfolio}
            value={newName}
            maxLength={40}
            onChange={(e) => setNewName(e.target.value)}
          />
          <button type="submit" disabled={create.isPending || newName.trim() === ''}>
            {d.create}
          </button>
        </form>
        {create.isError && (
          <p className="error" role="alert">
            {create.error.message}
          </p>
        )}
        {view.isError && <p className="error">{view.error.message}</p>}
        {v && (
          <>
            <dl className="pf-totals" data-testid="portfolio-totals">
              <div>
                <dt>{d.marketValue}</dt>
                <dd data-testid="total-value">
                  {money(v.totals.marketValue, lang)} {base}
                </dd>
              </div>
              <div>
                <dt>{d.dayPnl}</dt>
                <dd style={{ color: moveColor(redUp(base === 'USD' ? 'US' : 'CN'), v.totals.dayPnl) }}>
                  {money(v.totals.dayPnl, lang)}
                </dd>
              </div>
              <div>
                <dt>{d.totalPnl}</dt>
                <dd
                  data-testid="total-pnl"
                  style={{ color: moveColor(redUp(base === 'USD' ? 'US' : 'CN'), v.totals.totalPnl) }}
                >
                  {money(v.totals.totalPnl, lang)}
                </dd>
              </div>
              <div>
                <dt>{d.realisedPnl}</dt>
                <dd>{money(v.totals.realisedPnl, lang)}</dd>
              </div>
              <div>
                <dt>{d.dividends}</dt>
                <dd>{money(v.totals.dividends, lang)}</dd>
              </div>
            </dl>
            <p className="muted small">{d.currentOnly}</p>
            {v.totals.excluded.length > 0 && (
              <p className="stale-note" data-testid="excluded">
                {d.excluded(v.totals.excluded.map((x) => `${x.symbol} (${reason(x.reason)})`).join(', '))}
              </p>
            )}
            {v.fx.length > 0 && (
              <ul className="muted small fx-list" data-testid="fx-used">
                {v.fx.map((f) =>
                  f.rate === null ? (
                    <li key={f.from} className="error">
                      {d.fxMissing(f.from, f.to)}
                    </li>
                  ) : (
                    <li key={f.from}>
                      {d.fxLine(
                        f.from,
                        f.to,
                        f.rate.toLocaleString(lang, { maximumFractionDigits: 6 }),
                        f.asOf ? time(f.asOf, lang) : '—',
                        f.source === 'demo' ? d.demoFx : (f.source ?? ''),
                      )}
                    </li>
                  ),
                )}
              </ul>
            )}
          </>
        )}
      </section>

      <section className="card">
        <h2>{d.holdings}</h2>
        {v && v.holdings.length === 0 && <p className="muted">{d.noHoldings}</p>}
        {v && v.holdings.length > 0 && (
          <div className="table-scroll">
            <table className="pf-holdings" data-testid="holdings">
              <thead>
                <tr>
                  <th>{d.symbol}</th>
                  <th className="num">{d.quantity}</th>
                  <th className="num hide-sm">{d.avgCost}</th>
                  <th className="num">{d.price}</th>
                  <th className="num">{d.marketValue}</th>
                  <th className="num hide-sm">{d.dayPnl}</th>
                  <th className="num">{d.totalPnl}</th>
                  <th className="num hide-sm">{d.weight}</th>
                </tr>
              </thead>
              <tbody>
                {v.holdings.map((h) => {
                  // fresh, delayed and closed (the last close) are priced; stale/missing are not current
                  const priced = h.status === 'fresh' || h.status === 'delayed' || h.status === 'closed';
                  const color = moveColor(redUp(h.market), priced ? h.totalPnl : null);
                  const stale = !priced;
                  return (
                    <tr
                      key={`${h.market}:${h.symbol}`}
                      data-testid={`holding-${h.symbol}`}
                      data-status={h.status}
                      className={stale ? 'is-stale' : undefined}
                    >
                      <td>
                        <Link href={`/symbol/${h.market}/${encodeURIComponent(h.symbol)}`} className="sym">
                          {h.symbol}
                        </Link>
                        <span className="market-tag">{h.currency}</span>
                      </td>
                      <td className="num" data-testid="qty">
                        {qty(h.quantity, lang)}
                      </td>
                      <td className="num hide-sm">{money(h.avgCost, lang)}</td>
                      <td className="num">
                        <span data-testid="holding-price">{money(h.price, lang)}</span>
                        <span
                          className={`badge badge-${h.status}`}
                          data-testid="freshness"
                          data-status={h.status}
                        >
                          {h.status === 'fresh'
                            ? t.fresh
                            : h.status === 'closed'
                              ? t.closed
                              : h.status === 'delayed'
                                ? d.delayedPrice
                                : h.status === 'stale'
                                  ? t.stale
                                  : t.missing}
                        </span>
                        {h.status === 'stale' && h.lastSeenAt && (
                          <div className="muted small">
                            {d.staleSince(formatMarketTime(h.lastSeenAt, h.market, lang))}
                          </div>
                        )}
                      </td>
                      <td className="num">
                        {money(h.marketValue, lang)}
                        {h.marketValueBase !== null && h.currency !== base && (
                          <div className="muted small">
                            {money(h.marketValueBase, lang)} {base}
                          </div>
                        )}
                        {h.fx.rate === null && <div className="muted small">{d.unavailable}</div>}
                      </td>
                      <td className="num hide-sm">{money(h.dayPnl, lang)}</td>
                      <td className="num" style={{ color }} data-testid="holding-pnl">
                        {money(h.totalPnl, lang)}
                      </td>
                      <td className="num hide-sm">{pct(h.weight, lang)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {v && v.notes.length > 0 && (
          <ul className="muted small" data-testid="portfolio-notes">
            {v.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
      </section>

      <section className="card">
        <h2>{d.chart}</h2>
        {history.data && history.data.points.length > 1 ? (
          <>
            <ValueChart points={history.data.points} />
            {history.data.fxAsOf && (
              <p className="muted small">{d.chartFxNote(time(history.data.fxAsOf, lang))}</p>
            )}
            {history.data.fxLaterRateUntil && (
              <p className="muted small">{d.chartFxLater(history.data.fxLaterRateUntil)}</p>
            )}
          </>
        ) : (
          <p className="muted">{d.chartEmpty}</p>
        )}
      </section>

      <TransactionForm id={id} onSaved={refresh} />
      <FxRateForm onSaved={refresh} />
      <CsvImport id={id} onSaved={refresh} />

      <section className="card">
        <h2>{d.transactions}</h2>
        {txs.data && txs.data.length === 0 && <p className="muted">{d.noTransactions}</p>}
        {txs.data && txs.data.length > 0 && (
          <div className="table-scroll">
            <table data-testid="transactions">
              <thead>
                <tr>
                  <th>{d.date}</th>
                  <th>{d.type}</th>
                  <th>{d.symbol}</th>
                  <th className="num">{d.quantity}</th>
                  <th className="num">{d.price}</th>
                  <th className="num hide-sm">{d.fee}</th>
                  <th className="hide-sm">{d.note}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {txs.data.map((t) => (
                  <tr key={t.id}>
                    <td>{t.tradeDate}</td>
                    <td>{d.types[t.type] ?? t.type}</td>
                    <td>{t.symbol}</td>
                    <td className="num">{qty(t.quantity, lang)}</td>
                    <td className="num">
                      {t.type === 'split' || t.type === 'fee' ? '—' : `${money(t.price, lang)} ${t.currency}`}
                    </td>
                    <td className="num hide-sm">{money(t.fee, lang)}</td>
                    <td className="hide-sm">{t.note}</td>
                    <td>
                      <button type="button" onClick={() => del.mutate({ id, transactionId: t.id })}>
                        {d.delete}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {del.isError && (
          <p className="error" role="alert">
            {del.error.message}
          </p>
        )}
      </section>
    </div>
  );
}
