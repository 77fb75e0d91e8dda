'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useEffect, useState } from 'react';
import { formatMarketTime } from '~/lib/format';
import { moveColor, useDict, usePrefs } from '~/lib/i18n';
import { portfolioDict } from '~/lib/i18n/portfolio';
import { useTRPC } from '~/lib/trpc';
import { ValueChart } from '../lazy-charts';
import { type PickedSymbol, SymbolSearch } from '../symbol-search';

const CURRENCIES = ['CNY', 'HKD', 'USD'] as const;
const TYPES = ['buy', 'sell', 'dividend', 'split', 'fee'] as const;
type RowError = { row: number; field: string; message: string };

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
const rowErrorsOf = (e: unknown): RowError[] =>
  ((e as { data?: { details?: { errors?: RowError[] } } }).data?.details?.errors ?? []) as RowError[];

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

function TransactionForm({ id, onSaved }: { id: string; onSaved: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const d = useDict(portfolioDict);
  const [picked, setPicked] = useState<PickedSymbol | null>(null);
  const [type, setType] = useState<(typeof TYPES)[number]>('buy');
  const [date, setDate] = useState('');
  const [quantity, setQuantity] = useState('');
  const [price, setPrice] = useState('');
  const [fee, setFee] = useState('0');
  const [note, setNote] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => setDate(new Date().toISOString().slice(0, 10)), []);
  const add = useMutation(
    trpc.portfolio.addTransaction.mutationOptions({
      onSuccess: async () => {
        setMsg(d.saved);
        await onSaved();
      },
      onError: () => setMsg(null),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!picked) {
      setMsg(d.pickSymbol);
      return;
    }
    add.mutate({
      id,
      transaction: {
        type,
        market: picked.market,
        symbol: picked.symbol,
        tradeDate: date,
        quantity: quantity === '' ? Number.NaN : Number(quantity),
        price: price === '' ? (type === 'split' || type === 'fee' ? 0 : Number.NaN) : Number(price),
        fee: fee === '' ? 0 : Number(fee),
        note: note || null,
      },
    });
  };
  return (
    <section className="card">
      <h2>{d.addTransaction}</h2>
      <form className="pf-form" onSubmit={submit} data-testid="tx-form">
        <div className="pf-field">
          <span>{d.symbol}</span>
          <SymbolSearch
            label={d.symbolSearch}
            placeholder={d.searchPlaceholder}
            noMatches={d.noMatches}
            onPick={setPicked}
            testId="tx-symbol"
          />
          {picked && (
            <span className="picked" data-testid="tx-picked">
              {picked.symbol} <span className="market-tag">{picked.market}</span>
            </span>
          )}
        </div>
        <label className="pf-field">
          <span>{d.type}</span>
          <select value={type} onChange={(e) => setType(e.target.value as typeof type)} data-testid="tx-type">
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {d.types[t]}
              </option>
            ))}
          </select>
        </label>
        <label className="pf-field">
          <span>{d.date}</span>
          <input
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            required
            data-testid="tx-date"
          />
        </label>
        <label className="pf-field">
          <span>{d.quantity}</span>
          <input
            inputMode="decimal"
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            title={d.quantityHelp}
            data-testid="tx-quantity"
          />
        </label>
        <label className="pf-field">
          <span>{d.price}</span>
          <input
            inputMode="decimal"
            value={price}
            onChange={(e) => setPrice(e.target.value)}
            title={d.priceHelp}
            data-testid="tx-price"
          />
        </label>
        <label className="pf-field">
          <span>{d.fee}</span>
          <input
            inputMode="decimal"
            value={fee}
            onChange={(e) => setFee(e.target.value)}
            data-testid="tx-fee"
          />
        </label>
        <label className="pf-field">
          <span>{d.note}</span>
          <input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="submit" disabled={add.isPending} data-testid="tx-save">
          {d.save}
        </button>
      </form>
      {add.isError && (
        <p className="error" role="alert" data-testid="tx-error">
          {add.error.message}
        </p>
      )}
      {msg && !add.isError && (
        <p className="muted" role="status" data-testid="tx-status">
          {msg}
        </p>
      )}
    </section>
  );
}

function CsvImport({ id, onSaved }: { id: string; onSaved: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const d = useDict(portfolioDict);
  const [file, setFile] = useState<File | null>(null);
  const imp = useMutation(trpc.portfolio.importCsv.mutationOptions({ onSuccess: () => onSaved() }));
  const errors = imp.isError ? rowErrorsOf(imp.error) : [];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (file) imp.mutate({ id, csv: await file.text() });
  };
  return (
    <section className="card">
      <h2>{d.importTitle}</h2>
      <p className="muted small">{d.importHelp}</p>
      <form onSubmit={submit} className="inline-form">
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          data-testid="csv-file"
        />
        <button type="submit" disabled={!file || imp.isPending} data-testid="csv-import">
          {d.importButton}
        </button>
      </form>
      {imp.isSuccess && (
        <p role="status" data-testid="csv-result">
          {d.imported(imp.data.inserted)}
        </p>
      )}
      {imp.isError && (
        <div role="alert" data-testid="csv-errors">
          <p className="error">{errors.length ? d.rejected(errors.length) : imp.error.message}</p>
          {errors.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th className="num">{d.row}</th>
                  <th>{d.field}</th>
                  <th>{d.problem}</th>
                </tr>
              </thead>
              <tbody>
                {errors.map((e, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows of one fixed error report
                  <tr key={i}>
                    <td className="num">{e.row || '—'}</td>
                    <td>{e.field}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

/** Admins enter FX rates (source `admin`); everyone else sees the rates in use above. */
function FxRateForm({ onSaved }: { onSaved: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const d = useDict(portfolioDict);
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  const [base, setBaseCur] = useState<(typeof CURRENCIES)[number]>('USD');
  const [quote, setQuote] = useState<(typeof CURRENCIES)[number]>('CNY');
  const [rate, setRate] = useState('');
  const save = useMutation(trpc.portfolio.setFxRate.mutationOptions({ onSuccess: () => onSaved() }));
  if (me.data?.role !== 'admin') return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      base,
      quote,
      rate: rate === '' ? Number.NaN : Number(rate),
      asOf: new Date().toISOString(),
    });
  };
  return (
    <section className="card">
      <h2>{d.fxAdminTitle}</h2>
      <form className="inline-form" onSubmit={submit} data-testid="fx-form">
        <label>
          1{' '}
          <select
            value={base}
            onChange={(e) => setBaseCur(e.target.value as typeof base)}
            aria-label={d.fxBase}
          >
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          ={' '}
          <input
            inputMode="decimal"
            value={rate}
            onChange={(e) => setRate(e.target.value)}
            aria-label={d.fxRate}
            size={10}
          />
        </label>
        <select
          value={quote}
          onChange={(e) => setQuote(e.target.value as typeof quote)}
          aria-label={d.fxQuote}
        >
          {CURRENCIES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <button type="submit" disabled={save.isPending}>
          {d.save}
        </button>
      </form>
      <p className="muted small">{d.fxAdminHelp}</p>
      {save.isError && (
        <p className="error" role="alert">
          {save.error.message}
        </p>
      )}
      {save.isSuccess && <p role="status">{d.saved}</p>}
    </section>
  );
}
