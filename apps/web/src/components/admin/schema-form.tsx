'use client';

/** The subset of JSON Schema (from zod's toJSONSchema) the settings forms render as fields. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  minimum?: number;
  maximum?: number;
  description?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A form for one setting value, driven by its JSON Schema: objects become fieldsets, enums selects,
 * booleans checkboxes, numbers and strings inputs; anything else (arrays, unions) a JSON text area.
 */
export function SchemaField({
  schema,
  value,
  onChange,
  path,
  testId,
  secret,
}: {
  schema: JsonSchema;
  value: unknown;
  onChange: (v: unknown) => void;
  path: string[];
  testId: string;
  secret: boolean;
}) {
  const id = `${testId}-${path.join('.')}`;
  const label = path[path.length - 1] ?? '';
  if (schema.enum?.every((e) => typeof e === 'string')) {
    return (
      <label>
        {label}
        <select value={String(value)} onChange={(e) => onChange(e.target.value)} data-testid={id}>
          {(schema.enum as string[]).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
    );
  }
  if (schema.type === 'object' && schema.properties && isObject(value)) {
    const inner = (
      <>
        {Object.entries(schema.properties).map(([k, sub]) => (
          <SchemaField
            key={k}
            schema={sub}
            value={value[k]}
            onChange={(v) => onChange({ ...value, [k]: v })}
            path={[...path, k]}
            testId={testId}
            secret={secret}
          />
        ))}
      </>
    );
    return path.length === 0 ? (
      inner
    ) : (
      <fieldset>
        <legend>{label}</legend>
        {inner}
      </fieldset>
    );
  }
  if (schema.type === 'boolean' && typeof value === 'boolean') {
    return (
      <label className="admin-row">
        <input
          type="checkbox"
          checked={value}
          onChange={(e) => onChange(e.target.checked)}
          data-testid={id}
        />
        {label}
      </label>
    );
  }
  if (
    (schema.type === 'number' || schema.type === 'integer') &&
    (typeof value === 'number' || value === '')
  ) {
    return (
      <label>
        {label}
        <input
          type="number"
          value={value === '' ? '' : String(value)}
          min={schema.minimum}
          max={schema.maximum}
          step={schema.type === 'integer' ? 1 : 'any'}
          onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))}
          data-testid={id}
        />
      </label>
    );
  }
  if (schema.type === 'string' && typeof value === 'string') {
    return (
      <label>
        {label}
        <input
          value={value}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
          data-testid={id}
          data-secret={secret ? 'true' : undefined}
        />
      </label>
    );
  }
  return <JsonField label={label} value={value} onChange={onChange} testId={id} />;
}

function JsonField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: unknown;
  onChange: (v: unknown) => void;
  testId: string;
}) {
  const text = JSON.stringify(value, null, 2);
  return (
    <label>
      {label} (JSON)
      <textarea
        rows={Math.min(16, text.split('\n').length + 1)}
        defaultValue={text}
        spellCheck={false}
        onChange={(e) => {
          try {
            onChange(JSON.parse(e.target.value));
          } catch {
            // keep the last valid value until the JSON parses again
          }
        }}
        data-testid={testId}
      />
    </label>
  );
}
