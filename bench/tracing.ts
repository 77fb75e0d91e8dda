/**
 * Cost of tracing (issue 14): quotes.latest throughput over HTTP (tRPC, 50 concurrent connections) from the
 * API process with tracing off (no OTEL endpoint: the SDK is not loaded) against the same process with
 * tracing on, exporting every request's trace (HTTP server span, tRPC span, pg spans) over OTLP/HTTP
 * protobuf to a local receiver — and a third with the shipped default sampler (packages/telemetry sampler.ts:
 * one root trace in ten). The servers run at once on one database; rounds alternate so a change in machine
 * load hits each. Aim: ≤ 10 % cost (ratio ≥ 0.90). BENCH_ROUNDS (2) and BENCH_SECONDS (10) per side.
 * Run: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/tracing.ts
 * (a throwaway database is created next to the given one and dropped afterwards).
 * More traced variants in the same run: BENCH_EXTRA_SIDES='{"name":{"OTEL_…":"…"}}' (BENCH_EXPERIMENT=als in a
 * side's environment runs it untraced with only an AsyncLocalStorage in use); OTEL settings for every traced
 * side: BENCH_OTEL_ENV='{…}'; CPU profiles: BENCH_CPU_PROF=DIR (then bench/cpuprofile-summary.ts).
 * BENCH_WITH_NEXT=1: every server also loads the production Next.js app (`cd apps/web && npx next build`
 * first) and serves one page before the measurement, as the web process does (bench/quotes-server.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiToken, ingestQuotes, parseIngestBatch, SRateLimits, setSetting } from '@investiq/api';
import { createDatabase, ensureQuotePartitions } from '@investiq/db';
import { withDatabase } from '@investiq/db/testing';
import { createDemoMarket } from '@investiq/market/demo';
import { startOtlpReceiver } from '@investiq/telemetry/testing';
import autocannon from 'autocannon';
import pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));
const base =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 50;

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of proc_pid_stat(5), in clock ticks (100 per second)
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** BENCH_CPU_PROF=DIR writes each server's V8 CPU profile to DIR/<side>/ (open in Chrome DevTools). */
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
/** Extra OTEL_* settings for every traced side, as JSON (e.g. '{"OTEL_EXPORTER_OTLP_PROTOCOL":"http/json"}'). */
const EXTRA_ENV = JSON.parse(process.env.BENCH_OTEL_ENV ?? '{}') as Record<string, string>;
/** OTLP encoding of the traced sides (http/protobuf, the OTLP default; with http/json the bench counts spans). */
const PROTOCOL = EXTRA_ENV.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';

