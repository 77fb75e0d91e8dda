/**
 * `@investiq/client`: the typed tRPC client for scripts and services that talk to an InvestIQ server with an
 * API token (Node ≥ 20). Queries and mutations go batched over HTTP, subscriptions (quotes.live,
 * reports.progress) over SSE. The router type is imported as a type only: no server code runs here.
 * Live quotes for many readers: `streamQuotes` (the server's shared quote stream, with freshness answers).
 */
import type { AppRouter } from '@investiq/api';
import type { TLatestQuote, TMarket } from '@investiq/contracts';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { EventSource } from 'eventsource';

export type { AppRouter } from '@investiq/api';
export type { ReportStatus, ReportView, SectionView, TReportModule } from '@investiq/api/reports';
export type {
  TBar,
  TLatestQuote,
  TMarket,
  TPricedLatestQuote,
  TQuote,
  TSymbolInfo,
} from '@investiq/contracts';
export { TRPCClientError } from '@trpc/client';

/** Inputs and outputs of every procedure, e.g. `RouterOutputs['quotes']['latest']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type InvestIQClient = TRPCClient<AppRouter>;

/** The server refuses batches of more than 64 calls (MAX_TRPC_BATCH in @investiq/api/http). */
const MAX_BATCH = 64;

export interface InvestIQClientOptions {
  /** Where the server answers, e.g. `http://localhost:3000` (the tRPC endpoint is `<baseUrl>/api/trpc`). */
  baseUrl: string;
  /** An API token (`npm run token:create` or Admin → API tokens), sent as `Authorization: Bearer …`. */
  token: string;
  /** A fetch to use instead of the global one (proxies, tracing, tests). */
  fetch?: typeof globalThis.fetch;
}

/** Trims a trailing slash and checks the URL up front, so a typo fails here rather than on the first call. */
function apiBase(baseUrl: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute http(s) URL, got '${baseUrl}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new TypeError(`baseUrl must be an http(s) URL, got '${baseUrl}'`);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export function createInvestIQClient(opts: InvestIQClientOptions): InvestIQClient {
  const token = opts.token.trim();
  if (!token) throw new TypeError('token is required (create one with `npm run token:create`)');
  const url = `${apiBase(opts.baseUrl)}/api/trpc`;
  const authorization = `Bearer ${token}`;
  const baseFetch = opts.fetch ?? globalThis.fetch;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Node has no EventSource of its own; the `eventsource` package sends the token through its fetch
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => {
              const headers = new Headers(init?.headers);
              headers.set('authorization', authorization);
              return baseFetch(input, { ...init, headers });
            },
          },
        }),
        false: httpBatchLink({
          url,
          maxItems: MAX_BATCH,
          fetch: baseFetch,
          headers: () => ({ authorization }),
        }),
      }),
    ],
  });
}

export interface QuoteStreamOptions extends InvestIQClientOptions {
  /** The symbols to follow (at most 200); empty or absent: every quote the server ingests. */
  symbols?: readonly { market: TMarket; symbol: string }[];
  /** The freshness window to judge by (default: the server's setting). */
  maxAgeSeconds?: number;
  /** Each event: the server's freshness answers (first the current state of `symbols`, then each batch). */
  onAnswers(answers: TLatestQuote[]): void;
  /** The server refused the stream (bad symbol, token, too many streams) or it dropped; it reconnects by itself unless closed. */
  onError?(err: Error): void;
}

/**
 * Follow `GET /api/v1/quotes/stream` (docs/market-data.md): one event per ingested batch with the freshness
 * answer of each wanted symbol (a stale one carries no price). After a dropped connection EventSource
 * reconnects and the first event is the current state again. Returns the function that closes the stream.
 */
export function streamQuotes(opts: QuoteStreamOptions): { close(): void } {
  const token = opts.token.trim();
  if (!token) throw new TypeError('token is required (create one with `npm run token:create`)');
  const url = new URL(`${apiBase(opts.baseUrl)}/api/v1/quotes/stream`);
  if (opts.symbols?.length)
    url.searchParams.set('symbols', opts.symbols.map((s) => `${s.market}:${s.symbol}`).join(','));
  if (opts.maxAgeSeconds !== undefined) url.searchParams.set('max_age_seconds', String(opts.maxAgeSeconds));
  const baseFetch = opts.fetch ?? globalThis.fetch;
  const es = new EventSource(url, {
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token}`);
      return baseFetch(input, { ...init, headers });
    },
  });
  es.addEventListener('quotes', (ev) => opts.onAnswers(JSON.parse(ev.data) as TLatestQuote[]));
  es.addEventListener('error', (ev) => {
    const code = (ev as { code?: number }).code;
    opts.onError?.(
      new Error(`quote stream ${code ? `refused: HTTP ${code}` : 'interrupted'}: ${ev.message ?? ''}`.trim()),
    );
  });
  return { close: () => es.close() };
}
