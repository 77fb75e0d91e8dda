import type { EditorText } from '~/lib/i18n/settings';

/** The subset of JSON Schema (zod's toJSONSchema output) the settings forms render and check. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  maxLength?: number;
  format?: string;
  default?: unknown;
  description?: string;
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A record (`z.record`): an object whose keys are free names (or an enum) rather than fixed properties. */
export function isRecord(s: JsonSchema): boolean {
  return s.type === 'object' && !s.properties && typeof s.additionalProperties === 'object';
}

export function isScalarList(s: JsonSchema): boolean {
  const t = s.items?.type;
  return s.type === 'array' && (t === 'string' || t === 'number' || t === 'integer') && !s.items?.enum;
}

/** What a new list item or record entry starts as. */
export function emptyValue(s: JsonSchema | undefined): unknown {
  if (!s) return '';
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.enum?.length) return s.enum[0];
  switch (s.type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, sub]) => [k, emptyValue(sub)]));
    case 'array':
      return [];
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
    default:
      return '';
  }
}

/** The message for one scalar value (a number, a string) against its schema, or null when it is fine. */
export function checkScalar(s: JsonSchema, v: unknown, e: EditorText): string | null {
  if (s.type === 'number' || s.type === 'integer') {
    if (v === '' || v === undefined || v === null) return e.required;
    if (typeof v !== 'number' || !Number.isFinite(v)) return e.notANumber;
    if (s.type === 'integer' && !Number.isInteger(v)) return e.integer;
    if (s.minimum !== undefined && v < s.minimum) return e.min(s.minimum);
    if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) return e.greaterThan(s.exclusiveMinimum);
    if (s.maximum !== undefined && v > s.maximum) return e.max(s.maximum);
    if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) return e.max(s.exclusiveMaximum);
    return null;
  }
  if (s.type === 'string' && typeof v === 'string') {
    if (s.maxLength !== undefined && v.length > s.maxLength) return e.tooLong(s.maxLength);
    if (s.format === 'uri' && !isUrl(v)) return e.url;
    if (s.pattern && !new RegExp(s.pattern).test(v)) return e.pattern;
  }
  return null;
}

function isUrl(v: string): boolean {
  try {
    return /^[a-z][a-z0-9+.-]*:$/i.test(new URL(v).protocol);
  } catch {
    return false;
  }
}

/** The message for a list's length, or null. */
export function checkList(s: JsonSchema, v: unknown[], e: EditorText): string | null {
  if (s.minItems !== undefined && v.length < s.minItems) return e.minItems(s.minItems);
  if (s.maxItems !== undefined && v.length > s.maxItems) return e.maxItems(s.maxItems);
  return null;
}

/** The message for a record's key, or null. */
export function checkKey(s: JsonSchema, key: string, keys: string[], e: EditorText): string | null {
  if (key === '') return e.emptyKey;
  if (keys.filter((k) => k === key).length > 1) return e.duplicateKey;
  const names = s.propertyNames;
  if (names?.pattern && !new RegExp(names.pattern).test(key)) return e.pattern;
  return null;
}

/**
 * Every problem in a whole value, as `path → message` (path joined with '.', '' for the value itself), so the
 * form can mark each field and keep Save disabled until none is left.
 */
export function collectErrors(
  s: JsonSchema,
  v: unknown,
  e: EditorText,
  path: string[] = [],
): Map<string, string> {
  const out = new Map<string, string>();
  const at = path.join('.');
  if (s.type === 'object' && s.properties && isObject(v)) {
    for (const [k, sub] of Object.entries(s.properties)) {
      if (v[k] === undefined) {
        if (s.required?.includes(k)) out.set([...path, k].join('.'), e.required);
        continue;
      }
      for (const [p, m] of collectErrors(sub, v[k], e, [...path, k])) out.set(p, m);
    }
  } else if (isRecord(s) && isObject(v)) {
    const keys = Object.keys(v);
    for (const k of keys) {
      const bad = checkKey(s, k, keys, e);
      if (bad) out.set([...path, k, '#key'].join('.'), bad);
      for (const [p, m] of collectErrors(s.additionalProperties as JsonSchema, v[k], e, [...path, k]))
        out.set(p, m);
    }
  } else if (s.type === 'array' && Array.isArray(v)) {
    const bad = checkList(s, v, e);
    if (bad) out.set(at, bad);
    const item = s.items;
    if (item)
      v.forEach((x, i) => {
        for (const [p, m] of collectErrors(item, x, e, [...path, String(i)])) out.set(p, m);
      });
  } else {
    const bad = checkScalar(s, v, e);
    if (bad) out.set(at, bad);
  }
  return out;
}
