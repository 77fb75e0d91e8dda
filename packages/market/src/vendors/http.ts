import type { z } from 'zod';
import { ProviderError, type ProviderErrorKind } from '../provider';

/**
 * The one HTTP path of every vendor adapter: a timeout on the whole exchange (headers and body), HTTP
 * statuses mapped onto `ProviderError` kinds, bodies that are not what they claim (an HTML maintenance
 * page, truncated JSON, a wrong shape) rejected as `bad_response` with a short excerpt, and no secret in
 * any message.
 */
export interface VendorHttpOptions {
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch | undefined;
  /** Whole-request timeout (connect, headers and body); default 8 s. Exceeding it → kind `timeout`. */
  timeoutMs?: number | undefined;
  /** Caller's own cancellation, combined with the timeout. */
  signal?: AbortSignal | undefined;
  method?: 'GET' | 'POST' | undefined;
  headers?: Record<string, string> | undefined;
  /** Appended to the URL's search params (undefined values are skipped). */
  query?: Record<string, string | number | undefined> | undefined;
  /** Request body (POST); a non-string is sent as JSON with `content-type: application/json`. */
  body?: unknown;
  /** Decode the body with this charset (any WHATWG label: 'utf-8', 'gbk', 'gb18030', 'big5'); default utf-8. */
  charset?: string | undefined;
  /** Bodies larger than this are `bad_response` (default 32 MiB; Finnhub's US symbol list is ~10 MiB). */
  maxBytes?: number | undefined;
  /**
   * Vendor-specific reading of a non-2xx response, tried before the generic status mapping; return
   * undefined to fall back to it (e.g. a vendor that answers 400 for "quota spent").
   */
  classifyError?: ((res: VendorErrorResponse) => ProviderError | undefined) | undefined;
  /** Strings (API keys) to blank out of every error message, besides token-like query params. */
  secrets?: readonly (string | undefined)[] | undefined;
  /** Clock for Retry-After dates and X-Ratelimit-Reset (tests). */
  now?: (() => Date) | undefined;
}

export interface VendorErrorResponse {
  status: number;
  headers: Headers;
  /** The decoded body (may be HTML, JSON or empty). */
  text: string;
  /** Short, secret-free description of the request for messages (`GET https://host/path?symbol=AAPL`). */
  what: string;
}

export interface VendorJsonOptions<T> extends VendorHttpOptions {
  /** Validates the parsed body; a mismatch is `bad_response` naming the first failing field. */
  schema?: z.ZodType<T> | undefined;
}

export const DEFAULT_TIMEOUT_MS = 8_000;
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const EXCERPT_CHARS = 120;
const SECRET_PARAM = /token|key|secret|sig|password|auth/i;

/** Fetches `url` and returns its body decoded as text (2xx only; every failure is a `ProviderError`). */
export async function vendorFetchText(
  provider: string,
  url: string,
  opts: VendorHttpOptions = {},
): Promise<string> {
  return (await exchange(provider, url, opts)).text;
}

/** Fetches `url`, parses the body as JSON and (when `schema` is given) validates its shape. */
export async function vendorFetchJson<T = unknown>(
  provider: string,
  url: string,
  opts: VendorJsonOptions<T> = {},
): Promise<T> {
  const { text, what, contentType } = await exchange(provider, url, opts);
  const data = parseJsonBody(provider, text, what, contentType, opts.secrets);
  return opts.schema ? validateShape(provider, opts.schema, data, what) : (data as T);
}

/** Parses a body that must be JSON; anything else (HTML, empty, truncated) is `bad_response`. */
export function parseJsonBody(
  provider: string,
  text: string,
  what: string,
  contentType = '',
  secrets?: readonly (string | undefined)[],
): unknown {
  const trimmed = text.trim();
  if (trimmed === '')
    throw new ProviderError(provider, 'bad_response', `${what}: empty body where JSON was expected`);
  if (trimmed.startsWith('<')) {
    throw new ProviderError(
      provider,
      'bad_response',
      `${what}: non-JSON body (${contentType || 'no content-type'}): ${excerpt(trimmed, secrets)}`,
    );
  }
  try {
    return JSON.parse(trimmed);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ProviderError(
      provider,
      'bad_response',
      `${what}: malformed JSON (${reason}): ${excerpt(trimmed, secrets)}`,
      { cause },
    );
  }
}

/** Validates `data` against `schema`; the error names the first failing field path (`chart.result[0].meta`). */
export function validateShape<T>(provider: string, schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? formatPath(issue.path) : '(root)';
  throw new ProviderError(
    provider,
    'bad_response',
    `${what}: unexpected response shape at ${field}: ${issue?.message ?? 'invalid'}`,
    { cause: parsed.error },
  );
}

/** The generic status → kind mapping (exported so adapters that read error envelopes can reuse it). */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'invalid_request';
  return 'bad_response';
}

