import { type RunningServices, startAll } from '@investiq/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The hostile-input suite against the four inference services, started for real (default models, one
// process, ports picked by the OS). Every case answers its 4xx with a JSON error; after each case the
// service's /health still answers (and a batched service's queue is empty again: nothing left behind);
// after each service's batch, every service answers /health.
//
// When the services require a bearer token (INFERENCE_TOKEN), pass it in START_OPTIONS and in AUTH: every
// request below sends AUTH, so the cases keep testing validation rather than the token check.
const START_OPTIONS = {
  ports: { llm: 0, sentiment: 0, timeseries: 0, 'cpu-timeseries': 0 },
  logLevel: 'silent',
  cpu: { workers: 1 },
  // an upstream on a closed port: the llm service validates requests before it would call it
  llm: { upstreamUrl: 'http://127.0.0.1:9/v1' },
} as const;
const AUTH: Record<string, string> = {};

type Service = 'llm' | 'sentiment' | 'timeseries' | 'cpu-timeseries';
interface InferenceCase {
  name: string;
  service: Service;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  /** Text the error message (or code) must contain. */
  message?: string;
}

const ROUTES: [Service, string, unknown][] = [
  ['sentiment', '/v1/sentiment', { texts: ['profit beats expectations'] }],
  ['timeseries', '/v1/forecast', { series: [Array.from({ length: 64 }, (_, i) => 10 + Math.sin(i))] }],
  [
    'cpu-timeseries',
    '/v1/indicators',
    { bars: [{ open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 }], specs: [{ kind: 'obv' }] },
  ],
  [
    'cpu-timeseries',
    '/v1/arima',
    { series: Array.from({ length: 30 }, (_, i) => i + Math.sin(i)), maxP: 1, maxQ: 1, maxD: 1, horizon: 5 },
  ],
  [
    'cpu-timeseries',
    '/v1/garch',
    { returns: Array.from({ length: 60 }, (_, i) => Math.sin(i) / 100), horizon: 5 },
  ],
  ['llm', '/v1/chat/completions', { messages: [{ role: 'user', content: 'hi' }] }],
];

