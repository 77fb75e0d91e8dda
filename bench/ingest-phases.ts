/**
 * Where the time of one batch ingest goes (issue "Ingest"): the same 100 000 demo quotes as bench/quotes.ts,
 * in batches of 10 000, timed phase by phase — validation (parseIngestBatch), building the COPY text, and
 * each statement of the write transaction — against a raw COPY of the same rows. Run before/after a change.
 * Run: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/ingest-phases.ts
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ingestQuotes, parseIngestBatch } from '@investiq/api';
import { createDatabase, ensureQuotePartitions } from '@investiq/db';
import { withDatabase } from '@investiq/db/testing';
import { createDemoMarket } from '@investiq/market/demo';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const BATCH = 10_000;
const COLS = 'market, symbol, ts, source, price, open, high, low, prev_close, volume';

async function main() {
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = withDatabase(base, dbName);
  const handle = await createDatabase({ databaseUrl: url, poolMax: 4 });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t: Record<string, number> = {};
  const time = async <T>(k: string, f: () => Promise<T> | T): Promise<T> => {
    const s = performance.now();
    const r = await f();
    t[k] = (t[k] ?? 0) + performance.now() - s;
    return r;
  };
  try {
    const now = new Date();
    const market = createDemoMarket({ seed: 7, alwaysOpen: true });
    const refs = market.universe.map((i) => ({ market: i.market, symbol: i.symbol }));
    const perSymbol = Math.ceil(ROWS / refs.length);
    const quotes = market
      .backfillQuotes(refs, new Date(now.getTime() - perSymbol * 1000), now, 1000)
      .slice(0, ROWS);
    await ensureQuotePartitions(
      handle,
      new Date(now.getTime() - 2 * 86_400_000),
      new Date(now.getTime() + 86_400_000),
    );
    const text = (rows: typeof quotes) =>
      rows
        .map(
          (q) =>
            `${q.market}\t${q.symbol}\t${q.ts.toISOString()}\t${q.source}\t${q.price}\t${q.open ?? '\\N'}\t${q.high ?? '\\N'}\t${q.low ?? '\\N'}\t${q.prevClose ?? '\\N'}\t${q.volume ?? '\\N'}\n`,
        )
        .join('');
    const copy = (target: string, body: string) =>
      pipeline(Readable.from([body]), client.query(copyFrom(`COPY ${target} FROM STDIN`)));

    const all = text(quotes);
    const rawCopy = async (k: string) => {
      await time(k, () => copy(`realtime_quotes (${COLS})`, all));
      await handle.query('TRUNCATE realtime_quotes');
    };
    // 1. the whole product path, as bench/quotes.ts times it, between two raw COPYs (order effects)
    await rawCopy('baseline: raw COPY (before)');
    for (let i = 0; i < quotes.length; i += BATCH) {
      const rows = await time('product: parseIngestBatch', () =>
        parseIngestBatch(quotes.slice(i, i + BATCH), { now, retentionDays: 30, defaultSource: 'demo' }),
      );
      await time('product: ingestQuotes', () => ingestQuotes(handle, rows));
    }
    await handle.query('TRUNCATE realtime_quotes');
    await rawCopy('baseline: raw COPY (after)');

    // 1b. ingestQuotes' statements one by one
    for (let i = 0; i < quotes.length; i += BATCH) {
      const rows = quotes.slice(i, i + BATCH);
      const body = await time('new: build COPY text', () => text(rows));
      await time('new: BEGIN + SAVEPOINT', async () => {
        await client.query('BEGIN');
        await client.query('SAVEPOINT quotes_copy');
      });
      await time('new: COPY into realtime_quotes', () => copy(`realtime_quotes (${COLS})`, body));
      await time('new: symbols + NOTIFY, COMMIT', async () => {
        await client.query(
          `WITH reg AS (INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source)
             SELECT DISTINCT m, s, s, s, 'USD', m, 'ingest' FROM unnest($1::text[], $2::text[]) AS t(m, s)
             ON CONFLICT (market, symbol) DO NOTHING)
           SELECT pg_notify('bench', p) FROM unnest($3::text[]) p`,
          [['US'], ['AAPL'], ['x']],
        );
        await client.query('COMMIT');
      });
    }
    await handle.query('TRUNCATE realtime_quotes');

    // 2. the statements of the former path: COPY into staging, then INSERT … SELECT … ON CONFLICT
    await client.query(
      `CREATE TEMP TABLE quotes_stage (LIKE realtime_quotes INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
    );
    for (let i = 0; i < quotes.length; i += BATCH) {
      const rows = quotes.slice(i, i + BATCH);
      const body = await time('old: build COPY text', () => text(rows));
      await client.query('BEGIN');
      await time('old: COPY into staging', () => copy(`quotes_stage (${COLS})`, body));
      await time('old: INSERT … SELECT ON CONFLICT', () =>
        client.query(`WITH ins AS (INSERT INTO realtime_quotes (${COLS}) SELECT ${COLS} FROM quotes_stage
          ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS n FROM ins`),
      );
      await time('old: COMMIT', () => client.query('COMMIT'));
    }
    await handle.query('TRUNCATE realtime_quotes');

    // 4. COPY straight into the table inside the transaction (no staging), batch by batch
    for (let i = 0; i < quotes.length; i += BATCH) {
      const body = text(quotes.slice(i, i + BATCH));
      await client.query('BEGIN');
      await time('alt: batch COPY into realtime_quotes', () => copy(`realtime_quotes (${COLS})`, body));
      await client.query('COMMIT');
    }
    await handle.query('TRUNCATE realtime_quotes');

    // 5. INSERT … SELECT FROM unnest arrays (no staging)
    for (let i = 0; i < quotes.length; i += BATCH) {
      const rows = quotes.slice(i, i + BATCH);
      await time('alt: INSERT … SELECT unnest ON CONFLICT', () =>
        client.query(
          `INSERT INTO realtime_quotes (${COLS})
           SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::bigint[])
           ON CONFLICT DO NOTHING`,
          [
            rows.map((r) => r.market),
            rows.map((r) => r.symbol),
            rows.map((r) => r.ts.toISOString()),
            rows.map((r) => r.source),
            rows.map((r) => r.price),
            rows.map((r) => r.open),
            rows.map((r) => r.high),
            rows.map((r) => r.low),
            rows.map((r) => r.prevClose),
            rows.map((r) => r.volume),
          ],
        ),
      );
    }
    await handle.query('TRUNCATE realtime_quotes');
    const plan = await client.query(
      `EXPLAIN (ANALYZE, BUFFERS, TIMING) INSERT INTO realtime_quotes (market, symbol, ts, source, price) SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::numeric[]) ON CONFLICT DO NOTHING`,
      [
        quotes.slice(0, BATCH).map((r) => r.market),
        quotes.slice(0, BATCH).map((r) => r.symbol),
        quotes.slice(0, BATCH).map((r) => r.ts.toISOString()),
        quotes.slice(0, BATCH).map((r) => r.source),
        quotes.slice(0, BATCH).map((r) => r.price),
      ],
    );
    console.log(`PostgreSQL, ${quotes.length} rows, batches of ${BATCH}; ms per ${quotes.length} rows:`);
    for (const [k, v] of Object.entries(t)) console.log(`  ${k.padEnd(44)} ${v.toFixed(0).padStart(6)} ms`);
    console.log(
      `EXPLAIN ANALYZE of one 10 000-row unnest insert:\n${plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`,
    );
  } finally {
    await client.end();
    await handle.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
