'use client';
import { useState } from 'react';
import { useDict } from '~/lib/i18n';
import { importsDict } from '~/lib/i18n/imports';

/** Mirrors MAX_IMPORT_BYTES of @investiq/api (the server answers 413 beyond it). */
const MAX_BYTES = 32 * 1024 * 1024;
const KINDS = ['bars', 'fundamentals'] as const;
type Kind = (typeof KINDS)[number];

const COLUMNS: Record<Kind, string> = {
  bars: 'market,symbol,date,open,high,low,close,volume',
  fundamentals:
    'market,symbol,currency,fiscal_period_end,as_of,revenue,gross_profit,operating_income,net_income,eps,total_assets,total_liabilities,equity,cash,shares_outstanding,pe,pb,roe,gross_margin,operating_margin,net_margin,revenue_growth,earnings_growth,debt_to_equity',
};

interface RowError {
  row: number;
  field: string;
  message: string;
}
type State =
  | { step: 'idle' }
  | { step: 'uploading'; pct: number }
  | { step: 'processing' }
  | { step: 'done'; rows: number; inserted: number; updated: number; symbolsRegistered: number }
  | { step: 'rejected'; message: string; rowCount?: number; errorCount?: number; errors: RowError[] };

/** XMLHttpRequest rather than fetch: only XHR reports upload progress. */
function upload(file: File, kind: Kind, onProgress: (pct: number) => void, onSent: () => void) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/admin/import?kind=${kind}&file=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.upload.onload = onSent;
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { error: { message: xhr.responseText.slice(0, 200) } };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}

export default function AdminImportPage() {
  const t = useDict(importsDict);
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<Kind>('bars');
  const [state, setState] = useState<State>({ step: 'idle' });
  const busy = state.step === 'uploading' || state.step === 'processing';

  const submit = async () => {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setState({ step: 'rejected', message: t.tooLarge(MAX_BYTES / 1024 / 1024), errors: [] });
      return;
    }
    setState({ step: 'uploading', pct: 0 });
    try {
      const res = await upload(
        file,
        kind,
        (pct) => setState({ step: 'uploading', pct }),
        () => setState({ step: 'processing' }),
      );
      if (res.status === 200) {
        setState({
          step: 'done',
          ...(res.body as { rows: number; inserted: number; updated: number; symbolsRegistered: number }),
        });
        return;
      }
      const err = (res.body as { error?: { message?: string; details?: Record<string, unknown> } }).error;
      const details = err?.details as
        | { rowCount?: number; errorCount?: number; errors?: RowError[] }
        | undefined;
      setState({
        step: 'rejected',
        message: err?.message ?? `HTTP ${res.status}`,
        rowCount: details?.rowCount,
        errorCount: details?.errorCount,
        errors: details?.errors ?? [],
      });
    } catch {
      setState({ step: 'rejected', message: t.networkError, errors: [] });
    }
  };

  return (
    <section className="card">
      <h2>{t.title}</h2>
      <p className="muted">{t.intro}</p>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          {t.kind}
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="import-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t[k]}
              </option>
            ))}
          </select>
        </label>
        <p className="muted">
          {t.columns}: <code>{COLUMNS[kind]}</code>
        </p>
        <label>
          {t.file}
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setState({ step: 'idle' });
            }}
            data-testid="import-file"
            required
          />
        </label>
        <button type="submit" disabled={!file || busy} data-testid="import-submit">
          {t.upload}
        </button>
      </form>
      {state.step === 'uploading' ? (
        <p>
          <progress max={100} value={state.pct} data-testid="import-progress" /> {t.uploading(state.pct)}
        </p>
      ) : null}
      {state.step === 'processing' ? (
        <p>
          <progress data-testid="import-progress" /> {t.processing}
        </p>
      ) : null}
      {state.step === 'done' ? (
        <p className="ok-note" data-testid="import-done">
          {t.imported(state.rows, state.inserted, state.updated, state.symbolsRegistered)}
        </p>
      ) : null}
      {state.step === 'rejected' ? (
        <div data-testid="import-rejected">
          <p className="error">
            {state.errorCount !== undefined && state.rowCount !== undefined
              ? t.rejected(state.errorCount, state.rowCount)
              : state.message}
            {state.errorCount !== undefined && state.errorCount > state.errors.length
              ? ` ${t.shownFirst(state.errors.length)}`
              : ''}
          </p>
          {state.errors.length > 0 ? (
            <table data-testid="import-errors">
              <thead>
                <tr>
                  <th>{t.row}</th>
                  <th>{t.field}</th>
                  <th>{t.message}</th>
                </tr>
              </thead>
              <tbody>
                {state.errors.map((e, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a row can carry several errors; the list never reorders
                  <tr key={i}>
                    <td>{e.row || '—'}</td>
                    <td>{e.field || '—'}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
