/**
 * Quote store benchmark on PostgreSQL (issue "Foundation and the realtime quote widget").
 *   (a) ingest rows/s through the collector's batch path (validate + COPY, with INSERT … ON CONFLICT when a row is already stored, + NOTIFY)
 *       vs a raw COPY of the same rows into the same table — ratio, aim ≥ 0.6;
 *   (b) quotes.latest over HTTP (tRPC, 50 concurrent connections, server in its own process) vs the same SQL
 *       issued directly through pg in-process with 50 concurrent callers — throughput ratio, p50/p99.
 * Run: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/quotes.ts
 * (a throwaway database is created next to the given one and dropped afterwards; BENCH_ONLY=ingest stops
 * after (a)). Where the ingest time goes, statement by statement: bench/ingest-phases.ts.
 * BENCH_CPU_PROF=DIR writes the HTTP server's CPU profile there; BENCH_ROWS, BENCH_SECONDS shorten a run.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createApiToken, SRateLimits, setSetting, validateAndIngest } from '@investiq/api';
import { createDatabase, ensureQuotePartitions } from '@investiq/db';
import { withDatabase } from '@investiq/db/testing';
import { createDemoMarket } from '@investiq/market/demo';
import autocannon from 'autocannon';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const here = path.dirname(fileURLToPath(import.meta.url));
const base =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const BATCH = 10_000;
const HTTP_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
/**
 * Ingest rounds (BENCH_INGEST_ROUNDS, default 7), each the product path then raw COPY; the first is a warm-up.
 * One round's ratio swings by ±0.15 on a 2-core VM (checkpoints, autovacuum after the TRUNCATEs), so the
 * figure is the median of the paired rounds' ratios.
 */