/**
 * Seconds to wait from `Retry-After` (delta-seconds or an HTTP date), else from `X-Ratelimit-Reset`
 * (epoch seconds, as Finnhub sends it). Undefined when neither is usable.
 */
export function parseRetryAfter(headers: Headers, now: Date = new Date()): number | undefined {
  const ra = headers.get('retry-after')?.trim();
  if (ra) {
    if (/^\d+$/.test(ra)) return Number(ra);
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d{9,11}$/.test(reset)) {
    const secs = Number(reset) - Math.floor(now.getTime() / 1000);
    if (secs >= 0 && secs <= 24 * 3600) return secs;
  }
  return undefined;
}

/** A one-line, secret-free excerpt of a body for error messages. */
export function excerpt(text: string, secrets?: readonly (string | undefined)[]): string {
  const oneLine = redact(text.replace(/\s+/g, ' ').trim(), secrets);
  return oneLine.length > EXCERPT_CHARS ? `${oneLine.slice(0, EXCERPT_CHARS)}…` : oneLine;
}

/** The vendor's own error text, when the body is a JSON envelope like `{"error": "..."}`. */
export function vendorErrorText(text: string): string | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object') {
      for (const k of ['error', 'message', 'msg', 'description']) {
        const m = (v as Record<string, unknown>)[k];
        if (typeof m === 'string' && m) return m;
        if (m && typeof m === 'object') {
          const d = (m as Record<string, unknown>).description ?? (m as Record<string, unknown>).message;
          if (typeof d === 'string' && d) return d;
        }
      }
    }
  } catch {
    // not JSON: the caller falls back to an excerpt
  }
  return undefined;
}

interface Exchanged {
  text: string;
  what: string;
  contentType: string;
}

async function exchange(provider: string, rawUrl: string, opts: VendorHttpOptions): Promise<Exchanged> {
  const url = new URL(rawUrl);
  for (const [k, v] of Object.entries(opts.query ?? {}))
    if (v !== undefined) url.searchParams.set(k, String(v));
  const method = opts.method ?? 'GET';
  const what = `${method} ${describeUrl(url, opts.secrets)}`;
  // Construct the decoder first: an unknown charset is a programming error, not a vendor failure.
  const decoder = new TextDecoder(opts.charset ?? 'utf-8');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json, text/plain, */*', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
    if (typeof opts.body !== 'string' && !hasType) headers['content-type'] = 'application/json';
  }
  const doFetch = opts.fetch ?? fetch;

  let res: Response;
  let bytes: Uint8Array;
  try {
    res = await doFetch(url, { method, headers, body, signal, redirect: 'follow' });
    const declared = Number(res.headers.get('content-length') ?? 'NaN');
    const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    if (declared > max) {
      await res.body?.cancel().catch(() => undefined);
      throw new ProviderError(provider, 'bad_response', `${what}: body of ${declared} bytes exceeds ${max}`);
    }
    bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.byteLength > max) {
      throw new ProviderError(
        provider,
        'bad_response',
        `${what}: body of ${bytes.byteLength} bytes exceeds ${max}`,
      );
    }
  } catch (cause) {
    if (cause instanceof ProviderError) throw cause;
    if (timeout.aborted) {
      throw new ProviderError(provider, 'timeout', `${what}: no complete answer within ${timeoutMs} ms`, {
        cause,
      });
    }
    if (opts.signal?.aborted) throw cause; // the caller cancelled: not a vendor failure
    const reason = networkReason(cause);
    throw new ProviderError(provider, 'unavailable', `${what}: network error (${reason})`, { cause });
  }

  const text = decoder.decode(bytes);
  const contentType = res.headers.get('content-type') ?? '';
  if (res.status >= 200 && res.status < 300) return { text, what, contentType };

  const errRes: VendorErrorResponse = { status: res.status, headers: res.headers, text, what };
  const custom = opts.classifyError?.(errRes);
  if (custom) throw custom;
  const kind = kindForStatus(res.status);
  const own = vendorErrorText(text) ?? text;
  const detail = own.trim() ? excerpt(own, opts.secrets) : 'empty body';
  const retryAfterSeconds = kind === 'rate_limited' ? parseRetryAfter(res.headers, opts.now?.()) : undefined;
  throw new ProviderError(provider, kind, `${what}: HTTP ${res.status}: ${detail}`, {
    retryAfterSeconds,
  });
}

function describeUrl(url: URL, secrets?: readonly (string | undefined)[]): string {
  const shown = new URL(url);
  for (const k of [...shown.searchParams.keys()]) if (SECRET_PARAM.test(k)) shown.searchParams.set(k, '***');
  return redact(shown.toString(), secrets);
}

function redact(text: string, secrets?: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets ?? []) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function networkReason(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    if (inner && typeof inner === 'object' && 'code' in inner)
      return String((inner as { code: unknown }).code);
    return cause.message;
  }
  return String(cause);
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