function startServer(side: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const prof = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE_DIR, side)}`] : [];
  // node itself (not the tsx wrapper, which forks), so the pid is the server whose CPU time we read
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', path.join(here, 'quotes-server.ts')], {
    cwd: path.join(here, '..'),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (c) => reject(new Error(`bench server exited ${c}`)));
  });
}

async function main() {
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = withDatabase(base, dbName);
  const handle = await createDatabase({ databaseUrl: url, poolMax: 4 });
  const receiver = await startOtlpReceiver();
  const children: ChildProcess[] = [];
  try {
    // an hour of demo quotes for every symbol, one per 10 s
    const now = new Date();
    const market = createDemoMarket({ seed: 7, alwaysOpen: true });
    const refs = market.universe.map((i) => ({ market: i.market, symbol: i.symbol }));
    await handle.query(
      `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source)
      SELECT m, s, s, s, 'X', 'X', 'bench' FROM unnest($1::text[], $2::text[]) t(m, s) ON CONFLICT DO NOTHING`,
      [refs.map((r) => r.market), refs.map((r) => r.symbol)],
    );
    await ensureQuotePartitions(
      handle,
      new Date(now.getTime() - 86_400_000),
      new Date(now.getTime() + 86_400_000),
    );
    const quotes = market.backfillQuotes(refs, new Date(now.getTime() - 3_600_000), now, 10_000);
    await ingestQuotes(handle, parseIngestBatch(quotes, { now, retentionDays: 30, defaultSource: 'demo' }));
    const { token } = await createApiToken(handle, { name: 'bench', role: 'viewer' });
    // all servers share one token and one limiter table: lift the per-token limit (6000/min by default)
    // far above what they can serve, so every side pays the same limiter cost and none is refused
    await setSetting(
      handle,
      SRateLimits,
      { ...SRateLimits.default, tokenPerMinute: 1_000_000 },
      'system:bench',
    );

    const plain = { ...process.env, BENCH_DATABASE_URL: url };
    for (const k of Object.keys(plain)) if (k.startsWith('OTEL_')) delete plain[k];
    const traced = {
      ...plain,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: PROTOCOL,
      ...EXTRA_ENV,
    };
    const specs: [string, NodeJS.ProcessEnv][] = [
      ['off', plain],
      // every request recorded and exported (the SDK's own default sampler)
      ['on', { ...traced, OTEL_TRACES_SAMPLER: 'parentbased_always_on' }],
      // what ships when an endpoint is set and OTEL_TRACES_SAMPLER is not: the default sampler, which records
      // and exports one root trace in ten (report runs always; none on this path)
      ['default', traced],
      // more traced variants to compare, e.g. BENCH_EXTRA_SIDES='{"batch 1024":{"OTEL_BSP_MAX_EXPORT_BATCH_SIZE":"1024"}}'
      ...Object.entries(
        JSON.parse(process.env.BENCH_EXTRA_SIDES ?? '{}') as Record<string, NodeJS.ProcessEnv>,
      ).map(([name, env]): [string, NodeJS.ProcessEnv] => [name, { ...traced, ...env }]),
    ];
    const servers = new Map<string, { child: ChildProcess; port: number }>();
    for (const [name, env] of specs) {
      const server = await startServer(name.replace(/\W+/g, '_'), env);
      servers.set(name, server);
      children.push(server.child);
    }
    console.log(
      `quotes.latest over HTTP, ${CONNECTIONS} concurrent, ${ROUNDS} × ${SECONDS} s per side (alternating); Node ${process.version}${process.env.BENCH_WITH_NEXT === '1' ? '; servers with Next.js loaded (the web process)' : '; API-only servers'}`,
    );

    const input = encodeURIComponent(JSON.stringify({ market: 'US', symbol: 'AAPL', maxAgeSeconds: 3600 }));
    const run = async (server: { child: ChildProcess; port: number }) => {
      const cpu0 = cpuMs(server.child.pid!);
      const r = await autocannon({
        url: `http://127.0.0.1:${server.port}/api/trpc/quotes.latest?input=${input}`,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { authorization: `Bearer ${token}` },
      });
      if (r.non2xx > 0 || r.errors > 0)
        throw new Error(`HTTP errors: ${r.non2xx} non-2xx, ${r.errors} errors`);
      return { r, cpuPerRequest: (cpuMs(server.child.pid!) - cpu0) / r.requests.total };
    };
    // warm-up: JIT, pools, the exporter's first batch
    for (const { port } of servers.values())
      await autocannon({
        url: `http://127.0.0.1:${port}/api/trpc/quotes.latest?input=${input}`,
        connections: CONNECTIONS,
        duration: 2,
        headers: { authorization: `Bearer ${token}` },
      });
    type Round = Awaited<ReturnType<typeof run>>;
    const sides = new Map([...servers.keys()].map((name) => [name, [] as Round[]]));
    for (let i = 0; i < ROUNDS; i++)
      for (const [name, server] of servers) sides.get(name)!.push(await run(server));
    const on = servers.get('on')!;
    const exportsBefore = [...receiver.requests.values()].reduce((a, b) => a + b, 0);
    on.child.kill('SIGTERM'); // flushes the last batch
    await new Promise((r) => on.child.once('exit', r));
    const exports = [...receiver.requests.values()].reduce((a, b) => a + b, 0);
    if (exports === 0) throw new Error('tracing on, but the receiver got no export request');

    const rps = (rs: Round[]) => rs.reduce((a, x) => a + x.r.requests.average, 0) / rs.length;
    const cpu = (rs: Round[]) => rs.reduce((a, x) => a + x.cpuPerRequest, 0) / rs.length;
    const p = (rs: Round[], k: 'p50' | 'p99') => Math.max(...rs.map((x) => x.r.latency[k]));
    for (const [name, rs] of sides)
      console.log(
        `  tracing ${name.padEnd(7)}: ${rps(rs).toFixed(0)} req/s (rounds ${rs.map((x) => x.r.requests.average.toFixed(0)).join(', ')}), p50 ${p(rs, 'p50')} ms, p99 ${p(rs, 'p99')} ms, server CPU ${cpu(rs).toFixed(2)} ms/request`,
      );
    console.log(`  OTLP export requests received: ${exports} (${exportsBefore} before the final flush)`);
    if (receiver.spans.length > 0) {
      const names = new Map<string, number>();
      for (const s of receiver.spans) names.set(s.name, (names.get(s.name) ?? 0) + 1);
      const traces = new Set(receiver.spans.map((s) => s.traceId)).size;
      console.log(
        `  spans received as http/json (sides exporting JSON): ${receiver.spans.length} in ${traces} traces; by name: ${[...names].map(([n, c]) => `${n} ${c}`).join(', ')}`,
      );
    }
    const off = sides.get('off')!;
    // round i of each side ran back to back with round i of off: the median of those paired ratios shrugs
    // off a burst of load from other processes that one round caught
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    for (const [name, rs] of sides) {
      if (name === 'off') continue;
      const ratio = rps(rs) / rps(off);
      const paired = (f: (x: Round) => number) => median(rs.map((x, i) => f(x) / f(off[i]!))).toFixed(2);
      console.log(
        `  ratio ${name}/off: throughput ${ratio.toFixed(2)} (cost ${((1 - ratio) * 100).toFixed(1)} %; aim ≤ 10 %), server CPU per request ${(cpu(rs) / cpu(off)).toFixed(2)} (steadier on a busy machine); median of paired rounds ${paired((x) => x.r.requests.average)} / ${paired((x) => x.cpuPerRequest)}`,
      );
    }
  } finally {
    // servers flush their last spans on SIGTERM: stop them before the receiver
    await Promise.all(
      children
        .filter((c) => c.exitCode === null)
        .map((c) => new Promise((r) => c.once('exit', r).kill('SIGTERM'))),
    );
    await receiver.close();
    await handle.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
