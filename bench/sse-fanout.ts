/**
 * Live-quote fan-out (issue "Scale and speed"): N concurrent SSE subscribers of the live quote stream
 * (`GET /api/v1/quotes/stream`, all symbols; `--via trpc`: tRPC `quotes.live`) on one web process, a batch of quotes for the demo universe ingested every 2 s. Measures the delivery latency of every
 * event at every client (event received − ingest commit), p50/p95/p99, and the server's memory per subscriber
 * (RSS and V8 heap after a full GC, before vs after opening the subscribers). Baseline in the same run: the
 * same with 1 subscriber → `ratio p99 N/1 subscribers`. Aim (issue): p99 < 250 ms at 2 000 subscribers.
 *
 * Run: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/sse-fanout.ts \
 *        --subscribers 2000 --seconds 20
 * PostgreSQL: a throwaway database next to the given one (dropped afterwards); this process ingests through
 * `ingestQuotes` on its own connection, as the collector does, and the server hears it by LISTEN/NOTIFY.
 * Without BENCH_DATABASE_URL: PGlite in the server process, which then ingests on request (in-process hub).
 * Commit times are wall-clock (performance.timeOrigin + now) taken right after the ingest's commit resolves.
 * The server (bench/sse-fanout-server.ts) is a child process with the product's stream limits except the
 * per-principal cap, raised for the bench's one token; the clients are raw node:http + eventsource-parser.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ingestQuotes, parseIngestBatch } from '@investiq/api';
import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { withDatabase } from '@investiq/db/testing';
import { createDemoMarket } from '@investiq/market/demo';
import { createParser } from 'eventsource-parser';
import pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '20' },
    'baseline-seconds': { type: 'string', default: '10' },
    // leak check: open and close N subscribers this many more times, heap after each round
    cycles: { type: 'string', default: '0' },
    // the stream guard's credential re-check interval (product default 5 s) — to see what it costs
    'recheck-seconds': { type: 'string' },
    // stream: GET /api/v1/quotes/stream (one serialization per batch, shared bytes); trpc: quotes.live
    via: { type: 'string', default: 'stream' },
  },
});
const N = Number(args.subscribers);
const VIA = args.via === 'trpc' ? 'trpc' : 'stream';
const SECONDS = Number(args.seconds);
const BASELINE_SECONDS = Number(args['baseline-seconds']);
const INTERVAL_MS = 2_000;
const base = process.env.BENCH_DATABASE_URL || undefined;
const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

type Mem = { rss: number; heapUsed: number; external: number; arrayBuffers: number };
type Reply = {
  port?: number;
  token?: string;
  mem?: Mem;
  hubSubscribers?: number;
  cpuMs?: number;
  hubSeen?: [string, number][];
  committedAt?: number;
  inserted?: number;
  error?: string;
};

/** One request/answer over the child's IPC channel (the child answers in order). */
function ask(child: ChildProcess, msg: object, key: keyof Reply): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const on = (m: Reply) => {
      if (m.error) {
        child.off('message', on);
        reject(new Error(m.error));
      } else if (m[key] !== undefined) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    child.send(msg);
  });
}

interface Subscriber {
  close(): void;
}

/** Received events: [quote ts (ISO), wall-clock receive time] — matched to commit times after the run. */
type Received = [string, number];

/** Open one live stream (all symbols); resolves once the 200 answer's headers are in. */
function subscribe(port: number, token: string, sink: Received[]): Promise<Subscriber> {
  const input = encodeURIComponent(JSON.stringify({ symbols: [] }));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: VIA === 'trpc' ? `/api/trpc/quotes.live?input=${input}` : '/api/v1/quotes/stream',
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
        agent: false,
      },
      (res) => {
        if (res.statusCode !== 200) {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => reject(new Error(`subscribe: HTTP ${res.statusCode} ${body.slice(0, 300)}`)));
          return;
        }
        // the time is taken when the chunk arrives, before parsing, so client-side parsing is not counted
        let at = 0;
        const parser = createParser({
          onEvent: (ev) => {
            if (VIA === 'stream') {
              if (ev.event !== 'quotes') return; // ping
              for (const a of JSON.parse(ev.data) as { quote?: { ts: string } }[])
                if (a.quote) sink.push([a.quote.ts, at]);
              return;
            }
            if (ev.event && ev.event !== 'message') return; // tRPC's connected/ping/return events
            const data = JSON.parse(ev.data) as { ts?: string };
            if (typeof data.ts === 'string') sink.push([data.ts, at]);
          },
        });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          at = wallNow();
          parser.feed(chunk);
        });
        res.on('error', () => {});
        resolve({ close: () => req.destroy() });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Open `n` streams, `parallel` at a time (the listen backlog is finite). */
