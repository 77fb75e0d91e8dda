'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, Suspense, useMemo, useState } from 'react';
import { useDict, usePrefs } from '~/lib/i18n';
import { backtestsDict } from '~/lib/i18n/backtests';
import { useTRPC } from '~/lib/trpc';
import { fmtNum, fmtPct } from './format';
import './backtests.css';
import '../reports/reports.css';

type Market = 'CN' | 'HK' | 'US';
const COST_KEYS = ['commissionBps', 'minCommission', 'slippageBps', 'perShare', 'perShareMin'] as const;

/** Market from the symbol's format (600519.SH → CN, 0700.HK → HK, AAPL → US). */
export function inferMarket(symbol: string): Market | null {
  if (/^\d{6}\.(SH|SZ|BJ)$/.test(symbol)) return 'CN';
  if (/^\d{4,5}\.HK$/.test(symbol)) return 'HK';
  if (/^[A-Z][A-Z0-9]{0,5}(\.[A-Z])?$/.test(symbol)) return 'US';
  return null;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function BacktestForm() {
  return (
    <Suspense>
      <Form />
      <RecentBacktests />
    </Suspense>
  );
}

function Form() {
  const trpc = useTRPC();
  const d = useDict(backtestsDict);
  const router = useRouter();
  const params = useSearchParams();
  const catalog = useQuery(trpc.backtests.strategies.queryOptions());
  const watchlist = useQuery(trpc.market.symbols.queryOptions());
  const run = useMutation(trpc.backtests.run.mutationOptions());
  const today = new Date();
  const [strategy, setStrategy] = useState('ma-cross');
  const [values, setValues] = useState<Record<string, string>>({});
  const [symbols, setSymbols] = useState(params.get('symbols') ?? '600519.SH');
  const [benchmark, setBenchmark] = useState('');
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 2 * 365 * 86_400_000)));
  const [to, setTo] = useState(isoDay(today));
  const [costs, setCosts] = useState<Record<string, string>>({});
  const [cash, setCash] = useState('1000000');
  const [stop, setStop] = useState('0');
  const [sweep, setSweep] = useState(false);
  const [folds, setFolds] = useState('4');
  const [error, setError] = useState<string | null>(null);

  const info = catalog.data?.strategies.find((s) => s.id === strategy);
  const firstMarket =
    inferMarket(
      symbols
        .trim()
        .split(/[\s,;，]+/)[0]
        ?.toUpperCase() ?? '',
    ) ?? 'CN';
  const defaults = catalog.data?.defaultCosts[firstMarket];
  const list = useMemo(
    () =>
      symbols
        .split(/[\s,;，]+/)
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
    [symbols],
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const refs: { market: Market; symbol: string }[] = [];
    for (const s of list) {
      const m = inferMarket(s);
      if (!m) {
        setError(d.badSymbol(s));
        return;
      }
      refs.push({ market: m, symbol: s });
    }
    const num = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v));
    const p: Record<string, number> = {};
    for (const prm of info?.params ?? []) {
      const v = num(values[prm.name]);
      if (v !== undefined) p[prm.name] = v;
    }
    const c: Record<string, number> = {};
    for (const k of COST_KEYS) {
      const v = num(costs[k]);
      if (v !== undefined) c[k] = v;
    }
    const bench = benchmark.trim().toUpperCase();
    const benchMarket = bench ? inferMarket(bench) : null;
    if (bench && !benchMarket) {
      setError(d.badSymbol(bench));
      return;
    }
    try {
      const res = await run.mutateAsync({
        strategy,
        params: p,
        symbols: refs,
        ...(bench && benchMarket ? { benchmark: { market: benchMarket, symbol: bench } } : {}),
        from,
        to,
        initialCash: Number(cash),
        costs: c,
        stopLossPct: (Number(stop) || 0) / 100,
        ...(sweep ? { sweep: { folds: Number(folds) } } : {}),
      });
      router.push(`/backtests/${res.id}`);
    } catch (err) {
      const code = (err as { data?: { code?: string } }).data?.code;
      setError(code === 'FORBIDDEN' ? d.needAnalyst : (err as Error).message);
    }
  };

  return (
    <section className="card">
      <div className="card-head">
        <h1>{d.newBacktest}</h1>
      </div>
      <form className="rform bt-form" onSubmit={(e) => void submit(e)} data-testid="backtest-form">
        <label>
          {d.strategy}
          <select
            value={strategy}
            onChange={(e) => {
              setStrategy(e.target.value);
              setValues({});
            }}
            data-testid="bt-strategy"
          >
            {(catalog.data?.strategies ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {d.strategyName[s.id] ?? s.id}
              </option>
            ))}
          </select>
          {info && <span className="muted small">{info.uses}</span>}
        </label>
        {info && info.params.length > 0 && (
          <fieldset data-testid="bt-params">
            {info.params.map((prm) => (
              <label key={prm.name}>
                {d.param[prm.name] ?? prm.name}
                <input
                  type="number"
                  inputMode="decimal"
                  step={prm.integer ? 1 : 'any'}
                  min={prm.min ?? undefined}
                  max={prm.max ?? undefined}
                  placeholder={String(prm.default)}
                  value={values[prm.name] ?? ''}
                  onChange={(e) => setValues({ ...values, [prm.name]: e.target.value })}
                  data-testid={`bt-param-${prm.name}`}
                />
              </label>
            ))}
          </fieldset>
        )}
        <label>
          {d.symbols}
          <input
            value={symbols}
            onChange={(e) => setSymbols(e.target.value)}
            autoComplete="off"
            data-testid="bt-symbols"
          />
          <span className="muted small">{d.symbolsHelp}</span>
        </label>
        <div>
          <button
            type="button"
            className="button"
            disabled={!watchlist.data}
            onClick={() => setSymbols((watchlist.data ?? []).map((s) => s.symbol).join(', '))}
            data-testid="bt-use-watchlist"
          >
            {d.useWatchlist}
          </button>
        </div>
        <fieldset>
          <label>
            {d.from}
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="bt-from" />
          </label>
          <label>
            {d.to}
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="bt-to" />
          </label>
          <label>
            {d.benchmark}
            <input
              value={benchmark}
              onChange={(e) => setBenchmark(e.target.value)}
              placeholder="0700.HK"
              data-testid="bt-benchmark"
            />
            <span className="muted small">{d.benchmarkHelp}</span>
          </label>
        </fieldset>
        <fieldset>
          <legend>{d.costs}</legend>
          <label>
            {d.initialCash}
            <input
              type="number"
              inputMode="decimal"
              value={cash}
              onChange={(e) => setCash(e.target.value)}
              data-testid="bt-cash"
            />
          </label>
          {COST_KEYS.map((k) => (
            <label key={k}>
              {d[k]}
              <input
                type="number"
                inputMode="decimal"
                step="any"
                min={0}
                placeholder={defaults ? String(defaults[k]) : ''}
                value={costs[k] ?? ''}
                onChange={(e) => setCosts({ ...costs, [k]: e.target.value })}
                data-testid={`bt-cost-${k}`}
              />
            </label>
          ))}
          <label>
            {d.stopLossPct}
            <input
              type="number"
              inputMode="decimal"
              step="any"
              min={0}
              max={50}
              value={stop}
              onChange={(e) => setStop(e.target.value)}
              data-testid="bt-stop"
            />
          </label>
          <span className="muted small">{d.costsHelp}</span>
        </fieldset>
        <label className="bt-check">
          <span>
            <input
              type="checkbox"
              checked={sweep}
              onChange={(e) => setSweep(e.target.checked)}
              data-testid="bt-sweep"
            />{' '}
            {d.sweep}
          </span>
        </label>
        {sweep && (
          <label>
            {d.folds}
            <input
              type="number"
              min={2}
              max={8}
              value={folds}
              onChange={(e) => setFolds(e.target.value)}
              data-testid="bt-folds"
            />
          </label>
        )}
        {error && (
          <p className="error" data-testid="bt-error">
            {error}
          </p>
        )}
        <button
          type="submit"
          className="button"
          disabled={run.isPending || !catalog.data}
          data-testid="bt-run"
        >
          {run.isPending ? d.starting : d.run}
        </button>
      </form>
    </section>
  );
}

