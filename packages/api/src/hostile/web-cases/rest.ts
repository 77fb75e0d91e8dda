import { type HostileCase, nested } from '../harness';
import { INGEST, JSON_CT } from './shared';

const latest = (sym: string, query = 'market=US') => `/api/v1/market-data/quotes/${sym}?${query}`;
const get = (
  name: string,
  path: string,
  status: number,
  message?: string | RegExp,
  as: HostileCase['as'] = 'viewer',
): HostileCase => ({
  name,
  path,
  as,
  status,
  message,
});

export const REST_CASES: HostileCase[] = [
  ...[
    ['%', 'a lone %'],
    ['%E0%A4%A', 'a truncated UTF-8 escape'],
    ['%zz', 'a non-hex escape'],
    ['AAPL%', 'a trailing %'],
    ['%C0%AF', 'an overlong UTF-8 slash'],
    ['%FF', 'an invalid UTF-8 byte'],
    ['%00', 'NUL'],
    ['%0A', 'a newline'],
    ['%2F', 'an encoded slash'],
    ['..%2F..%2Fetc', 'a path'],
    ['%27%20OR%201%3D1', 'SQL'],
    ['%F0%9D%94%B8', 'an astral letter'],
    ['%EF%BC%A1APL', 'a full-width letter'],
    ['A'.repeat(2000), '2 000 characters'],
    ['%25', 'an encoded %'],
    ['%2561', 'a double-encoded a'],
    ['%3Cscript%3E', 'HTML'],
  ].map(([sym, why]) => get(`latest: symbol ${why}`, latest(sym!), 400, /symbol/)),
  get('latest: unknown symbol', latest('ZZZZ'), 404, 'unknown symbol'),
  ...[
    ['market=EU', 'market'],
    ['market=us', 'market'],
    ['market=', 'market'],
    ['market=US%00', 'market'],
    ['market=__proto__', 'market'],
    ['', 'market'],
    ['market[]=US', 'market'],
  ].map(([q, msg]) => get(`latest: query ${JSON.stringify(q)}`, latest('AAPL', q), 400, msg)),
  ...[
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '-1',
    '0',
    '1.5',
    '99999999999',
    '0x10',
    '',
    '%20',
    '1%00',
    'abc',
  ].map((v) =>
    get(
      `latest: max_age_seconds=${v}`,
      latest('AAPL', `market=US&max_age_seconds=${v}`),
      400,
      'max_age_seconds',
    ),
  ),
  get('latest: no credentials', latest('AAPL'), 401, 'missing API token', 'anonymous'),
  // routes and methods
  ...['PUT', 'DELETE', 'PATCH'].flatMap((method) => [
    { name: `${method} on ingest`, method, path: INGEST, as: 'analystToken' as const, status: 405 },
    { name: `${method} on latest`, method, path: latest('AAPL'), as: 'viewer' as const, status: 405 },
  ]),
  {
    name: 'POST on latest (JSON)',
    method: 'POST',
    path: latest('AAPL'),
    as: 'viewer',
    headers: JSON_CT,
    body: '{}',
    status: 405,
  },
  {
    name: 'POST on health (JSON)',
    method: 'POST',
    path: '/api/health',
    headers: JSON_CT,
    body: '{}',
    status: 405,
  },
  { name: 'GET on login', path: '/api/auth/login', status: 405 },
  ...['/api/v2/quotes', '/api/v1/market-data/quotes/AAPL/extra', '/api/', '/api/v1/market-data/nothing'].map(
    (path) => get(`unknown API path ${path}`, path, 404),
  ),
];

const login = (
  name: string,
  body: string,
  status: number,
  message?: string,
  headers = JSON_CT,
): HostileCase => ({
  name: `login: ${name}`,
  method: 'POST',
  path: '/api/auth/login',
  headers,
  body,
  status,
  message,
});

export const AUTH_CASES: HostileCase[] = [
  login('not JSON', 'username=a&password=b', 400, 'not valid JSON'),
  login('an array', '[]', 400),
  login('null', 'null', 400),
  login('username a number', '{"username":1,"password":"x"}', 400, 'username'),
  login('username missing', '{"password":"x"}', 400, 'username'),
  login('password missing', '{"username":"a"}', 400, 'password'),
  login(
    '__proto__ carrying the fields',
    '{"__proto__":{"username":"hadmin","password":"x"}}',
    400,
    'username',
  ),
  login('constructor carrying the fields', '{"constructor":{"prototype":{"username":"a"}}}', 400, 'username'),
  login('a 10k username', JSON.stringify({ username: 'a'.repeat(10_000), password: 'x' }), 400, 'username'),
  login(
    'a 300-character password',
    JSON.stringify({ username: 'a', password: 'p'.repeat(300) }),
    400,
    'password',
  ),
  login('nested 5 000 deep', nested(5_000), 400),
  login('nested 10 000 deep (over the 16 KiB limit)', nested(10_000), 413),
  login('a 64 KiB body', JSON.stringify({ username: 'a', password: 'x', pad: 'y'.repeat(64 * 1024) }), 413),
  login('text/plain', '{"username":"a","password":"b"}', 415, undefined, { 'content-type': 'text/plain' }),
  login('a form post', 'username=a&password=b', 415, undefined, {
    'content-type': 'application/x-www-form-urlencoded',
  }),
  login('cross-site', '{"username":"a","password":"b"}', 403, 'cross-site', {
    ...JSON_CT,
    'sec-fetch-site': 'cross-site',
  }),
  {
    name: 'setup after users exist',
    method: 'POST',
    path: '/api/auth/setup',
    headers: JSON_CT,
    body: JSON.stringify({ token: 'x', username: 'mallory', password: 'long-enough-pw' }),
    status: 409,
    message: 'setup is already done',
  },
  {
    name: 'setup with a 1 KiB token',
    method: 'POST',
    path: '/api/auth/setup',
    headers: JSON_CT,
    body: JSON.stringify({ token: 't'.repeat(1024), username: 'mallory', password: 'long-enough-pw' }),
    status: 400,
  },
];

/** Paths of pages: malformed escapes answer 400 before any page renders. */
export const PAGE_CASES: HostileCase[] = [
  '/symbol/US/%E0%A4%A',
  '/symbol/US/%',
  '/symbol/%zz/AAPL',
  '/%C0%AF',
  '/reports/%FF%FE',
  '/admin/%',
  '/%00admin',
  '/login%0a',
].map((path) => ({
  name: `page ${path}`,
  path,
  as: 'viewer' as const,
  status: 400,
  message: 'malformed request path',
}));
