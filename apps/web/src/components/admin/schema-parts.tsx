'use client';
import type { ReactNode } from 'react';
import { fieldText, type SettingsDict } from '~/lib/i18n/settings';
import type { JsonSchema } from './schema-validate';

/** What every field of one setting's form shares. */
export interface FieldContext {
  settingKey: string;
  /** data-testid prefix: `setting-<key>`; a field's id is `<prefix>-<path joined by '.'>`. */
  testId: string;
  secret: boolean;
  dict: SettingsDict;
  /** Problems of the current draft by path ('' = the whole value), from collectErrors. */
  errors: Map<string, string>;
}

/** The props of every field component: the schema at `path`, the draft value there, and how to change it. */
export interface FieldProps<V = unknown> {
  schema: JsonSchema;
  value: V;
  onChange: (v: unknown) => void;
  path: string[];
  ctx: FieldContext;
}

export const fieldId = (ctx: FieldContext, path: readonly string[]) =>
  `${ctx.testId}-${path.join('.') || 'value'}`;

/** The field's label and help in the UI language (key names only where the dictionary has none). */
export function labelOf(ctx: FieldContext, path: readonly string[]) {
  const text = fieldText(ctx.dict, ctx.settingKey, path);
  return { label: text?.label ?? path[path.length - 1] ?? '', help: text?.help, options: text?.options };
}

/** Label, input, help line and the inline error, wired for screen readers. */
export function FieldShell({
  ctx,
  path,
  children,
  inline,
}: {
  ctx: FieldContext;
  path: readonly string[];
  children: (a11y: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
  inline?: boolean;
}) {
  const id = fieldId(ctx, path);
  const { label, help } = labelOf(ctx, path);
  const error = ctx.errors.get(path.join('.'));
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const a11y = {
    id,
    ...(error ? { 'aria-invalid': true as const } : {}),
    ...(described ? { 'aria-describedby': described } : {}),
  };
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      {inline ? (
        <label className="admin-row" htmlFor={id}>
          {children(a11y)}
          {label}
        </label>
      ) : (
        <>
          <label htmlFor={id}>{label}</label>
          {children(a11y)}
        </>
      )}
      <FieldNotes id={id} help={help} error={error} />
    </div>
  );
}

/** The help line and the inline error under a field or a group (ids `<id>-help`, `<id>-error`). */
export function FieldNotes({ id, help, error }: { id: string; help?: string; error?: string }) {
  return (
    <>
      {help ? (
        <small className="muted field-help" id={`${id}-help`}>
          {help}
        </small>
      ) : null}
      {error ? (
        <small className="error field-error" id={`${id}-error`} role="alert" data-testid={`${id}-error`}>
          {error}
        </small>
      ) : null}
    </>
  );
}

export function NumberInput({
  schema,
  value,
  onChange,
  a11y,
}: {
  schema: JsonSchema;
  value: number | '';
  onChange: (v: unknown) => void;
  a11y: { id: string };
}) {
  return (
    <input
      {...a11y}
      type="number"
      inputMode={schema.type === 'integer' ? 'numeric' : 'decimal'}
      value={value === '' ? '' : String(value)}
      min={schema.minimum}
      max={schema.maximum}
      step={schema.type === 'integer' ? 1 : 'any'}
      onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))}
      data-testid={a11y.id}
    />
  );
}