const INGEST_ROUNDS = Math.max(2, Number(process.env.BENCH_INGEST_ROUNDS ?? 7));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function main() {
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = withDatabase(base, dbName);
  const handle = await createDatabase({ databaseUrl: url, poolMax: 10 });
  try {
    console.log(`PostgreSQL bench database ${dbName}; ${ROWS} quote rows; Node ${process.version}`);
    // The same rows for both paths: the demo market's quotes for 13 symbols over the last hours, one per second.
    const now = new Date();
    const market = createDemoMarket({ seed: 7, alwaysOpen: true });
    const refs = market.universe.map((i) => ({ market: i.market, symbol: i.symbol }));
    const perSymbol = Math.ceil(ROWS / refs.length);
    const quotes = market
      .backfillQuotes(refs, new Date(now.getTime() - perSymbol * 1000), now, 1000)
      .slice(0, ROWS);
    await handle.query(
      `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source)
      SELECT m, s, s, s, 'X', 'X', 'bench' FROM unnest($1::text[], $2::text[]) t(m, s) ON CONFLICT DO NOTHING`,
      [refs.map((r) => r.market), refs.map((r) => r.symbol)],
    );
    await ensureQuotePartitions(
      handle,
      new Date(now.getTime() - 2 * 86_400_000),
      new Date(now.getTime() + 86_400_000),
    );

    // (a1) collector batch path
    const runIngest = async () => {
      const t0 = performance.now();
      let inserted = 0;
      for (let i = 0; i < quotes.length; i += BATCH) {
        // what the collector and POST /api/v1/market-data/quotes run: validation and COPY in one pass
        inserted += (
          await validateAndIngest(handle, quotes.slice(i, i + BATCH), {
            now,
            retentionDays: 30,
            defaultSource: 'demo',
          })
        ).inserted;
      }
      const ms = performance.now() - t0;
      if (inserted !== quotes.length) throw new Error(`expected ${quotes.length} inserted, got ${inserted}`);
      await handle.query('TRUNCATE realtime_quotes');
      return ms;
    };

    // (a2) raw COPY of the same rows (text format built up front; building it is not timed)
    const csv = quotes
      .map(
        (q) =>
          `${q.market}\t${q.symbol}\t${q.ts.toISOString()}\t${q.source}\t${q.price}\t${q.open ?? '\\N'}\t${q.high ?? '\\N'}\t${q.low ?? '\\N'}\t${q.prevClose ?? '\\N'}\t${q.volume ?? '\\N'}\n`,
      )
      .join('');
    const runCopy = async () => {
      const copyClient = new pg.Client({ connectionString: url });
      await copyClient.connect();
      const t0 = performance.now();
      await pipeline(
        Readable.from([csv]),
        copyClient.query(
          copyFrom(
            'COPY realtime_quotes (market, symbol, ts, source, price, open, high, low, prev_close, volume) FROM STDIN',
          ),
        ),
      );
      const ms = performance.now() - t0;
      await copyClient.end();
      await handle.query('TRUNCATE realtime_quotes');
      return ms;
    };
    // Rounds alternate (ingest, COPY, ingest, COPY, …); the first is a warm-up: the first pass over a fresh
    // database (and Node's first run of the ingest code) is slower for whichever path goes first.
    const rounds: Array<{ ingestMs: number; copyMs: number }> = [];
    for (let r = 0; r < INGEST_ROUNDS; r++)
      rounds.push({ ingestMs: await runIngest(), copyMs: await runCopy() });
    const measured = rounds.slice(1); // the first round warms the database and Node's JIT for both paths
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
    };
    const ingestMs = median(measured.map((r) => r.ingestMs));
    const copyMs = median(measured.map((r) => r.copyMs));
    const ratios = measured.map((r) => r.copyMs / r.ingestMs);
    const ingestRate = quotes.length / (ingestMs / 1000);
    const copyRate = quotes.length / (copyMs / 1000);
    console.log(`\n(a) ingest, ${measured.length} paired rounds after a warm-up (medians)`);
    console.log(
      `  collector batch path: ${ingestRate.toFixed(0)} rows/s (${ingestMs.toFixed(0)} ms, batches of ${BATCH})`,
    );
    console.log(`  raw COPY:             ${copyRate.toFixed(0)} rows/s (${copyMs.toFixed(0)} ms)`);
    console.log(
      `  ratio collector/COPY: ${median(ratios).toFixed(2)}  (aim ≥ 0.6; median of the paired rounds)`,
    );
    console.log(
      `  rounds (ratio): ${ratios.map((r) => r.toFixed(2)).join(', ')}; warm-up ${rounds[0]!.ingestMs.toFixed(0)} ms vs COPY ${rounds[0]!.copyMs.toFixed(0)} ms`,
    );
    if (process.env.BENCH_ONLY === 'ingest') return;

    // (b) latest: HTTP tRPC vs direct SQL
    const { token } = await createApiToken(handle, { name: 'bench', role: 'viewer' });
    // The bench measures the server, not its limiter: lift the per-token limit (6000/min by default, which
    // 50 connections pass in seconds) to the setting's maximum on this throwaway database, before the server
    // starts. Every request must then succeed; any non-2xx fails the run.
    await setSetting(
      handle,
      SRateLimits,
      { ...SRateLimits.default, tokenPerMinute: 1_000_000 },
      'system:bench',
    );
    // BENCH_CPU_PROF=DIR: the server's V8 CPU profile goes to DIR (summarise with bench/cpuprofile-summary.ts)
    const prof = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`]
      : [];
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', path.join(here, 'quotes-server.ts')], {
      // the server's error log lines are printed when a request fails
      env: { BENCH_LOG_LEVEL: 'error', ...process.env, BENCH_DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (c) => reject(new Error(`bench server exited ${c}`)));
    });
    const input = encodeURIComponent(JSON.stringify({ market: 'US', symbol: 'AAPL', maxAgeSeconds: 3600 }));
    const http = await autocannon({
      url: `http://127.0.0.1:${port}/api/trpc/quotes.latest?input=${input}`,
      connections: CONNECTIONS,
      duration: HTTP_SECONDS,
      headers: { authorization: `Bearer ${token}` },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
    const cpuUs = Number(/CPU_US (\d+)/.exec(out)?.[1] ?? Number.NaN);
    if (http.non2xx > 0 || http.errors > 0) {
      const byStatus = Object.entries(http.statusCodeStats ?? {})
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, { count }]) => `${count}× ${code}`)
        .join(', ');
      const errors = out.split('\n').filter((l) => l.includes('"level":50'));
      if (errors.length > 0)
        console.error(`server errors (${errors.length}):\n${errors.slice(0, 5).join('\n')}`);
      throw new Error(
        `HTTP errors: ${http.non2xx} non-2xx${byStatus ? ` (${byStatus})` : ''}, ${http.errors} errors, ${http.timeouts} timeouts; every request was expected to answer 2xx`,
      );
    }

    const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS });
    pool.on('error', () => {}); // an idle client ended by the server is replaced, not a crash
    const sql = `SELECT r.market, r.symbol, (s.symbol IS NOT NULL) AS known, q.*
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r(market, symbol, ord)
       LEFT JOIN symbols s ON s.market = r.market AND s.symbol = r.symbol
       LEFT JOIN LATERAL (SELECT market, symbol, ts, source, price::float8 AS price FROM realtime_quotes q
          WHERE q.market = r.market AND q.symbol = r.symbol ORDER BY q.ts DESC LIMIT 1) q ON true ORDER BY r.ord`;
    const lat: number[] = [];
    const end = performance.now() + HTTP_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < end) {
          const s = performance.now();
          await pool.query(sql, [['US'], ['AAPL']]);
          lat.push(performance.now() - s);
        }
      }),
    );
    await pool.end();
    const directRps = lat.length / HTTP_SECONDS;
    console.log(`\n(b) quotes.latest, ${CONNECTIONS} concurrent, ${HTTP_SECONDS} s each`);
    console.log(
      `  tRPC over HTTP: ${http.requests.average.toFixed(0)} req/s, p50 ${http.latency.p50} ms, p99 ${http.latency.p99} ms`,
    );
    console.log(
      `  direct pg SQL:  ${directRps.toFixed(0)} q/s, p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms`,
    );
    console.log(
      `  server CPU per HTTP request: ${(cpuUs / 1000 / http.requests.total).toFixed(2)} ms (${(cpuUs / 1e6).toFixed(1)} s of CPU over ${http.requests.total} requests; the load-independent figure)`,
    );
    console.log(`  ratio HTTP/direct throughput: ${(http.requests.average / directRps).toFixed(2)}`);
  } finally {
    await handle.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
