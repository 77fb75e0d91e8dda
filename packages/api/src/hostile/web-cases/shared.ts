import type { HostileCase } from '../harness';
import { trpcGet } from '../harness';

/** The ingest endpoint (REST). */
export const INGEST = '/api/v1/market-data/quotes';
export const JSON_CT: Record<string, string> = { 'content-type': 'application/json' };

export const q = (
  name: string,
  proc: string,
  input: unknown,
  status: number,
  message?: string | RegExp,
  as: HostileCase['as'] = 'admin',
): HostileCase => ({
  name: `query ${proc}: ${name}`,
  path: trpcGet(proc, input),
  as,
  headers: { 'sec-fetch-site': 'same-origin' },
  status,
  message,
});
export const m = (
  name: string,
  proc: string,
  input: unknown,
  status: number,
  message?: string | RegExp,
  as: HostileCase['as'] = 'admin',
  headers: Record<string, string> = {},
): HostileCase => ({
  name: `mutation ${proc}: ${name}`,
  method: 'POST',
  path: `/api/trpc/${proc}`,
  as,
  headers: { ...JSON_CT, 'sec-fetch-site': 'same-origin', ...headers },
  body: typeof input === 'string' ? input : JSON.stringify(input),
  status,
  message,
});
export const sub = (
  name: string,
  proc: string,
  input: unknown,
  status: number,
  message?: string | RegExp,
  as: HostileCase['as'] = 'viewer',
): HostileCase => ({
  name: `subscription ${proc}: ${name}`,
  path: trpcGet(proc, input),
  as,
  headers: { accept: 'text/event-stream', 'sec-fetch-site': 'same-origin' },
  status,
  message,
});
export const UUID0 = '00000000-0000-4000-8000-000000000000';
export const AAPL = { market: 'US', symbol: 'AAPL' };
