import type { HostileCase } from './harness';
import { TRPC_MUTATION_CASES } from './web-cases/trpc-mutations';
import { TRPC_QUERY_CASES } from './web-cases/trpc-queries';

// Hostile requests against the web process, as data. Each case names the answer it must get (always 4xx);
// the runner (web.test.ts) also checks that nothing was written and that the process still answers.
// By topic: web-cases/ingest.ts, rest.ts (REST reads, sign-in, page paths), trpc-queries.ts, trpc-mutations.ts.

export { INGEST_CASES } from './web-cases/ingest';
export { AUTH_CASES, PAGE_CASES, REST_CASES } from './web-cases/rest';

export const TRPC_CASES: HostileCase[] = [...TRPC_QUERY_CASES, ...TRPC_MUTATION_CASES];

// the cross-site subscription case above must not carry the same-origin label
const crossSub = TRPC_CASES.find((c) => c.name === 'subscription quotes.live: quotes.live cross-site')!;
crossSub.headers = { accept: 'text/event-stream', 'sec-fetch-site': 'cross-site' };
const crossPreview = TRPC_CASES.find(
  (c) => c.name === 'query prompts.preview: cross-site with the admin cookie',
)!;
crossPreview.headers = { 'sec-fetch-site': 'cross-site' };
const overGet = TRPC_CASES.find((c) => c.name === 'mutation collector.pause: mutation over GET')!;
overGet.method = 'GET';
overGet.body = undefined;
overGet.headers = { 'sec-fetch-site': 'same-origin' };
