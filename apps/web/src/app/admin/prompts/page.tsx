'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { TextDiff } from '~/components/admin/text-diff';
import { formatDateTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { adminDict } from '~/lib/i18n/admin';
import { useTRPC } from '~/lib/trpc';

type Lang = 'en' | 'zh';
type Market = 'CN' | 'HK' | 'US';

export default function AdminPromptsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const t = useDict(adminDict);
  const { lang } = usePrefs();
  const [language, setLanguage] = useState<Lang>('en');
  const versions = useQuery(trpc.prompts.list.queryOptions({ language }));
  const active = versions.data?.find((v) => v.active);
  const [body, setBody] = useState('');
  const [note, setNote] = useState('');
  const [openDiff, setOpenDiff] = useState<number | null>(null);
  useEffect(() => {
    if (active) setBody(active.body);
  }, [active]);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.prompts.list.queryKey() });
  const create = useMutation(
    trpc.prompts.create.mutationOptions({
      onSuccess: async () => {
        setNote('');
        await refresh();
      },
    }),
  );
  const rollback = useMutation(trpc.prompts.rollback.mutationOptions({ onSuccess: refresh }));
  const [market, setMarket] = useState<Market>('US');
  const [symbol, setSymbol] = useState('AAPL');
  const [previewInput, setPreviewInput] = useState<{ body: string; symbol: string; market: Market } | null>(
    null,
  );
  const preview = useQuery({
    ...trpc.prompts.preview.queryOptions({
      body: previewInput?.body ?? '',
      language,
      market: previewInput?.market ?? 'US',
      symbol: previewInput?.symbol ?? 'AAPL',
    }),
    enabled: previewInput !== null,
    retry: false,
  });
  const dirty = active !== undefined && body !== active.body;
  const error = create.error ?? rollback.error ?? versions.error;
  return (
    <>
      <section className="card" data-testid="prompt-editor">
        <div className="card-head">
          <h2>{t.prompts}</h2>
          <select
            value={language}
            onChange={(e) => {
              setLanguage(e.target.value as Lang);
              setPreviewInput(null);
            }}
            data-testid="prompt-language"
          >
            <option value="en">English</option>
            <option value="zh">中文</option>
          </select>
        </div>
        {active ? (
          <p className="muted" data-testid="prompt-active">
            {active.name} · {t.version} {active.version}
          </p>
        ) : null}
        <form
          className="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ language, body, note: note || undefined });
          }}
        >
          <label>
            {t.template}
            <textarea
              rows={16}
              value={body}
              spellCheck={false}
              onChange={(e) => setBody(e.target.value)}
              data-testid="prompt-body"
            />
          </label>
          <label>
            {t.versionNote}
            <input value={note} onChange={(e) => setNote(e.target.value)} data-testid="prompt-note" />
          </label>
          {error ? (
            <p className="error" role="alert" data-testid="prompt-error">
              {error.message}
            </p>
          ) : null}
          <div className="admin-row">
            <button type="submit" disabled={!dirty || create.isPending} data-testid="prompt-save">
              {t.save}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!dirty}
              onClick={() => active && setBody(active.body)}
            >
              {t.reset}
            </button>
          </div>
        </form>
      </section>

      <section className="card" data-testid="prompt-preview">
        <h2>{t.preview}</h2>
        <form
          className="admin-row"
          onSubmit={(e) => {
            e.preventDefault();
            setPreviewInput({ body, symbol, market });
          }}
        >
          <select
            value={market}
            onChange={(e) => setMarket(e.target.value as Market)}
            data-testid="preview-market"
          >
            <option>CN</option>
            <option>HK</option>
            <option>US</option>
          </select>
          <input
            value={symbol}
            aria-label={t.previewFor}
            onChange={(e) => setSymbol(e.target.value)}
            data-testid="preview-symbol"
          />
          <button type="submit" data-testid="preview-run">
            {t.preview}
          </button>
        </form>
        {preview.error ? (
          <p className="error" data-testid="preview-error">
            {preview.error.message}
          </p>
        ) : null}
        {preview.data ? (
          <>
            <p className="muted" data-testid="preview-facts">
              {preview.data.facts.length} facts
              {preview.data.missing.length
                ? ` · ${preview.data.missing.map((m) => `${m.module}: ${m.reason}`).join('; ')}`
                : ''}
            </p>
            <pre data-testid="preview-text">{preview.data.prompt}</pre>
          </>
        ) : null}
      </section>

      <section className="card" data-testid="prompt-history">
        <h2>{t.history}</h2>
        <table>
          <tbody>
            {versions.data?.map((v, i) => {
              const previous = versions.data[i + 1];
              return (
                <tr key={v.id} data-testid={`prompt-version-${v.version}`}>
                  <td>
                    {t.version} {v.version} {v.active ? '✓' : ''}
                    <div className="muted">
                      {formatDateTime(v.createdAt, lang)} · {v.createdBy ?? ''}
                      {v.note ? ` · ${v.note}` : ''}
                    </div>
                    {openDiff === v.version && previous ? (
                      <>
                        <p className="muted">{t.diffAgainst}</p>
                        <TextDiff before={previous.body} after={v.body} testId={`prompt-diff-${v.version}`} />
                      </>
                    ) : null}
                  </td>
                  <td>
                    <div className="admin-row">
                      {previous ? (
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => setOpenDiff(openDiff === v.version ? null : v.version)}
                          data-testid={`prompt-diff-toggle-${v.version}`}
                        >
                          diff
                        </button>
                      ) : null}
                      {!v.active ? (
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => rollback.mutate({ language, version: v.version })}
                          data-testid={`prompt-rollback-${v.version}`}
                        >
                          {t.rollback}
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}