const JSON_CT = { 'content-type': 'application/json' };
const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** The same hostile bodies against every POST route. */
const GENERIC: InferenceCase[] = ROUTES.flatMap(([service, path, valid]) => {
  const c = (
    name: string,
    body: string | undefined,
    status: number,
    headers: Record<string, string> = JSON_CT,
    message?: string,
  ): InferenceCase => ({
    name: `${service} ${path}: ${name}`,
    service,
    method: 'POST',
    path,
    headers,
    body,
    status,
    message,
  });
  const text = JSON.stringify(valid);
  return [
    c('text/plain', text, 415, { 'content-type': 'text/plain' }, 'unsupported_media_type'),
    c(
      'a form post',
      'a=1',
      415,
      { 'content-type': 'application/x-www-form-urlencoded' },
      'unsupported_media_type',
    ),
    c('application/xml', '<a/>', 415, { 'content-type': 'application/xml' }, 'unsupported_media_type'),
    c('invalid JSON', '{"a":', 400, JSON_CT, 'invalid_json'),
    c('empty body', '', 400, JSON_CT, 'invalid_json'),
    c('body null', 'null', 400),
    c('body an array', '[]', 400),
    c('body a number', '1', 400),
    c('body nested 10 000 deep', nested(10_000), 400),
    c('a __proto__ key', text.replace(/^\{/, '{"__proto__":{"polluted":true},'), 400),
    c('constructor.prototype', text.replace(/^\{/, '{"constructor":{"prototype":{"polluted":true}},'), 400),
    c('2 MiB body', JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }), 413, JSON_CT, 'payload_too_large'),
    c('NaN token', text.replace(/^\{/, '{"x":NaN,'), 400, JSON_CT, 'invalid_json'),
    c('Infinity token', text.replace(/^\{/, '{"x":Infinity,'), 400, JSON_CT, 'invalid_json'),
    { name: `${service} ${path}: GET on a POST route`, service, path, status: 404 },
  ];
});

const req = (
  service: Service,
  path: string,
  body: unknown,
  status: number,
  message?: string,
  name?: string,
): InferenceCase => ({
  name: `${service} ${path}: ${name ?? short(body)}`,
  service,
  method: 'POST',
  path,
  headers: JSON_CT,
  body: JSON.stringify(body),
  status,
  message,
});
/** A case name from its body, long arrays shown by length. */
const short = (body: unknown) =>
  JSON.stringify(body, (_k, v: unknown) =>
    Array.isArray(v) && v.length > 3 ? `[${v.length} items]` : v,
  ).slice(0, 160);
const series = (n: number, v: (i: number) => unknown = (i) => 10 + Math.sin(i)) =>
  Array.from({ length: n }, (_, i) => v(i));
const bar = { open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 };

const SPECIFIC: InferenceCase[] = [
  // sentiment
  req('sentiment', '/v1/sentiment', { texts: [] }, 400, 'at least one text'),
  req('sentiment', '/v1/sentiment', { texts: [''] }, 400, 'must not be empty'),
  req('sentiment', '/v1/sentiment', { texts: [123] }, 400),
  req('sentiment', '/v1/sentiment', { texts: 'NaN' }, 400),
  req('sentiment', '/v1/sentiment', { texts: null }, 400),
  req(
    'sentiment',
    '/v1/sentiment',
    { texts: Array.from({ length: 257 }, () => 'x') },
    400,
    'too many texts',
    '257 texts',
  ),
  req(
    'sentiment',
    '/v1/sentiment',
    { texts: ['x'.repeat(2001)] },
    400,
    'at most 2000 characters',
    'a 2001-character text',
  ),
  req('sentiment', '/v1/sentiment', { texts: ['ok'], lang: 'fr' }, 400, 'lang'),
  req('sentiment', '/v1/sentiment', { texts: [{ toString: 'x' }] }, 400),
  // forecast
  req('timeseries', '/v1/forecast', { series: [[]] }, 400),
  req('timeseries', '/v1/forecast', { series: [['NaN']] }, 400),
  req('timeseries', '/v1/forecast', { series: [[null, 1, 2]] }, 400),
  req(
    'timeseries',
    '/v1/forecast',
    { series: [series(64, () => 'Infinity')] },
    400,
    undefined,
    'Infinity strings',
  ),
  req('timeseries', '/v1/forecast', { series: [[1, 2, 3]] }, 400, 'needs at least'),
  req('timeseries', '/v1/forecast', { series: [series(64)], horizon: 0 }, 400, 'horizon'),
  req('timeseries', '/v1/forecast', { series: [series(64)], horizon: 1e9 }, 400, 'horizon'),
  req('timeseries', '/v1/forecast', { series: [series(64)], horizon: 1.5 }, 400, 'horizon'),
  req(
    'timeseries',
    '/v1/forecast',
    { series: Array.from({ length: 65 }, () => series(64)) },
    400,
    'too many series',
    '65 series',
  ),
  req(
    'timeseries',
    '/v1/forecast',
    { series: [series(10_001)] },
    400,
    'at most 10000 points',
    '10 001 points',
  ),
  req('timeseries', '/v1/forecast', { series: 'x' }, 400),
  // indicators
  req('cpu-timeseries', '/v1/indicators', { bars: [], specs: [{ kind: 'obv' }] }, 400, 'at least one bar'),
  req('cpu-timeseries', '/v1/indicators', { bars: [bar], specs: [] }, 400, 'at least one indicator'),
  req('cpu-timeseries', '/v1/indicators', { bars: [bar], specs: [{ kind: 'bogus' }] }, 400),
  req(
    'cpu-timeseries',
    '/v1/indicators',
    { bars: [bar], specs: [{ kind: 'sma', period: 0 }] },
    400,
    'at least 1',
  ),
  req(
    'cpu-timeseries',
    '/v1/indicators',
    { bars: [bar], specs: [{ kind: 'sma', period: 1e6 }] },
    400,
    'at most 1000',
  ),
  req(
    'cpu-timeseries',
    '/v1/indicators',
    { bars: [{ ...bar, close: 'NaN' }], specs: [{ kind: 'obv' }] },
    400,
  ),
  req(
    'cpu-timeseries',
    '/v1/indicators',
    { bars: [bar], specs: Array.from({ length: 33 }, () => ({ kind: 'obv' })) },
    400,
    'at most 32',
    '33 specs',
  ),
  req(
    'cpu-timeseries',
    '/v1/indicators',
    { bars: Array.from({ length: 20_001 }, () => bar), specs: [{ kind: 'obv' }] },
    413,
    undefined,
    '20 001 bars (over the body limit)',
  ),
  req('cpu-timeseries', '/v1/indicators', { bars: [bar], specs: [{ kind: '__proto__' }] }, 400),
  // arima
  req('cpu-timeseries', '/v1/arima', { series: series(19) }, 400, 'at least 20 points', '19 points'),
  req('cpu-timeseries', '/v1/arima', { series: series(30), horizon: 5, maxP: 99 }, 400, 'maxP', 'maxP 99'),
  req('cpu-timeseries', '/v1/arima', { series: series(30), horizon: 5, maxD: 3 }, 400, 'maxD', 'maxD 3'),
  req(
    'cpu-timeseries',
    '/v1/arima',
    { series: series(30, () => 'Infinity') },
    400,
    undefined,
    'Infinity strings',
  ),
  req('cpu-timeseries', '/v1/arima', { series: series(30), horizon: 366 }, 400, 'horizon', 'horizon 366'),
  req('cpu-timeseries', '/v1/arima', { series: series(30) }, 400, 'horizon', 'no horizon'),
  req(
    'cpu-timeseries',
    '/v1/arima',
    { series: series(30), horizon: 5, levels: [2] },
    400,
    undefined,
    'a level of 2',
  ),
  // garch
  req('cpu-timeseries', '/v1/garch', { returns: series(49) }, 400, 'at least 50 returns', '49 returns'),
  req('cpu-timeseries', '/v1/garch', { returns: series(60, () => 'NaN') }, 400, undefined, 'NaN strings'),
  req('cpu-timeseries', '/v1/garch', { returns: 'x' }, 400),
  req('cpu-timeseries', '/v1/garch', { returns: series(60), horizon: 0 }, 400, 'horizon', 'horizon 0'),
  // llm (validated before the upstream is asked, so no upstream is needed)
  req('llm', '/v1/chat/completions', { messages: 'hi' }, 400),
  req('llm', '/v1/chat/completions', { messages: [{ role: 'root', content: 'x' }] }, 400),
  req('llm', '/v1/chat/completions', {}, 400),
  // routes
  { name: 'sentiment: unknown route', service: 'sentiment', path: '/v1/nothing', status: 404 },
  { name: 'timeseries: path traversal', service: 'timeseries', path: '/v1/../../etc/passwd', status: 404 },
  {
    // fastify decodes the path: this is /v1/arima, and the empty request is refused
    name: 'cpu-timeseries: encoded route',
    service: 'cpu-timeseries',
    method: 'POST',
    path: '/v1/%61rima',
    headers: JSON_CT,
    body: '{}',
    status: 400,
  },
  { name: 'llm: DELETE', service: 'llm', method: 'DELETE', path: '/v1/chat/completions', status: 404 },
];

const CASES = [...GENERIC, ...SPECIFIC];

let services: RunningServices;
beforeAll(async () => {
  services = await startAll(START_OPTIONS);
});
afterAll(async () => {
  await services?.close();
});

async function healthy(service: Service): Promise<{ queue?: { depth: number } }> {
  const res = await fetch(`${services.urls[service]}/health`, {
    headers: AUTH,
    signal: AbortSignal.timeout(15_000),
  });
  // llm without an upstream answers 200 "unconfigured"; the others 200 "ok"
  expect(res.status, `${service} /health`).toBe(200);
  return (await res.json()) as { queue?: { depth: number } };
}

describe('hostile input against the inference services', () => {
  it('has at least 100 cases with unique names', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const service of ['sentiment', 'timeseries', 'cpu-timeseries', 'llm'] as const) {
    describe(service, () => {
      const mine = CASES.filter((c) => c.service === service);
      it.each(mine.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
        const res = await fetch(services.urls[service] + c.path, {
          method: c.method ?? 'GET',
          headers: { ...AUTH, ...c.headers },
          body: c.body,
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        expect(res.status, `${c.method ?? 'GET'} ${c.path} → ${res.status} ${text.slice(0, 300)}`).toBe(
          c.status,
        );
        const err = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
        expect(err, 'a JSON error body').toBeDefined();
        if (c.message) expect(`${err?.code} ${err?.message}`).toContain(c.message);
        const h = await healthy(service);
        if (h.queue) expect(h.queue.depth).toBe(0);
      });
      it('every service is healthy after the batch', async () => {
        for (const s of ['sentiment', 'timeseries', 'cpu-timeseries', 'llm'] as const) await healthy(s);
      });
    });
  }
});
