'use client';
import { type ComponentType, type ReactNode, useState } from 'react';
import {
  type FieldContext,
  FieldNotes,
  type FieldProps,
  fieldId,
  labelOf,
  NumberInput,
} from './schema-parts';
import { checkKey, emptyValue, type JsonSchema } from './schema-validate';

/** Group heading, help and the group's own error (e.g. "at least 1 entry") around a list or map editor. */
function Group({ ctx, path, children }: { ctx: FieldContext; path: string[]; children: ReactNode }) {
  const id = fieldId(ctx, path);
  const { label, help } = labelOf(ctx, path);
  const error = ctx.errors.get(path.join('.'));
  return (
    <fieldset className={`field list-editor${error ? ' field-invalid' : ''}`} aria-describedby={`${id}-help`}>
      <legend id={`${id}-label`}>{label}</legend>
      {children}
      <FieldNotes id={id} help={help} error={error} />
    </fieldset>
  );
}

/** An ordered list of numbers or names: one input per entry, move up/down, remove, add. */
export function ListField({ schema, value, onChange, path, ctx }: FieldProps<unknown[]>) {
  const e = ctx.dict.editor;
  const id = fieldId(ctx, path);
  const { label } = labelOf(ctx, path);
  const item = schema.items as JsonSchema;
  const numeric = item.type === 'number' || item.type === 'integer';
  const set = (i: number, v: unknown) => onChange(value.map((x, j) => (j === i ? v : x)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...value];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    onChange(next);
  };
  const full = schema.maxItems !== undefined && value.length >= schema.maxItems;
  return (
    <Group ctx={ctx} path={path}>
      {value.length === 0 ? <p className="muted small">{e.empty}</p> : null}
      <ol className="list-rows" data-testid={id}>
        {value.map((v, i) => {
          const itemId = `${id}-${i}`;
          const error = ctx.errors.get([...path, String(i)].join('.'));
          const a11y = {
            id: itemId,
            'aria-label': `${label} ${i + 1}`,
            ...(error ? { 'aria-invalid': true as const, 'aria-describedby': `${itemId}-error` } : {}),
          };
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: entries are plain values that may repeat; the position is the identity
            <li key={i} className="list-row">
              {numeric ? (
                <NumberInput schema={item} value={v as number | ''} onChange={(x) => set(i, x)} a11y={a11y} />
              ) : (
                <input
                  {...a11y}
                  value={String(v)}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={item.maxLength}
                  onChange={(ev) => set(i, ev.target.value)}
                  data-testid={itemId}
                />
              )}
              {(
                [
                  [-1, '↑', e.moveUp, 'up'],
                  [1, '↓', e.moveDown, 'down'],
                ] as const
              ).map(([by, glyph, text, name]) => (
                <button
                  key={name}
                  type="button"
                  className="secondary icon"
                  aria-label={`${text}: ${label} ${i + 1}`}
                  title={text}
                  disabled={by < 0 ? i === 0 : i === value.length - 1}
                  onClick={() => move(i, by)}
                  data-testid={`${itemId}-${name}`}
                >
                  {glyph}
                </button>
              ))}
              <button
                type="button"
                className="secondary icon"
                aria-label={`${e.remove}: ${label} ${i + 1}`}
                title={e.remove}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
                data-testid={`${itemId}-remove`}
              >
                ✕
              </button>
              {error ? (
                <small className="error field-error" id={`${itemId}-error`} data-testid={`${itemId}-error`}>
                  {error}
                </small>
              ) : null}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="secondary"
        disabled={full}
        onClick={() => onChange([...value, numeric ? '' : emptyValue(item)])}
        data-testid={`${id}-add`}
      >
        + {e.add}
      </button>
    </Group>
  );
}

/**
 * A map. Keys from an enum (report modules → on/off) are listed as fixed rows; free keys (provider id → URL or
 * budget) get remove buttons and a "name + Add" row that checks the name before adding it.
 */
export function RecordField({
  schema,
  value,
  onChange,
  path,
  ctx,
  Entry,
}: FieldProps<Record<string, unknown>> & {
  /** The field for one entry's value (SchemaField, passed in so the two modules do not import each other). */
  Entry: ComponentType<FieldProps>;
}) {
  const e = ctx.dict.editor;
  const id = fieldId(ctx, path);
  const entry = schema.additionalProperties as JsonSchema;
  const fixed = schema.propertyNames?.enum as string[] | undefined;
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  if (fixed && entry.type === 'boolean') {
    const { options } = labelOf(ctx, path);
    // a module not listed is on: only `false` turns it off
    return (
      <Group ctx={ctx} path={path}>
        <div data-testid={id}>
          {fixed.map((k) => (
            <label key={k} className="admin-row" htmlFor={`${id}.${k}`}>
              <input
                id={`${id}.${k}`}
                type="checkbox"
                checked={value[k] !== false}
                onChange={(ev) => onChange({ ...value, [k]: ev.target.checked })}
                data-testid={`${id}.${k}`}
              />
              {options?.[k] ?? k}
            </label>
          ))}
        </div>
      </Group>
    );
  }
  const keys = Object.keys(value);
  const add = () => {
    const key = name.trim();
    const bad = checkKey(schema, key, [...keys, key], e);
    if (bad) return setNameError(bad);
    onChange({ ...value, [key]: emptyValue(entry) });
    setName('');
    setNameError(null);
  };
  return (
    <Group ctx={ctx} path={path}>
      {keys.length === 0 ? <p className="muted small">{e.empty}</p> : null}
      <div data-testid={id}>
        {keys.map((k) => {
          const rest = () => Object.fromEntries(Object.entries(value).filter(([x]) => x !== k));
          return (
            <div key={k} className="record-row">
              <Entry
                schema={entry}
                value={value[k]}
                onChange={(v) => onChange({ ...value, [k]: v })}
                path={[...path, k]}
                ctx={ctx}
              />
              <button
                type="button"
                className="secondary"
                onClick={() => onChange(rest())}
                data-testid={`${fieldId(ctx, [...path, k])}-remove`}
              >
                {e.remove}
              </button>
            </div>
          );
        })}
      </div>
      <div className="admin-row">
        <input
          value={name}
          placeholder={e.key}
          aria-label={e.key}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={nameError ? true : undefined}
          onChange={(ev) => {
            setName(ev.target.value);
            setNameError(null);
          }}
          onKeyDown={(ev) => {
            if (ev.key === 'Enter') {
              ev.preventDefault();
              add();
            }
          }}
          data-testid={`${id}-new-key`}
        />
        <button type="button" className="secondary" onClick={add} data-testid={`${id}-add`}>
          + {e.add}
        </button>
      </div>
      {nameError ? (
        <small className="error field-error" role="alert" data-testid={`${id}-new-key-error`}>
          {nameError}
        </small>
      ) : null}
    </Group>
  );
}
