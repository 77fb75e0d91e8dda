'use client';
import { ListField, RecordField } from './schema-collections';
import { type FieldProps, FieldShell, labelOf, NumberInput } from './schema-parts';
import { isObject, isRecord, isScalarList } from './schema-validate';

export type { FieldContext } from './schema-parts';
export type { JsonSchema } from './schema-validate';

/**
 * A form for one setting value, driven by its JSON Schema: objects become fieldsets, enums selects with
 * labelled options, booleans checkboxes, numbers number inputs, lists of numbers or names list editors, maps
 * (provider → URL, provider → budget, module → on) key/value editors. Anything else (unions) stays JSON text.
 */
export function SchemaField({ schema, value, onChange, path, ctx }: FieldProps) {
  if (schema.enum?.every((e) => typeof e === 'string')) {
    const { options } = labelOf(ctx, path);
    return (
      <FieldShell ctx={ctx} path={path}>
        {(a11y) => (
          <select
            {...a11y}
            value={String(value)}
            onChange={(e) => onChange(e.target.value)}
            data-testid={a11y.id}
          >
            {(schema.enum as string[]).map((o) => (
              <option key={o} value={o}>
                {options?.[o] ?? o}
              </option>
            ))}
          </select>
        )}
      </FieldShell>
    );
  }
  if (schema.type === 'object' && schema.properties && isObject(value)) {
    const inner = Object.entries(schema.properties).map(([k, sub]) => (
      <SchemaField
        key={k}
        schema={sub}
        value={value[k]}
        onChange={(v) => onChange({ ...value, [k]: v })}
        path={[...path, k]}
        ctx={ctx}
      />
    ));
    if (path.length === 0) return <>{inner}</>;
    const { label, help } = labelOf(ctx, path);
    return (
      <fieldset>
        <legend>{label}</legend>
        {help ? <small className="muted field-help">{help}</small> : null}
        {inner}
      </fieldset>
    );
  }
  if (isRecord(schema) && (isObject(value) || value === undefined)) {
    return (
      <RecordField
        schema={schema}
        value={value ?? {}}
        onChange={onChange}
        path={path}
        ctx={ctx}
        Entry={SchemaField}
      />
    );
  }
  if (isScalarList(schema) && Array.isArray(value)) {
    return <ListField schema={schema} value={value} onChange={onChange} path={path} ctx={ctx} />;
  }
  if (schema.type === 'boolean' && typeof value === 'boolean') {
    return (
      <FieldShell ctx={ctx} path={path} inline>
        {(a11y) => (
          <input
            {...a11y}
            type="checkbox"
            checked={value}
            onChange={(e) => onChange(e.target.checked)}
            data-testid={a11y.id}
          />
        )}
      </FieldShell>
    );
  }
  if (
    (schema.type === 'number' || schema.type === 'integer') &&
    (typeof value === 'number' || value === '')
  ) {
    return (
      <FieldShell ctx={ctx} path={path}>
        {(a11y) => <NumberInput schema={schema} value={value} onChange={onChange} a11y={a11y} />}
      </FieldShell>
    );
  }
  if (schema.type === 'string' && typeof value === 'string') {
    return (
      <FieldShell ctx={ctx} path={path}>
        {(a11y) => (
          <input
            {...a11y}
            value={value}
            type={schema.format === 'uri' ? 'url' : 'text'}
            maxLength={schema.maxLength}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => onChange(e.target.value)}
            data-testid={a11y.id}
            data-secret={ctx.secret ? 'true' : undefined}
          />
        )}
      </FieldShell>
    );
  }
  return <JsonField value={value} onChange={onChange} path={path} ctx={ctx} />;
}

function JsonField({ value, onChange, path, ctx }: Omit<FieldProps, 'schema'>) {
  const text = JSON.stringify(value, null, 2);
  return (
    <FieldShell ctx={ctx} path={path}>
      {(a11y) => (
        <textarea
          {...a11y}
          rows={Math.min(16, text.split('\n').length + 1)}
          defaultValue={text}
          spellCheck={false}
          onChange={(e) => {
            try {
              onChange(JSON.parse(e.target.value));
              e.target.setCustomValidity('');
            } catch {
              // keep the last valid value until the JSON parses again
              e.target.setCustomValidity(ctx.dict.editor.invalidJson);
            }
          }}
          data-testid={a11y.id}
        />
      )}
    </FieldShell>
  );
}
