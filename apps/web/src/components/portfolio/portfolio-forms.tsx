'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useDict } from '~/lib/i18n';
import { portfolioDict } from '~/lib/i18n/portfolio';
import { useTRPC } from '~/lib/trpc';
import { type PickedSymbol, SymbolSearch } from '../symbol-search';

export const CURRENCIES = ['CNY', 'HKD', 'USD'] as const;
const TYPES = ['buy', 'sell', 'dividend', 'split', 'fee'] as const;
type RowError = { row: number; field: string; message: string };
const rowErrorsOf = (e: unknown): RowError[] =>
  ((e as { data?: { details?: { errors?: RowError[] } } }).data?.details?.errors ?? []) as RowError[];

export function TransactionForm({ id, onSaved }: { id: string; onSaved: () => Promise<unknown> }) {
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

export function CsvImport({ id, onSaved }: { id: string; onSaved: () => Promise<unknown> }) {
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
export function FxRateForm({ onSaved }: { onSaved: () => Promise<unknown> }) {
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
