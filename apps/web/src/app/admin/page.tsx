'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { type FieldContext, type JsonSchema, SchemaField } from '~/components/admin/schema-form';
import { collectErrors } from '~/components/admin/schema-validate';
import { formatDateTime } from '~/lib/format';
import { useDict, usePrefs } from '~/lib/i18n';
import { adminDict } from '~/lib/i18n/admin';
import { settingsDict } from '~/lib/i18n/settings';
import { useTRPC } from '~/lib/trpc';

interface SettingView {
  key: string;
  section: string;
  description: string;
  secret: boolean;
  value: unknown;
  version: number;
  error?: string;
  jsonSchema: unknown;
}

const ORDER = ['providers', 'analysis', 'inference', 'quotes', 'security', 'ui'];

export default function AdminSettingsPage() {
  const trpc = useTRPC();
  const t = useDict(adminDict);
  const list = useQuery(trpc.settings.list.queryOptions());
  if (list.error) return <p className="error">{list.error.message}</p>;
  if (!list.data) return <p className="muted">…</p>;
  const sections = [...new Set(list.data.map((s) => s.section))].sort(
    (a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99),
  );
  return (
    <>
      {sections.map((sec) => (
        <section key={sec} data-testid={`section-${sec}`}>
          <h2>{t.sections[sec] ?? sec}</h2>
          {list.data
            .filter((s) => s.section === sec)
            .map((s) => (
              <SettingCard key={s.key} setting={s as SettingView} />
            ))}
        </section>
      ))}
    </>
  );
}

function SettingCard({ setting }: { setting: SettingView }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const t = useDict(adminDict);
  const [draft, setDraft] = useState<unknown>(setting.value);
  const [showHistory, setShowHistory] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  // reset the draft only when the stored value really changes: a refetch (another card was saved) returns an
  // equal but new object, and must not wipe what the admin is typing here
  const storedJson = JSON.stringify(setting.value);
  useEffect(() => setDraft(JSON.parse(storedJson) as unknown), [storedJson]);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.settings.pathKey() });
  const save = useMutation(
    trpc.settings.set.mutationOptions({
      onSuccess: async () => {
        setSavedAt(Date.now());
        await invalidate();
      },
    }),
  );
  const texts = useDict(settingsDict);
  const testId = `setting-${setting.key}`;
  const dirty = JSON.stringify(draft) !== JSON.stringify(setting.value);
  const schema = setting.jsonSchema as JsonSchema;
  const errors = useMemo(() => collectErrors(schema, draft, texts.editor), [schema, draft, texts]);
  const ctx: FieldContext = { settingKey: setting.key, testId, secret: setting.secret, dict: texts, errors };
  const text = texts.settings[setting.key];
  return (
    <div className="card" data-testid={testId}>
      <div className="card-head">
        <strong data-testid={`${testId}-label`}>{text?.label ?? setting.key}</strong>
        <span className="muted" data-testid={`${testId}-version`}>
          {t.version} {setting.version}
        </span>
      </div>
      <p className="muted">
        {text?.help ?? setting.description} <code className="small">{setting.key}</code>
      </p>
      {setting.secret ? <p className="muted">{t.secretNote}</p> : null}
      {setting.error ? <p className="error">{setting.error}</p> : null}
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ key: setting.key, value: draft, expectedVersion: setting.version });
        }}
      >
        <SchemaField schema={schema} value={draft} onChange={setDraft} path={[]} ctx={ctx} />
        {dirty && errors.size > 0 ? (
          <p className="error" data-testid={`${testId}-invalid`}>
            {texts.editor.fixErrors}
          </p>
        ) : null}
        {save.error ? (
          <p className="error" role="alert" data-testid={`${testId}-error`}>
            {save.error.message}
          </p>
        ) : null}
        <div className="admin-row">
          <button
            type="submit"
            disabled={!dirty || errors.size > 0 || save.isPending}
            data-testid={`${testId}-save`}
          >
            {t.save}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!dirty}
            onClick={() => setDraft(setting.value)}
          >
            {t.reset}
          </button>
          <button type="button" className="secondary" onClick={() => setShowHistory((v) => !v)}>
            {t.history}
          </button>
          {savedAt && !dirty ? (
            <span className="ok-note" data-testid={`${testId}-saved`}>
              {t.saved}
            </span>
          ) : null}
        </div>
      </form>
      {showHistory ? <SettingHistory settingKey={setting.key} onRolledBack={invalidate} /> : null}
    </div>
  );
}

function SettingHistory({
  settingKey,
  onRolledBack,
}: {
  settingKey: string;
  onRolledBack: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const t = useDict(adminDict);
  const { lang } = usePrefs();
  const history = useQuery(trpc.settings.history.queryOptions({ key: settingKey }));
  const rollback = useMutation(trpc.settings.rollback.mutationOptions({ onSuccess: onRolledBack }));
  if (!history.data) return null;
  if (history.data.length === 0) return <p className="muted">{t.noEntries}</p>;
  return (
    <table>
      <tbody>
        {history.data.map((h, i) => (
          <tr key={h.version}>
            <td>
              {t.version} {h.version}
            </td>
            <td className="hide-sm">{formatDateTime(h.createdAt, lang)}</td>
            <td>{h.createdBy}</td>
            <td>
              <pre>{JSON.stringify(h.value, null, 1)}</pre>
            </td>
            <td>
              {i > 0 ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => rollback.mutate({ key: settingKey, version: h.version })}
                >
                  {t.rollback}
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
