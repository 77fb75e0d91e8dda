// Child process for bench/sse-fanout.ts: the API (tRPC + REST, SSE subscriptions) as the web server runs it,
// on the bench's throwaway PostgreSQL database (BENCH_DATABASE_URL) or a throwaway PGlite directory.
// Started with fork() and `--expose-gc`; answers the parent over IPC:
//   { cmd: 'mem' }                 → { mem: { rss, heapUsed, external, arrayBuffers }, hubSubscribers, cpuMs }
//                                     after a full GC
//   { cmd: 'hubSeen' }             → { hubSeen: [[quote ts, wall-clock ms when the hub first had it]] }
//   { cmd: 'ingest', batch: [...] } → { committedAt } (wall clock, ms, sub-ms resolution) — PGlite only, where
//                                     no other process can write to the database
// The only departure from the product's defaults: SSE streams per principal raised to BENCH_MAX_STREAMS (the
// bench's one token holds every subscriber), and the token's rate limit lifted on the throwaway database;
// BENCH_RECHECK_MS (the bench's --recheck-seconds) changes the stream guard's credential re-check interval.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createApiToken,
  createLogger,
  createRuntime,
  ingestQuotes,
  parseIngestBatch,
  SRateLimits,
  setSetting,
} from '@investiq/api';
import { createApiHandler } from '@investiq/api/http';
import { createDemoMarket } from '@investiq/market/demo';

const url = process.env.BENCH_DATABASE_URL || undefined;
const maxStreams = Number(process.env.BENCH_MAX_STREAMS ?? 8);
const recheckMs = process.env.BENCH_RECHECK_MS ? Number(process.env.BENCH_RECHECK_MS) : undefined;
const dataDir = url ? 'unused' : await mkdtemp(path.join(tmpdir(), 'investiq-sse-bench-'));
const wallNow = () => performance.timeOrigin + performance.now();

const rt = await createRuntime(
  {
    databaseUrl: url,
    dataDir,
    provider: 'demo',
    demo: { seed: 1, alwaysOpen: true },
    collector: { enabled: false, intervalMs: 1000 },
    quotes: { defaultMaxAgeSeconds: 3600, retentionDays: 30, historyYears: 1, maxIngestRows: 10_000 },
    logLevel: 'silent',
    streams: { maxPerPrincipal: maxStreams, ...(recheckMs ? { recheckMs } : {}) },
  },
  { log: createLogger({ level: 'silent' }), onProgress: () => {} },
);
const refs = createDemoMarket({ seed: 7, alwaysOpen: true }).universe.map((i) => ({
  market: i.market,
  symbol: i.symbol,
}));
await rt.db.query(
  `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source)
   SELECT m, s, s, s, 'X', 'X', 'bench' FROM unnest($1::text[], $2::text[]) t(m, s) ON CONFLICT DO NOTHING`,
  [refs.map((r) => r.market), refs.map((r) => r.symbol)],
);
await setSetting(rt.db, SRateLimits, { ...SRateLimits.default, tokenPerMinute: 1_000_000 }, 'system:bench');
const { token } = await createApiToken(rt.db, { name: 'sse-bench', role: 'analyst' });

// Diagnostics: when each quote timestamp first reached this process's hub (splits the latency into NOTIFY
// arrival and fan-out). One extra hub subscriber, counted in hubSubscribers (the parent allows for it).
const hubSeen = new Map<string, number>();
const hubWatch = new AbortController();
void (async () => {
  for await (const q of rt.hub.subscribe([], hubWatch.signal)) {
    const ts = String(q.ts);
    if (!hubSeen.has(ts)) hubSeen.set(ts, wallNow());
  }
})();

const api = createApiHandler(rt);
const server = createServer((req, res) => {
  api(req, res).then(
    (handled) => {
      if (!handled) res.writeHead(404).end();
    },
    () => res.writeHead(500).end(),
  );
});

process.on('message', (msg: { cmd: string; batch?: unknown }) => {
  if (msg.cmd === 'mem') {
    globalThis.gc?.();
    const m = process.memoryUsage();
    process.send?.({
      mem: { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers },
      hubSubscribers: rt.hub.subscriberCount,
      cpuMs: (() => {
        const c = process.cpuUsage();
        return (c.user + c.system) / 1000;
      })(),
    });
  } else if (msg.cmd === 'hubSeen') {
    process.send?.({ hubSeen: [...hubSeen] });
  } else if (msg.cmd === 'ingest') {
    const rows = parseIngestBatch(msg.batch, { now: new Date(), retentionDays: 30, defaultSource: 'demo' });
    ingestQuotes(rt.db, rows).then(
      (r) => process.send?.({ committedAt: wallNow(), inserted: r.inserted }),
      (err) => process.send?.({ error: String(err) }),
    );
  }
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port, token });
});
const stop = () => {
  server.closeAllConnections();
  server.close();
  void rt
    .close()
    .catch(() => {})
    .then(() => (url ? undefined : rm(dataDir, { recursive: true, force: true })))
    .then(() => process.exit(0));
};
process.on('SIGTERM', () => {
  hubWatch.abort();
  stop();
});
process.on('disconnect', stop);