function RecentBacktests() {
  const trpc = useTRPC();
  const d = useDict(backtestsDict);
  const { lang } = usePrefs();
  const list = useQuery(trpc.backtests.list.queryOptions({ limit: 30 }, { refetchInterval: 5000 }));
  return (
    <section className="card">
      <div className="card-head">
        <h2>{d.recent}</h2>
      </div>
      {list.data && list.data.length === 0 && <p className="muted">{d.none}</p>}
      {list.data && list.data.length > 0 && (
        <div className="table-scroll">
          <table className="rtable" data-testid="bt-recent">
            <thead>
              <tr>
                <th>{d.strategy}</th>
                <th>{d.symbols}</th>
                <th className="hide-sm">
                  {d.from} – {d.to}
                </th>
                <th>{d.metric.cagr}</th>
                <th>{d.metric.sharpe}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link href={`/backtests/${b.id}`}>{d.strategyName[b.strategy] ?? b.strategy}</Link>
                  </td>
                  <td>
                    {b.symbols
                      .slice(0, 4)
                      .map((s) => s.symbol)
                      .join(', ')}
                    {b.symbols.length > 4 ? ` +${b.symbols.length - 4}` : ''}
                  </td>
                  <td className="hide-sm">
                    {b.from} – {b.to}
                  </td>
                  <td className="num">{b.metrics ? fmtPct(b.metrics.cagr, lang) : '—'}</td>
                  <td className="num">{b.metrics ? fmtNum(b.metrics.sharpe, lang) : '—'}</td>
                  <td>
                    <span className={`rstatus rstatus-${b.status}`}>{d.status[b.status] ?? b.status}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
