import { type HostileCase, nested, trpcGet } from './harness';

// Hostile requests against the web process, as data. Each case names the answer it must get (always 4xx);
// the runner (web.test.ts) also checks that nothing was written and that the process still answers.

const JSON_CT: Record<string, string> = { 'content-type': 'application/json' };
const INGEST = '/api/v1/market-data/quotes';
const recent = () => new Date(Date.now() - 5_000).toISOString();

/** One ingest row as raw JSON with one field's raw JSON text replaced (so NaN, 1e309 etc. can be sent). */
function rowWith(field: string, raw: string | undefined): string {
  const fields: Record<string, string> = {
    market: '"US"',
    symbol: '"AAPL"',
    ts: JSON.stringify(recent()),
    price: '190.5',
  };
  if (raw === undefined) delete fields[field];
  else fields[field] = raw;
  return `{${Object.entries(fields)
    .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
    .join(',')}}`;
}
const batch = (...rows: string[]) => `{"quotes":[${rows.join(',')}]}`;
const ingest = (
  name: string,
  body: string | Buffer,
  status: number,
  message?: string | RegExp,
  over: Partial<HostileCase> = {},
): HostileCase => ({
  name: `ingest: ${name}`,
  method: 'POST',
  path: INGEST,
  as: 'analystToken',
  headers: JSON_CT,
  body,
  status,
  message,
  ...over,
});
/** A bad value in one field of row 1 (row 0 is valid): 400 naming row 1 and that field. */
const badField = (field: string, raw: string | undefined, why: string) =>
  ingest(`${field} = ${why}`, batch(rowWith('price', '1'), rowWith(field, raw)), 400, `quotes[1].${field}`);

const NUMBER_ATTACKS: [string, string][] = [
  ['"NaN"', 'the string NaN'],
  ['"Infinity"', 'the string Infinity'],
  ['"-Infinity"', 'the string -Infinity'],
  ['"1e309"', 'the string 1e309'],
  ['1e309', '1e309 (parses to Infinity)'],
  ['-1e309', '-1e309'],
  ['-1', 'negative'],
  ['0', 'zero'],
  ['-0', 'minus zero'],
  ['1e15', '1e15 (numeric overflow)'],
  ['1e14', '1e14 (one past the column)'],
  ['1e-9', '1e-9 (would round to 0)'],
  ['5e-324', 'the smallest double'],
  ['1.1234567', 'seven decimals'],
  ['null', 'null'],
  ['true', 'true'],
  ['[]', 'an array'],
  ['{}', 'an object'],
  ['"12abc"', 'a numeric prefix string'],
  ['"0x10"', 'a hex string'],
  ['" 1 "', 'a padded numeric string'],
  ['"１２３"', 'full-width digits'],
  ['{"valueOf":1}', 'an object with valueOf'],
];

const TS_ATTACKS: [string, string][] = [
  ['""', 'empty'],
  ['"yesterday"', 'words'],
  ['"2026-13-01T00:00:00Z"', 'month 13'],
  ['"2026-02-30T00:00:00Z"', 'February 30'],
  ['"2026-11-21T25:00:00Z"', 'hour 25'],
  ['"2026-11-21T15:04:05"', 'no zone'],
  ['1732200000', 'epoch seconds'],
  ['"+275760-09-13T00:00:00Z"', 'the last representable date'],
  ['"2099-01-01T00:00:00Z"', 'far future'],
  ['"1970-01-01T00:00:00Z"', 'the epoch (beyond retention)'],
  ['"0000-01-01T00:00:00Z"', 'year zero'],
  [JSON.stringify(`2026-11-21T15:04:05Z${'0'.repeat(10_000)}`), '10k trailing digits'],
  ['null', 'null'],
  ['{"$date":"2026-11-21T15:04:05Z"}', 'a Mongo-style object'],
  ['"2026-11-21T15:04:05Z\\u0000"', 'a trailing NUL'],
];

