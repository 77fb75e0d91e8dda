import { ProviderError } from '../provider';
import type { VendorOptions } from './types';

/**
 * The minimal HTTP piece the CN adapters (Tushare, Tencent) need: one request with a deadline, the
 * status mapped onto a `ProviderError` kind, the body decoded with the vendor's charset. Written here
 * because the shared `http.ts` (branch `vus`) was not committed yet; fold into it when both are merged.
 */
export const DEFAULT_TIMEOUT_MS = 8000;

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

export async function requestText(
  provider: string,
  opts: VendorOptions,
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; charset?: string },
): Promise<RawResponse> {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let res: Response;
  let bytes: ArrayBuffer;
  try {
    res = await doFetch(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
      signal: controller.signal,
    });
    bytes = await res.arrayBuffer();
  } catch (err) {
    if (controller.signal.aborted) {
      throw new ProviderError(provider, 'timeout', `no answer within ${timeoutMs} ms`, { cause: err });
    }
    throw new ProviderError(provider, 'unavailable', `request failed: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
  }
  const contentType = res.headers.get('content-type') ?? '';
  const charset = init.charset ?? /charset=([\w-]+)/i.exec(contentType)?.[1] ?? 'utf-8';
  // Invalid byte sequences become U+FFFD instead of failing the whole batch; callers validate fields.
  const text = new TextDecoder(charset.toLowerCase()).decode(bytes);
  if (!res.ok) throw statusError(provider, res.status, res.headers.get('retry-after'), text);
  return { status: res.status, contentType, text };
}

function statusError(
  provider: string,
  status: number,
  retryAfter: string | null,
  text: string,
): ProviderError {
  const snippet = text.replace(/\s+/g, ' ').slice(0, 120);
  const retryAfterSeconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  if (status === 401) return new ProviderError(provider, 'unauthorized', `HTTP 401: ${snippet}`);
  if (status === 403) return new ProviderError(provider, 'forbidden', `HTTP 403: ${snippet}`);
  if (status === 404) return new ProviderError(provider, 'not_found', `HTTP 404: ${snippet}`);
  if (status === 429)
    return new ProviderError(provider, 'rate_limited', `HTTP 429: ${snippet}`, { retryAfterSeconds });
  if (status >= 500)
    return new ProviderError(provider, 'unavailable', `HTTP ${status}: ${snippet}`, { retryAfterSeconds });
  return new ProviderError(provider, 'invalid_request', `HTTP ${status}: ${snippet}`);
}

/** True when a body that should be data is an HTML page (a maintenance or login page). */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html|<\?xml|<head|<body)/i.test(text);
}