async function openMany(port: number, token: string, n: number, sink: Received[]): Promise<Subscriber[]> {
  const subs: Subscriber[] = [];
  let next = 0;
  const parallel = 50;
  await Promise.all(
    Array.from({ length: Math.min(parallel, n) }, async () => {
      while (next < n) {
        next++;
        subs.push(await subscribe(port, token, sink));
      }
    }),
  );
  return subs;
}

async function main() {
  const refs = createDemoMarket({ seed: 7, alwaysOpen: true }).universe.map((i) => ({
    market: i.market,
    symbol: i.symbol,
  }));
  let admin: pg.Client | null = null;
  let dbName = '';
  let handle: DatabaseHandle | null = null;
  let url: string | undefined;
  if (base) {
    dbName = `bench_sse_${randomBytes(4).toString('hex')}`;
    admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    url = withDatabase(base, dbName);
    handle = await createDatabase({ databaseUrl: url, poolMax: 2 });
  }
  const child = fork(path.join(here, 'sse-fanout-server.ts'), [], {
    // BENCH_CPU_PROF=DIR: a CPU profile of the server (summarise with bench/cpuprofile-summary.ts)
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env: {
      ...process.env,
      BENCH_DATABASE_URL: url ?? '',
      BENCH_MAX_STREAMS: String(N + 10),
      BENCH_RECHECK_MS: args['recheck-seconds'] ? String(Number(args['recheck-seconds']) * 1000) : '',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (c) => reject(new Error(`bench server exited ${c}`))),
  );
  exited.catch(() => {});
  try {
    const ready = await Promise.race([
      new Promise<Reply>((r) => child.once('message', (m: Reply) => r(m))),
      exited,
    ]);
    const port = ready.port!;
    const token = ready.token!;
    console.log(
      `${base ? `PostgreSQL database ${dbName}` : 'PGlite (in the server process)'}; ${refs.length} demo symbols every ${INTERVAL_MS / 1000} s; via ${VIA === 'trpc' ? 'tRPC quotes.live' : 'GET /api/v1/quotes/stream'}; Node ${process.version}`,
    );

    /** Commit time per batch, keyed by the batch's quote timestamp (unique per batch). */
    const committed = new Map<string, number>();
    let price = 100;
    const ingestBatch = async () => {
      const ts = new Date(Date.now() - 1).toISOString();
      price += 0.01;
      const batch = refs.map((r, i) => ({ ...r, ts, price: price + i, source: 'bench' }));
      if (handle) {
        const rows = parseIngestBatch(batch, { now: new Date(), retentionDays: 30, defaultSource: 'bench' });
        await ingestQuotes(handle, rows);
        committed.set(ts, wallNow());
      } else {
        const r = await ask(child, { cmd: 'ingest', batch }, 'committedAt');
        committed.set(ts, r.committedAt!);
      }
    };
    const waitHub = async (n: number) => {
      for (let i = 0; i < 600; i++) {
        const r = await ask(child, { cmd: 'mem' }, 'mem');
        // +1: the server's own diagnostic subscriber (hubSeen)
        if (r.hubSubscribers === n + 1) return { ...r.mem!, cpuMs: r.cpuMs! };
        await sleep(100);
      }
      throw new Error(`the hub never reached ${n} subscribers`);
    };
    /** Ingest every INTERVAL_MS for `seconds`, then wait for stragglers; returns the latencies (ms). */
    const phase = async (subs: number, seconds: number, sink: Received[]) => {
      committed.clear();
      sink.length = 0;
      const serverCpu0 = (await waitHub(subs)).cpuMs;
      const cpu0 = process.cpuUsage();
      const batches = Math.max(1, Math.round((seconds * 1000) / INTERVAL_MS));
      const start = performance.now();
      for (let b = 0; b < batches; b++) {
        await ingestBatch();
        const wait = start + (b + 1) * INTERVAL_MS - performance.now();
        if (wait > 0) await sleep(wait);
      }
      const expected = batches * refs.length * subs;
      for (let i = 0; i < 50 && sink.length < expected; i++) await sleep(100);
      const wallMs = performance.now() - start;
      const serverCpu = ((await waitHub(subs)).cpuMs - serverCpu0) / wallMs;
      const c = process.cpuUsage(cpu0);
      const clientCpu = (c.user + c.system) / 1000 / wallMs;
      const hubSeen = new Map((await ask(child, { cmd: 'hubSeen' }, 'hubSeen')).hubSeen);
      const lat: number[] = [];
      const fanout: number[] = [];
      let early = 0;
      for (const [ts, at] of sink) {
        const c = committed.get(ts);
        if (c === undefined) continue;
        if (at < c) early++;
        lat.push(Math.max(0, at - c));
        const h = hubSeen.get(ts);
        if (h !== undefined) fanout.push(at - h);
      }
      const notifyAll = [...committed].map(([ts, c]) => (hubSeen.get(ts) ?? Number.NaN) - c);
      const notify = notifyAll.filter((v) => !Number.isNaN(v));
      const notSeen = notifyAll.length - notify.length;
      lat.sort((a, b) => a - b);
      fanout.sort((a, b) => a - b);
      notify.sort((a, b) => a - b);
      return {
        lat,
        fanout,
        notify,
        notSeen,
        expected,
        received: lat.length,
        early,
        batches,
        serverCpu,
        clientCpu,
      };
    };
    const report = (label: string, r: Awaited<ReturnType<typeof phase>>) => {
      console.log(
        `  ${label}: ${r.received}/${r.expected} events (${r.batches} batches), delivery p50 ${pct(r.lat, 50).toFixed(1)} ms, p95 ${pct(r.lat, 95).toFixed(1)} ms, p99 ${pct(r.lat, 99).toFixed(1)} ms, max ${r.lat.at(-1)?.toFixed(1)} ms${r.early ? ` (${r.early} events seen before the commit returned, counted as 0)` : ''}; CPU: server ${(r.serverCpu * 100).toFixed(0)} %, clients ${(r.clientCpu * 100).toFixed(0)} % of a core`,
      );
      console.log(
        `    split: commit → server hub (NOTIFY) p50 ${pct(r.notify, 50).toFixed(1)} ms, max ${r.notify.at(-1)?.toFixed(1)} ms${r.notSeen ? ` (${r.notSeen} batches not yet at the hub when the phase ended)` : ''}; hub → client (fan-out) p50 ${pct(r.fanout, 50).toFixed(1)} ms, p99 ${pct(r.fanout, 99).toFixed(1)} ms`,
      );
    };

    // baseline: one subscriber
    const sink: Received[] = [];
    const one = await openMany(port, token, 1, sink);
    await waitHub(1);
    const baseline = await phase(1, BASELINE_SECONDS, sink);
    for (const s of one) s.close();
    const memBefore = await waitHub(0);

    // N subscribers
    const t0 = performance.now();
    const subs = await openMany(port, token, N, sink);
    const memOpen = await waitHub(N);
    const openMs = performance.now() - t0;
    const main = await phase(N, SECONDS, sink);
    const memEnd = await waitHub(N);
    for (const s of subs) s.close();
    const memClosed = await waitHub(0);
    await sleep(10_000);
    const memLater = await waitHub(0);

    console.log(`\nbaseline, 1 subscriber, ${BASELINE_SECONDS} s`);
    report('1 subscriber', baseline);
    console.log(`\n${N} subscribers (opened in ${(openMs / 1000).toFixed(1)} s), ${SECONDS} s`);
    report(`${N} subscribers`, main);
    const perSub = (k: keyof Mem, m: Mem) => (m[k] - memBefore[k]) / N;
    console.log(
      `  server memory (after GC): RSS ${mb(memBefore.rss)} → ${mb(memOpen.rss)} opened → ${mb(memEnd.rss)} at the end; heap ${mb(memBefore.heapUsed)} → ${mb(memOpen.heapUsed)} → ${mb(memEnd.heapUsed)}`,
    );
    console.log(
      `  memory per subscriber: RSS ${(perSub('rss', memOpen) / 1024).toFixed(1)} KB, heap ${(perSub('heapUsed', memOpen) / 1024).toFixed(1)} KB (opened); RSS ${(perSub('rss', memEnd) / 1024).toFixed(1)} KB, heap ${(perSub('heapUsed', memEnd) / 1024).toFixed(1)} KB (after the run)`,
    );
    console.log(
      `  external + array buffers: ${mb(memBefore.external + memBefore.arrayBuffers)} → ${mb(memOpen.external + memOpen.arrayBuffers)} → ${mb(memEnd.external + memEnd.arrayBuffers)}; after closing every subscriber: RSS ${mb(memClosed.rss)}, heap ${mb(memClosed.heapUsed)} , 10 s later: RSS ${mb(memLater.rss)}, heap ${mb(memLater.heapUsed)} (before opening: ${mb(memBefore.heapUsed)})`,
    );
    const cycles = Number(args.cycles);
    if (cycles > 0) {
      const heaps: string[] = [];
      for (let i = 0; i < cycles; i++) {
        const again = await openMany(port, token, N, []);
        await waitHub(N);
        for (const s of again) s.close();
        heaps.push(mb((await waitHub(0)).heapUsed));
      }
      console.log(`  heap after each further open/close of ${N} subscribers: ${heaps.join(', ')}`);
    }
    console.log(`p99 delivery ms: ${pct(main.lat, 99).toFixed(1)}  (aim < 250)`);
    console.log(
      `ratio p99 ${N}/1 subscribers: ${(pct(main.lat, 99) / Math.max(pct(baseline.lat, 99), 0.1)).toFixed(1)}`,
    );
    if (main.received < main.expected)
      console.log(
        `  note: ${main.expected - main.received} events not delivered (the hub keeps only the newest quote per symbol for a slow reader)`,
      );
  } finally {
    child.kill('SIGTERM');
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(5_000)]);
    await handle?.close();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