const SYMBOL_ATTACKS: [string, string][] = [
  ['""', 'empty'],
  ['"   "', 'spaces'],
  ['"AA\\tPL"', 'a TAB (COPY delimiter)'],
  ['"AA\\nPL"', 'a newline (COPY row separator)'],
  ['"AA\\\\PL"', 'a backslash (COPY escape)'],
  ['"\\u0000"', 'NUL'],
  ['"../../etc/passwd"', 'a path'],
  ['"\' OR 1=1 --"', 'SQL'],
  ['"𝔸𝔸𝔸"', 'astral letters'],
  ['"ＡＡＰＬ"', 'full-width letters'],
  ['"\\u202eLPAA"', 'a right-to-left override'],
  ['"AAPLAAPLAAPLAAPLX"', '17 characters'],
  [JSON.stringify('A'.repeat(10_000)), '10k characters'],
  ['123', 'a number'],
  ['null', 'null'],
  ['["AAPL"]', 'an array'],
  ['"%41APL"', 'a percent escape'],
  ['"<script>"', 'HTML'],
  ['"600519.SH"', 'a CN symbol in the US market'],
];

const MARKET_ATTACKS: [string, string][] = [
  ['"EU"', 'unknown'],
  ['"us"', 'lower case'],
  ['""', 'empty'],
  ['1', 'a number'],
  ['null', 'null'],
  ['"__proto__"', '__proto__'],
  ['"constructor"', 'constructor'],
  ['"US\\u0000"', 'a trailing NUL'],
];

const VOLUME_ATTACKS: [string, string][] = [
  ['-1', 'negative'],
  ['1.5', 'fractional'],
  ['"100"', 'a string'],
  ['1e300', 'huge'],
  ['9007199254740993', 'beyond 2^53'],
  ['"NaN"', 'the string NaN'],
  ['true', 'true'],
];

const SOURCE_ATTACKS: [string, string][] = [
  ['"demo"', "the demo provider's name"],
  ['"collector"', 'another name'],
  ['""', 'empty'],
  ['"a b"', 'a space'],
  ['"ap\\ti"', 'a TAB'],
  ['"api.\\n"', 'a newline'],
  [JSON.stringify(`api.${'x'.repeat(40)}`), 'too long'],
  ['"api/../demo"', 'a path'],
  ['"API"', 'upper case'],
  ['7', 'a number'],
];

const OTHER_PRICE_FIELDS: [string, string, string][] = [
  ['open', '1e15', 'overflow'],
  ['open', '"NaN"', 'NaN string'],
  ['high', '1e-9', 'rounds to 0'],
  ['high', '-5', 'negative'],
  ['low', '"Infinity"', 'Infinity string'],
  ['low', '0', 'zero'],
  ['prevClose', '2e14', 'overflow'],
  ['prevClose', '1.0000001', 'seven decimals'],
];

