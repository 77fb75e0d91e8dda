import { type HostileCase, nested } from '../harness';
import { INGEST, JSON_CT } from './shared';

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
