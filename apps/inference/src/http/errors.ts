import type { z } from 'zod';

/** An error that knows its HTTP status and stable code; the error handler renders `{error: {...}}`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new HttpError(400, 'invalid_request', message, details);

export const modelNotLoaded = (service: string, reason?: string) =>
  new HttpError(
    503,
    'model_not_loaded',
    `${service} model not loaded${reason ? `: ${reason}` : ' yet; retry shortly'}`,
    undefined,
    { 'retry-after': '5' },
  );

export const queueFull = (message: string) =>
  new HttpError(429, 'queue_full', message, undefined, { 'retry-after': '1' });

/** `series[2][5]`, `texts[0]`, `specs[1].period`: the path of an issue as a reader writes it. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Parses `value` with `schema` or throws a 400 whose message names the first bad field's path. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 10).map((i) => {
    const path = formatPath(i.path);
    return { path, message: path ? `${path}: ${i.message}` : i.message };
  });
  const first = issues[0]?.message ?? 'invalid request body';
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw badRequest(`${first}${more}`, { issues });
}