export const INGEST_CASES: HostileCase[] = [
  ...NUMBER_ATTACKS.filter(([raw]) => !raw.startsWith('1e309') && !raw.startsWith('-1e309')).map(
    ([raw, why]) => badField('price', raw, why),
  ),
  ingest('price = 1e309 literal', batch(rowWith('price', '1e309')), 400, 'quotes[0].price'),
  ingest('price = -1e309 literal', batch(rowWith('price', '-1e309')), 400, 'quotes[0].price'),
  ingest('price = NaN token (not JSON)', batch(rowWith('price', 'NaN')), 400, 'body is not valid JSON'),
  ingest(
    'price = Infinity token (not JSON)',
    batch(rowWith('price', 'Infinity')),
    400,
    'body is not valid JSON',
  ),
  ingest('price missing', batch(rowWith('price', undefined)), 400, 'quotes[0].price'),
  ...TS_ATTACKS.map(([raw, why]) => badField('ts', raw, why)),
  ...SYMBOL_ATTACKS.map(([raw, why]) => badField('symbol', raw, why)),
  ...MARKET_ATTACKS.map(([raw, why]) => badField('market', raw, why)),
  ...VOLUME_ATTACKS.map(([raw, why]) => badField('volume', raw, why)),
  ...SOURCE_ATTACKS.map(([raw, why]) => badField('source', raw, why)),
  ...OTHER_PRICE_FIELDS.map(([f, raw, why]) => badField(f, raw, why)),
  ingest(
    'high < low',
    batch(`{"market":"US","symbol":"AAPL","ts":"${recent()}","price":5,"high":4,"low":6}`),
    400,
    'quotes[0].high',
  ),
  // prototype pollution and unknown keys: the row schema is strict
  ...['__proto__', 'constructor', 'prototype', 'toString', 'isAdmin'].map((k) =>
    ingest(
      `row with a "${k}" key`,
      batch(rowWith('price', '1').replace(/}$/, `,${JSON.stringify(k)}:{"polluted":true}}`)),
      400,
      'quotes[0]',
    ),
  ),
  ingest(
    'top-level "__proto__" holding the quotes',
    `{"__proto__":{"quotes":[${rowWith('price', '1')}]}}`,
    400,
    'body must be {"quotes"',
  ),
  ingest(
    '"constructor" holding the quotes',
    `{"constructor":{"quotes":[${rowWith('price', '1')}]}}`,
    400,
    'body must be {"quotes"',
  ),
  // shapes
  ingest('body null', 'null', 400, 'body must be'),
  ingest('body a number', '42', 400, 'body must be'),
  ingest('body a string', '"quotes"', 400, 'body must be'),
  ingest('body {}', '{}', 400, 'body must be'),
  ingest('quotes an object', '{"quotes":{}}', 400, 'body must be'),
  ingest('quotes a string', '{"quotes":"x"}', 400, 'body must be'),
  ingest('quotes empty', '{"quotes":[]}', 400, 'at least one row'),
  ingest('row null', '{"quotes":[null]}', 400, 'quotes[0]'),
  ingest('row a number', '{"quotes":[1]}', 400, 'quotes[0]'),
  ingest('row a string', '{"quotes":["AAPL,190"]}', 400, 'quotes[0]'),
  ingest('row an array', '{"quotes":[["US","AAPL"]]}', 400, 'quotes[0]'),
  ingest('row nested 1 000 deep', `{"quotes":[${nested(1000)}]}`, 400, 'quotes[0]'),
  ingest('body nested 100 000 deep', nested(100_000), 400),
  ingest('objects nested 50 000 deep', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`, 400),
  ingest('truncated JSON', '{"quotes":[{"market":"US"', 400, 'body is not valid JSON'),
  ingest('empty body', '', 400, 'body is not valid JSON'),
  ingest('trailing garbage', `${batch(rowWith('price', '1'))}xyz`, 400, 'body is not valid JSON'),
  ingest('single quotes', "{'quotes':[]}", 400, 'body is not valid JSON'),
  ingest('JSON with comments', `/* x */${batch(rowWith('price', '1'))}`, 400, 'body is not valid JSON'),
  // encodings
  ingest('UTF-8 BOM before the JSON', `\uFEFF${batch(rowWith('price', '1'))}`, 400, 'body is not valid JSON'),
  ingest(
    'UTF-16LE body',
    Buffer.from(batch(rowWith('price', '1')), 'utf16le'),
    400,
    'body is not valid JSON',
  ),
  ingest(
    'invalid UTF-8 bytes in the symbol',
    Buffer.concat([
      Buffer.from(`{"quotes":[{"market":"US","symbol":"AA`),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(`","ts":"${recent()}","price":1}]}`),
    ]),
    400,
    'quotes[0].symbol',
  ),
  ingest('gzip content-encoding on a plain body', batch(rowWith('price', '1')), 415, 'content-encoding', {
    headers: { ...JSON_CT, 'content-encoding': 'gzip' },
  }),
  ingest('br content-encoding', batch(rowWith('price', '1')), 415, 'content-encoding', {
    headers: { ...JSON_CT, 'content-encoding': 'br' },
  }),
  // content types
  ...[
    'text/csv',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/json-patch+json',
    'application/jsonx',
    '',
  ].map((ct) =>
    ingest(
      `content-type ${JSON.stringify(ct)}`,
      ct === 'text/csv'
        ? 'market,symbol,ts,price\nUS,AAPL,2026-11-21T15:04:05Z,1\n'
        : batch(rowWith('price', '1')),
      415,
      undefined,
      { headers: ct === '' ? {} : { 'content-type': ct } },
    ),
  ),
  // who may ingest
  ingest('no credentials', batch(rowWith('price', '1')), 401, 'missing API token', { as: 'anonymous' }),
  ingest('a viewer session', batch(rowWith('price', '1')), 403, undefined, { as: 'viewer' }),
  ingest('a forged token', batch(rowWith('price', '1')), 401, 'invalid', {
    headers: { ...JSON_CT, authorization: 'Bearer iq_forged' },
  }),
  ingest('a 10k-character token', batch(rowWith('price', '1')), 401, undefined, {
    headers: { ...JSON_CT, authorization: `Bearer ${'x'.repeat(10_000)}` },
  }),
  ingest('Basic auth', batch(rowWith('price', '1')), 401, undefined, {
    as: 'anonymous',
    headers: { ...JSON_CT, authorization: 'Basic YWRtaW46YWRtaW4=' },
  }),
  ingest('a cross-site browser POST', batch(rowWith('price', '1')), 403, 'cross-site', {
    headers: { ...JSON_CT, 'sec-fetch-site': 'cross-site' },
  }),
  ingest('a foreign Origin', batch(rowWith('price', '1')), 403, 'cross-site', {
    headers: { ...JSON_CT, origin: 'https://evil.example' },
  }),
  // sizes
  ingest(
    '10 001 rows',
    batch(...Array.from({ length: 10_001 }, () => rowWith('price', '1'))),
    413,
    'exceeds the limit of 10000 rows',
  ),
  ingest(
    '5 MiB of padding',
    `{"quotes":[],"pad":"${'x'.repeat(5 * 1024 * 1024)}"}`,
    413,
    'exceeds the limit',
  ),
  ingest('a declared Content-Length of 1 GB', 'x', 413, 'exceeds the limit', {
    headers: { ...JSON_CT, 'content-length': String(1024 ** 3) },
    body: undefined,
  }),
  ingest(
    'one valid row and one bad row: nothing of the batch is written',
    batch(rowWith('price', '1'), rowWith('price', '-1')),
    400,
    'nothing was written',
  ),
];

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

const q = (
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
const m = (
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
const sub = (
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
const UUID0 = '00000000-0000-4000-8000-000000000000';
const AAPL = { market: 'US', symbol: 'AAPL' };

export const TRPC_CASES: HostileCase[] = [
  // quotes.latest
  q('empty input', 'quotes.latest', {}, 400),
  q('market EU', 'quotes.latest', { market: 'EU', symbol: 'AAPL' }, 400, 'market'),
  q('17-character symbol', 'quotes.latest', { market: 'US', symbol: 'A'.repeat(17) }, 400, 'symbol'),
  q('10k symbol', 'quotes.latest', { market: 'US', symbol: 'A'.repeat(10_000) }, 400, 'symbol'),
  q('maxAgeSeconds "NaN"', 'quotes.latest', { ...AAPL, maxAgeSeconds: 'NaN' }, 400, 'maxAgeSeconds'),
  q('maxAgeSeconds -1', 'quotes.latest', { ...AAPL, maxAgeSeconds: -1 }, 400, 'maxAgeSeconds'),
  q('maxAgeSeconds 1.5', 'quotes.latest', { ...AAPL, maxAgeSeconds: 1.5 }, 400, 'maxAgeSeconds'),
  q('maxAgeSeconds 1e308', 'quotes.latest', { ...AAPL, maxAgeSeconds: 1e308 }, 400, 'maxAgeSeconds'),
  q('maxAgeSeconds a string', 'quotes.latest', { ...AAPL, maxAgeSeconds: '30' }, 400, 'maxAgeSeconds'),
  q('input not JSON', 'quotes.latest', '{market:', 400),
  q('input null', 'quotes.latest', 'null', 400),
  q('input nested 1 000 deep', 'quotes.latest', nested(1_000), 400),
  // a URL over Node's 16 KiB header limit is refused before any handler runs
  q('input nested 5 000 deep (URL too long)', 'quotes.latest', nested(5_000), 431),
  q(
    '__proto__ carrying market and symbol',
    'quotes.latest',
    '{"__proto__":{"market":"US","symbol":"AAPL"}}',
    400,
  ),
  q('symbol with NUL', 'quotes.latest', { market: 'US', symbol: 'AA\u0000PL' }, 400, 'symbol'),
  q('unknown symbol', 'quotes.latest', { market: 'US', symbol: 'ZZZZ' }, 404, 'unknown symbol'),
  q('anonymous', 'quotes.latest', AAPL, 401, undefined, 'anonymous'),
  // quotes.latestMany / history
  q('101 symbols', 'quotes.latestMany', { symbols: Array.from({ length: 101 }, () => AAPL) }, 400),
  q('symbols an object', 'quotes.latestMany', { symbols: { 0: AAPL } }, 400),
  q(
    'symbols with a bad one',
    'quotes.latestMany',
    { symbols: [AAPL, { market: 'US', symbol: '$$' }] },
    400,
    'symbol',
  ),
  q('interval 1s', 'quotes.history', { ...AAPL, interval: '1s' }, 400, 'interval'),
  q('limit 1e9', 'quotes.history', { ...AAPL, limit: 1e9 }, 400, 'limit'),
  q('limit -1', 'quotes.history', { ...AAPL, limit: -1 }, 400, 'limit'),
  q('limit "Infinity"', 'quotes.history', { ...AAPL, limit: 'Infinity' }, 400, 'limit'),
  // market.search
  q('65-character query', 'market.search', { query: 'x'.repeat(65) }, 400, 'query'),
  q('query null', 'market.search', { query: null }, 400, 'query'),
  q('limit 0', 'market.search', { query: 'a', limit: 0 }, 400, 'limit'),
  q('market __proto__', 'market.search', { query: 'a', market: '__proto__' }, 400, 'market'),
  // reports
  ...[
    'x',
    "'; DROP TABLE reports; --",
    'a'.repeat(10_000),
    '../../etc/passwd',
    '00000000-0000-0000-0000-00000000000g',
  ].flatMap((id) => [
    q(`get id ${JSON.stringify(id.slice(0, 30))}`, 'reports.get', { id }, 400, 'id must be a report id'),
    q(
      `markdown id ${JSON.stringify(id.slice(0, 30))}`,
      'reports.markdown',
      { id },
      400,
      'id must be a report id',
    ),
  ]),
  q('get unknown id', 'reports.get', { id: UUID0 }, 404),
  q('list limit 0', 'reports.list', { limit: 0 }, 400, 'limit'),
  q('list limit 201', 'reports.list', { limit: 201 }, 400, 'limit'),
  q('list before "yesterday"', 'reports.list', { before: 'yesterday' }, 400, 'before'),
  q('list status bogus', 'reports.list', { status: 'bogus' }, 400, 'status'),
  q('list symbol 17 characters', 'reports.list', { symbol: 'A'.repeat(17) }, 400, 'symbol'),
  q('trackRecord bad symbol', 'reports.trackRecord', { market: 'US', symbol: '$$$' }, 400, 'symbol'),
  // prompts.preview (admin, computes)
  // a URL over Node's 16 KiB header limit is refused before any handler runs
  q(
    'body over 20 000 characters (URL too long)',
    'prompts.preview',
    { body: 'x'.repeat(20_001), language: 'en', ...AAPL },
    431,
  ),
  q(
    'body of 4 000 spaces after {{ (regex bomb)',
    'prompts.preview',
    { body: `{{facts}}{{${' '.repeat(4000)}`, language: 'en', market: 'US', symbol: 'ZZZZ' },
    404,
    'unknown symbol',
  ),
  q('language fr', 'prompts.preview', { body: '{{facts}}', language: 'fr', ...AAPL }, 400, 'language'),
  q(
    'market EU',
    'prompts.preview',
    { body: '{{facts}}', language: 'en', market: 'EU', symbol: 'AAPL' },
    400,
    'market',
  ),
  q(
    'unknown symbol',
    'prompts.preview',
    { body: '{{facts}}', language: 'en', market: 'US', symbol: 'ZZZZ' },
    404,
  ),
  q(
    'as a viewer',
    'prompts.preview',
    { body: '{{facts}}', language: 'en', ...AAPL },
    403,
    undefined,
    'viewer',
  ),
  q(
    'cross-site with the admin cookie',
    'prompts.preview',
    { body: '{{facts}}', language: 'en', ...AAPL },
    403,
    'cross-site',
  ),
  // settings / audit / admin lists
  q('history of an unknown key', 'settings.history', { key: 'nope.nope' }, 404, 'unknown setting'),
  q('history of "__proto__"', 'settings.history', { key: '__proto__' }, 404, 'unknown setting'),
  q('history of "constructor"', 'settings.history', { key: 'constructor' }, 404, 'unknown setting'),
  q('history key 101 characters', 'settings.history', { key: 'k'.repeat(101) }, 400),
  q('history limit 1e6', 'settings.history', { key: 'ui.defaults', limit: 1e6 }, 400, 'limit'),
  q('audit since not a time', 'audit.list', { since: 'now' }, 400, 'since'),
  q('audit limit 501', 'audit.list', { limit: 501 }, 400, 'limit'),
  q('audit beforeId -1', 'audit.list', { beforeId: -1 }, 400, 'beforeId'),
  q('audit target 201 characters', 'audit.list', { target: 't'.repeat(201) }, 400, 'target'),
  q('users.list as a viewer', 'users.list', {}, 403, undefined, 'viewer'),
  q('tokens.list as an analyst', 'tokens.list', {}, 403, undefined, 'analyst'),
  q('settings.list anonymous', 'settings.list', {}, 401, undefined, 'anonymous'),
  q('unknown procedure', 'nope.nothing', {}, 404),
  q('prototype procedure', '__proto__.constructor', {}, 404),
  q('toString procedure', 'toString', {}, 404),
  {
    name: 'a batch of 65 calls',
    path: `/api/trpc/${Array.from({ length: 65 }, () => 'auth.me').join(',')}?batch=1&input=${encodeURIComponent('{}')}`,
    as: 'viewer',
    status: 400,
    message: 'Batch call exceeds maximum size',
  },
  // mutations
  m('mutation over GET', 'collector.pause', {}, 405, undefined, 'admin'),
  m(
    'users.create empty username',
    'users.create',
    { username: '', password: 'long-enough-pw', role: 'viewer' },
    400,
    'username',
  ),
  m(
    'users.create 65-character username',
    'users.create',
    { username: 'u'.repeat(65), password: 'long-enough-pw', role: 'viewer' },
    400,
    'username',
  ),
  m(
    'users.create username with a slash',
    'users.create',
    { username: '../root', password: 'long-enough-pw', role: 'viewer' },
    400,
    'username',
  ),
  m(
    'users.create 257-character password',
    'users.create',
    { username: 'mallory', password: 'p'.repeat(257), role: 'viewer' },
    400,
    'password',
  ),
  m(
    'users.create role root',
    'users.create',
    { username: 'mallory', password: 'long-enough-pw', role: 'root' },
    400,
    'role',
  ),
  m(
    'users.create role via __proto__',
    'users.create',
    '{"username":"mallory","password":"long-enough-pw","__proto__":{"role":"admin"}}',
    400,
    'role',
  ),
  m(
    'users.create as a viewer',
    'users.create',
    { username: 'mallory', password: 'long-enough-pw', role: 'admin' },
    403,
    undefined,
    'viewer',
  ),
  m('users.update id not a UUID', 'users.update', { id: 'x', role: 'admin' }, 400, 'id'),
  m('users.update unknown id', 'users.update', { id: UUID0, role: 'admin' }, 404),
  m('users.delete id SQL', 'users.delete', { id: "' OR 1=1 --" }, 400, 'id'),
  m('tokens.create empty name', 'tokens.create', { name: ' ', role: 'viewer' }, 400, 'name'),
  m(
    'tokens.create 65-character name',
    'tokens.create',
    { name: 'n'.repeat(65), role: 'viewer' },
    400,
    'name',
  ),
  m('tokens.create role bogus', 'tokens.create', { name: 'x', role: 'superuser' }, 400, 'role'),
  m(
    'tokens.create as an analyst token',
    'tokens.create',
    { name: 'x', role: 'admin' },
    403,
    undefined,
    'analystToken',
  ),
  m('tokens.revoke id not a UUID', 'tokens.revoke', { id: 'nope' }, 400, 'id'),
  m('tokens.revoke unknown id', 'tokens.revoke', { id: UUID0 }, 404),
  m('settings.set unknown key', 'settings.set', { key: 'nope.nope', value: 1 }, 404, 'unknown setting'),
  m('settings.set key "__proto__"', 'settings.set', { key: '__proto__', value: {} }, 404, 'unknown setting'),
  m(
    'settings.set key "constructor"',
    'settings.set',
    { key: 'constructor', value: {} },
    404,
    'unknown setting',
  ),
  m(
    'settings.set ui.defaults with __proto__',
    'settings.set',
    '{"key":"ui.defaults","value":{"__proto__":{"isAdmin":true},"language":"en","colorConvention":"market"}}',
    400,
  ),
  m(
    'settings.set ui.defaults extra key',
    'settings.set',
    { key: 'ui.defaults', value: { language: 'en', colorConvention: 'market', x: 1 } },
    400,
  ),
  m(
    'settings.set rate limits "NaN"',
    'settings.set',
    {
      key: 'security.rateLimits',
      value: {
        anonymousPerIpPerMinute: 'NaN',
        userPerMinute: 1,
        tokenPerMinute: 1,
        loginPerIpPer15Minutes: 1,
        loginPerUsernamePer15Minutes: 1,
      },
    },
    400,
  ),
  m(
    'settings.set rate limits 1e308',
    'settings.set',
    {
      key: 'security.rateLimits',
      value: {
        anonymousPerIpPerMinute: 1e308,
        userPerMinute: 1,
        tokenPerMinute: 1,
        loginPerIpPer15Minutes: 1,
        loginPerUsernamePer15Minutes: 1,
      },
    },
    400,
  ),
  m(
    'settings.set freshness negative',
    'settings.set',
    { key: 'quotes.freshness', value: { defaultMaxAgeSeconds: -1, retentionDays: 30 } },
    400,
  ),
  m(
    'settings.set sessions 0 hours',
    'settings.set',
    { key: 'security.sessions', value: { maxAgeHours: 0 } },
    400,
  ),
  m(
    'settings.set value nested 5 000 deep',
    'settings.set',
    `{"key":"ui.defaults","value":${nested(5_000)}}`,
    400,
  ),
  m(
    'settings.set expectedVersion -1',
    'settings.set',
    { key: 'ui.defaults', value: { language: 'en', colorConvention: 'market' }, expectedVersion: -1 },
    400,
  ),
  m('settings.rollback version 0', 'settings.rollback', { key: 'ui.defaults', version: 0 }, 400),
  m('settings.rollback version 999', 'settings.rollback', { key: 'ui.defaults', version: 999 }, 404),
  m(
    'prompts.create without {{facts}}',
    'prompts.create',
    { language: 'en', body: 'hello {{name}}' },
    400,
    '{{facts}}',
  ),
  m(
    'prompts.create {{constructor}}',
    'prompts.create',
    { language: 'en', body: '{{facts}} {{constructor}}' },
    400,
    'unknown placeholder',
  ),
  m(
    'prompts.create {{__proto__}}',
    'prompts.create',
    { language: 'en', body: '{{facts}} {{__proto__}}' },
    400,
    'unknown placeholder',
  ),
  m(
    'prompts.create regex bomb over the limit',
    'prompts.create',
    { language: 'en', body: `{{facts}}{{${' '.repeat(100_000)}` },
    400,
    'too long',
  ),
  m('prompts.create language xx', 'prompts.create', { language: 'xx', body: '{{facts}}' }, 400, 'language'),
  m(
    'prompts.create note 201 characters',
    'prompts.create',
    { language: 'en', body: '{{facts}}', note: 'n'.repeat(201) },
    400,
    'note',
  ),
  m('prompts.rollback version 0', 'prompts.rollback', { language: 'en', version: 0 }, 400),
  m('prompts.rollback version 999', 'prompts.rollback', { language: 'en', version: 999 }, 404),
  m('reports.create bad symbol', 'reports.create', { market: 'US', symbol: '$$$' }, 400, 'symbol', 'analyst'),
  m(
    'reports.create module bogus',
    'reports.create',
    { ...AAPL, modules: ['bogus'] },
    400,
    'modules',
    'analyst',
  ),
  m(
    'reports.create asOf February 30',
    'reports.create',
    { ...AAPL, asOf: '2026-02-30' },
    400,
    'asOf',
    'analyst',
  ),
  m('reports.create language fr', 'reports.create', { ...AAPL, language: 'fr' }, 400, 'language', 'analyst'),
  m('reports.create as a viewer', 'reports.create', AAPL, 403, undefined, 'viewer'),
  m(
    'reports.create 100 modules',
    'reports.create',
    { ...AAPL, modules: Array.from({ length: 100 }, () => 'profile') },
    400,
    'modules',
    'analyst',
  ),
  m('collector.pause as a viewer', 'collector.pause', {}, 403, undefined, 'viewer'),
  m('body not JSON', 'users.create', '{username:', 400),
  m('body nested 100 000 deep', 'users.create', nested(100_000), 400),
  m(
    'body 2 MiB',
    'users.create',
    JSON.stringify({ username: 'x', password: 'p'.repeat(2 * 1024 * 1024), role: 'viewer' }),
    413,
  ),
  m(
    'text/plain',
    'users.create',
    { username: 'mallory', password: 'long-enough-pw', role: 'viewer' },
    415,
    undefined,
    'admin',
    { 'content-type': 'text/plain' },
  ),
  m(
    'cross-site',
    'users.create',
    { username: 'mallory', password: 'long-enough-pw', role: 'viewer' },
    403,
    'cross-site',
    'admin',
    { 'sec-fetch-site': 'cross-site' },
  ),
  m(
    'foreign Origin',
    'users.create',
    { username: 'mallory', password: 'long-enough-pw', role: 'viewer' },
    403,
    'cross-site',
    'admin',
    { origin: 'https://evil.example' },
  ),
  // subscriptions (SSE)
  sub(
    'quotes.live 101 symbols',
    'quotes.live',
    { symbols: Array.from({ length: 101 }, () => AAPL) },
    400,
    'at most 100 symbols',
  ),
  sub(
    'quotes.live a bad symbol',
    'quotes.live',
    { symbols: [{ market: 'US', symbol: '$$' }] },
    400,
    'symbol',
  ),
  sub('quotes.live symbols a string', 'quotes.live', { symbols: 'AAPL' }, 400),
  sub('quotes.live input not JSON', 'quotes.live', '{', 400),
  sub('quotes.live anonymous', 'quotes.live', { symbols: [] }, 401, undefined, 'anonymous'),
  sub('quotes.live cross-site', 'quotes.live', { symbols: [] }, 403, 'cross-site', 'viewer'),
  sub('reports.progress id not a UUID', 'reports.progress', { id: 'x' }, 400, 'id must be a report id'),
  sub(
    'reports.progress id 10k',
    'reports.progress',
    { id: 'a'.repeat(10_000) },
    400,
    'id must be a report id',
  ),
  sub('reports.progress anonymous', 'reports.progress', { id: UUID0 }, 401, undefined, 'anonymous'),
];

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
