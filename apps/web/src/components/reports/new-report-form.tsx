'use client';
import { REPORT_MODULES, type TReportModule } from '@investiq/api/reports';
import { useMutation } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, Suspense, useState } from 'react';
import { useDict, usePrefs } from '~/lib/i18n';
import { reportsDict } from '~/lib/i18n/reports';
import { useTRPC } from '~/lib/trpc';
import { SymbolPicker } from '../symbol-picker';
import './reports.css';

type Market = 'CN' | 'HK' | 'US';

export function NewReportForm() {
  return (
    <Suspense>
      <Form />
    </Suspense>
  );
}

function Form() {
  const trpc = useTRPC();
  const d = useDict(reportsDict);
  const { lang } = usePrefs();
  const router = useRouter();
  const params = useSearchParams();
  const initial =
    params.get('market') && params.get('symbol')
      ? { market: params.get('market') as Market, symbol: params.get('symbol')! }
      : null;
  const [picked, setPicked] = useState<{ market: Market; symbol: string } | null>(initial);
  const [modules, setModules] = useState<TReportModule[]>([...REPORT_MODULES]);
  const [language, setLanguage] = useState<'zh' | 'en' | null>(null);
  const [asOf, setAsOf] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(trpc.reports.create.mutationOptions());
  const reportLang = language ?? (lang === 'zh-CN' ? 'zh' : 'en');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!picked) {
      setError(d.pickSymbol);
      return;
    }
    try {
      const res = await create.mutateAsync({
        market: picked.market,
        symbol: picked.symbol,
        modules,
        language: reportLang,
        ...(asOf ? { asOf } : {}),
      });
      router.push(`/reports/${res.id}${res.joined ? '?joined=1' : ''}`);
    } catch (err) {
      const msg = (err as Error).message;
      setError((err as { data?: { code?: string } }).data?.code === 'FORBIDDEN' ? d.needAnalyst : msg);
    }
  };

  return (
    <section className="card">
      <div className="card-head">
        <h1>{d.newReport}</h1>
      </div>
      <form className="rform" onSubmit={(e) => void submit(e)}>
        <SymbolPicker
          label={d.symbolSearch}
          placeholder="600519 · 0700 · AAPL · 茅台 · gzmt"
          initialQuery={initial ? initial.symbol : ''}
          onPick={setPicked}
          onEdit={() => setPicked(null)}
        />
        {picked && (
          <p data-testid="picked-symbol">
            {picked.market}:{picked.symbol}
          </p>
        )}
        <fieldset>
          <legend>{d.modules}</legend>
          {REPORT_MODULES.map((m) => (
            <label key={m}>
              <input
                type="checkbox"
                checked={modules.includes(m)}
                onChange={(e) =>
                  setModules((prev) =>
                    e.target.checked
                      ? REPORT_MODULES.filter((x) => x === m || prev.includes(x))
                      : prev.filter((x) => x !== m),
                  )
                }
                data-testid={`module-${m}`}
              />
              {d.module[m]}
            </label>
          ))}
        </fieldset>
        <label>
          {d.language}
          <select
            value={reportLang}
            onChange={(e) => setLanguage(e.target.value as 'zh' | 'en')}
            data-testid="report-language"
          >
            <option value="en">English</option>
            <option value="zh">简体中文</option>
          </select>
        </label>
        <label>
          {d.asOf}
          <input
            type="date"
            value={asOf}
            onChange={(e) => setAsOf(e.target.value)}
            data-testid="report-asof"
          />
          <span className="muted small">{d.asOfHelp}</span>
        </label>
        {error && (
          <p className="error" data-testid="new-report-error">
            {error}
          </p>
        )}
        <button
          type="submit"
          className="button"
          disabled={create.isPending || modules.length === 0}
          data-testid="generate"
        >
          {create.isPending ? d.generating : d.generate}
        </button>
      </form>
    </section>
  );
}
