/**
 * Provider chains (issue 8 "Real market data"): failover time and symbols kept fresh per provider budget.
 *
 * The real runtime (database, settings, provider chains, budgets, breakers, collector on its own timer and
 * the real clock, quote hub) runs on a US chain Finnhub → Yahoo, each vendor replayed by a local HTTP server
 * (`startReplayServer`, recorded formats from packages/market/fixtures) answering with the current time as
 * quote time, like a live feed. Nothing else is replayed or faked.
 *
 *   1. Failover: at a random moment the Finnhub replay starts answering 429, then (second scenario) hangs
 *      until the vendor timeout, then (third) serves its HTML maintenance page with status 200. Measured:
 *      from the switch until the hub delivers the first stored quote labelled `yahoo`; after a short outage
 *      the replay is healed and the time until Finnhub's quotes return (breaker half-open probe) is printed
 *      too. Baseline, same run: the collector's interval as it really runs, i.e. the median gap between
 *      consecutive stored AAPL quotes while Finnhub is healthy.
 *   2. Budgets: the most symbols each vendor's default budget keeps fresh under the default freshness limit
 *      (`planRefresh`), then a measurement: Finnhub's 60/min with the 30 s freshness limit scaled 5× faster
 *      (300/min, 6 s: the same 30-symbol maximum), with symbols below, at and above that maximum; measured
 *      interval between a symbol's successive stored quotes vs the planned one, and the share of reads
 *      (`getLatestQuotes` every 200 ms) that find every symbol fresh.
 *
 * Run: npx tsx bench/providers.ts                                   (embedded PGlite)
 *      BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/providers.ts
 * (a throwaway database is created next to the given one and dropped afterwards). ≈ 2 minutes.
 * BENCH_ROUNDS (default 3) failover rounds per scenario; BENCH_CASE_SECONDS (default 12; at least 2 planned intervals) per budget case.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chainsFromList,
  createLogger,
  createRuntime,
  getLatestQuotes,
  planRefresh,
  type Runtime,
  type RuntimeConfig,
  SProviderBudgets,
  SQuoteFreshness,
  setSetting,
} from '@investiq/api';
import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { withDatabase } from '@investiq/db/testing';
import { type ReplayRoute, startReplayServer } from '@investiq/market/testing';
import { FINNHUB, TENCENT, TUSHARE, type VendorDescriptor, YAHOO } from '@investiq/market/vendors';
import pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(here, '../packages/market/fixtures');
const fixture = (f: string) => readFileSync(path.join(FIXTURES, f), 'utf8');
const finnhubQuote = JSON.parse(fixture('finnhub/quote-AAPL.json'));
const yahooChart = JSON.parse(fixture('yahoo/chart-AAPL-quote.json'));
const maintenanceHtml = fixture('finnhub/maintenance.html');
const finnhub429 = fixture('finnhub/error-429.json');

const INTERVAL_MS = 1_000; // collector interval (COLLECTOR_INTERVAL_MS; default 2000)
const TIMEOUT_MS = 2_000; // vendor timeout (PROVIDER_TIMEOUT_MS; default 8000)
const HALF_OPEN_MS = 1_000; // breaker's half-open delay (default 30 s)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CASE_MS = Number(process.env.BENCH_CASE_SECONDS ?? 12) * 1000;
/** Defaults of a deployment (apps/web/src/env.ts COLLECTOR_INTERVAL_MS, the quotes.freshness setting). */
const DEFAULT_COLLECTOR_MS = 2_000;
const DEFAULT_FRESHNESS_S = SQuoteFreshness.default.defaultMaxAgeSeconds;
/** Budget measurement: Finnhub's free 60/min and the default freshness limit, both scaled by SCALE. */
const SCALE = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: number[]) => pct(xs, 50);
const f0 = (x: number) => x.toFixed(0);

interface Arrival {
  t: number;
  symbol: string;
  source: string;
}

/** Most symbols `budget` keeps fresh (planRefresh's keepsFresh), by bisection; Infinity when unlimited. */
function maxFreshSymbols(
  budget: VendorDescriptor['budget'],
  collectorIntervalMs: number,
  freshnessS: number,
) {
  if (budget.perMinute <= 0 && budget.perDay <= 0) return Number.POSITIVE_INFINITY;
  const fresh = (n: number) =>
    planRefresh({ symbols: n, budget, collectorIntervalMs, freshnessSeconds: freshnessS }).keepsFresh;
  let lo = 0;
  let hi = 1;
  while (fresh(hi)) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fresh(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

async function run(db: DatabaseHandle) {
  // ---- 0. the table from the planner alone --------------------------------------------------------
  console.log(
    `\nsymbols kept fresh per provider budget (planRefresh; freshness ${DEFAULT_FRESHNESS_S} s, collector ${DEFAULT_COLLECTOR_MS} ms)`,
  );
  console.log('vendor   | kinds                                  | per minute | per day | max symbols');
  for (const v of [FINNHUB, YAHOO, TUSHARE, TENCENT]) {
    const max = maxFreshSymbols(v.budget, DEFAULT_COLLECTOR_MS, DEFAULT_FRESHNESS_S);
    console.log(
      `${v.id.padEnd(8)} | ${v.kinds.join(',').padEnd(38)} | ${String(v.budget.perMinute).padStart(10)} | ${String(v.budget.perDay || '—').padStart(7)} | ${String(max).padStart(11)}`,
    );
  }

  // ---- replays and runtime -----------------------------------------------------------------------
  // the replays read their routes per request: outages are routes put in front of the healthy ones, whose
  // bodies are getters stamping the current second (Finnhub's `t`, Yahoo's regularMarketTime)
  const finnhubOk: ReplayRoute = {
    path: '/api/v1/quote',
    get body() {
      return { ...finnhubQuote, t: Math.floor(Date.now() / 1000) };
    },
  };
  const yahooOk: ReplayRoute = {
    path: /^\/v8\/finance\/chart\//,
    get body() {
      const chart = structuredClone(yahooChart);
      chart.chart.result[0].meta.regularMarketTime = Math.floor(Date.now() / 1000);
      return chart;
    },
  };
  const finnhubRoutes: ReplayRoute[] = [finnhubOk];
  const finnhub = await startReplayServer(finnhubRoutes);
  const yahoo = await startReplayServer([yahooOk]);
  const config: RuntimeConfig = {
    dataDir: 'memory://',
    provider: 'demo',
    demo: { seed: 42, alwaysOpen: true },
    collector: { enabled: true, intervalMs: INTERVAL_MS },
    quotes: {
      defaultMaxAgeSeconds: DEFAULT_FRESHNESS_S,
      retentionDays: 30,
      historyYears: 1,
      maxIngestRows: 10_000,
    },
    logLevel: 'silent',
    providers: {
      chains: { US: chainsFromList('US', ['finnhub', 'yahoo']) },
      baseUrls: { finnhub: `${finnhub.url}/api/v1`, yahoo: yahoo.url },
      apiKeys: { finnhub: 'replay-key' },
      sessions: 'always',
      timeoutMs: TIMEOUT_MS,
      breaker: { threshold: 3, halfOpenAfterMs: HALF_OPEN_MS, maxHalfOpenAfterMs: HALF_OPEN_MS },
    },
  };
  let rt: Runtime | null = null;
  const stopHub = new AbortController();
  let hubLoop: Promise<void> | null = null;
  try {
    // generous budgets for the failover part (it is about failures, not spending), set before the
    // collector's first poll: the runtime starts it, so seed the setting first on the same database
    await setSetting(
      db,
      SProviderBudgets,
      { finnhub: { perMinute: 100_000, perDay: 0 }, yahoo: { perMinute: 100_000, perDay: 0 } },
      'system:bench',
    );
    rt = await createRuntime(config, { db, log: createLogger({ level: 'silent' }), onProgress: () => {} });
    // only the US watch list is polled (CN/HK stay on the demo chains: untracked so they cost nothing)
    await db.query(`UPDATE symbols SET tracked = (market = 'US')`);
    const usCount = (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM symbols WHERE tracked`)
    )[0]!.n;

    const arrivals: Arrival[] = [];
    hubLoop = (async () => {
      for await (const q of rt!.hub.subscribe([], stopHub.signal))
        arrivals.push({ t: performance.now(), symbol: q.symbol, source: q.source });
    })();
    const waitArrival = async (after: number, pred: (a: Arrival) => boolean, limitMs: number) => {
      const deadline = performance.now() + limitMs;
      for (;;) {
        const a = arrivals.find((x) => x.t > after && pred(x));
        if (a) return a;
        if (performance.now() > deadline) throw new Error(`no matching quote within ${limitMs} ms`);
        await sleep(5);
      }
    };

    // ---- 1. failover ---------------------------------------------------------------------------
    console.log(
      `\n(1) failover: US chain finnhub → yahoo, ${usCount} symbols, collector ${INTERVAL_MS} ms (real timer), vendor timeout ${TIMEOUT_MS} ms, breaker 3 failures / half-open ${HALF_OPEN_MS} ms, ${ROUNDS} rounds per scenario`,
    );
    await waitArrival(0, (a) => a.source === 'finnhub', 30_000);
    await sleep(6 * INTERVAL_MS); // healthy ticks for the baseline
    const outages: [string, ReplayRoute][] = [
      ['429', { path: '/api/v1/quote', status: 429, body: finnhub429 }],
      ['hang → timeout', { path: '/api/v1/quote', hang: true }],
      [
        'HTML page, 200',
        {
          path: '/api/v1/quote',
          status: 200,
          headers: { 'content-type': 'text/html' },
          body: maintenanceHtml,
        },
      ],
    ];
    const outageWindows: [number, number][] = [];
    const results: { name: string; failover: number[]; recovery: number[] }[] = [];
    for (const [name, route] of outages) {
      const r = { name, failover: [] as number[], recovery: [] as number[] };
      for (let i = 0; i < ROUNDS; i++) {
        await sleep(1_000 + Math.random() * 2 * INTERVAL_MS); // healthy for a while; switch at a random phase
        finnhubRoutes.unshift(route);
        const t0 = performance.now();
        const first = await waitArrival(t0, (a) => a.source === 'yahoo', 30_000);
        r.failover.push(first.t - t0);
        await sleep(2 * INTERVAL_MS); // the outage lasts: the breaker opens
        finnhubRoutes.shift();
        const t1 = performance.now();
        outageWindows.push([t0, t1]);
        const back = await waitArrival(t1, (a) => a.source === 'finnhub', 30_000);
        r.recovery.push(back.t - t1);
        outageWindows[outageWindows.length - 1]![1] = back.t;
      }
      results.push(r);
    }
    // baseline: gaps between consecutive AAPL quotes, both from finnhub, outside any outage
    const inOutage = (t: number) => outageWindows.some(([a, b]) => t >= a - INTERVAL_MS && t <= b);
    const aapl = arrivals.filter((a) => a.symbol === 'AAPL');
    const gaps: number[] = [];
    for (let i = 1; i < aapl.length; i++) {
      const [p, c] = [aapl[i - 1]!, aapl[i]!];
      if (p.source === 'finnhub' && c.source === 'finnhub' && !inOutage(p.t) && !inOutage(c.t))
        gaps.push(c.t - p.t);
    }
    const interval = median(gaps);
    console.log(
      `  baseline: collector interval as run (median gap between stored AAPL ticks, healthy): ${f0(interval)} ms over ${gaps.length} gaps`,
    );
    console.log(
      '  scenario        | failover p50 | p95     | ratio failover/interval (p50, p95) | back to finnhub p50',
    );
    for (const r of results) {
      const [p50, p95] = [pct(r.failover, 50), pct(r.failover, 95)];
      console.log(
        `  ${r.name.padEnd(15)} | ${f0(p50).padStart(9)} ms | ${f0(p95).padStart(4)} ms | ${(p50 / interval).toFixed(2).padStart(16)}, ${(p95 / interval).toFixed(2).padEnd(16)} | ${f0(pct(r.recovery, 50))} ms   (all: ${r.failover.map(f0).join(', ')} ms)`,
      );
    }
    const all = results.flatMap((r) => r.failover);
    console.log(
      `  ratio failover/interval: ${(median(all) / interval).toFixed(2)} (p50 of all ${all.length} rounds; p95 ${(pct(all, 95) / interval).toFixed(2)})`,
    );
    const h = rt.providers.health.view('finnhub');
    console.log(`  finnhub errors counted by the chain: ${JSON.stringify(h.errors)}`);

    // ---- 2. budgets ----------------------------------------------------------------------------
    const budget = { perMinute: FINNHUB.budget.perMinute * SCALE, perDay: 0 };
    const freshnessS = DEFAULT_FRESHNESS_S / SCALE;
    const max = maxFreshSymbols(budget, INTERVAL_MS, freshnessS);
    console.log(
      `\n(2) budgets: finnhub ${budget.perMinute}/min, freshness ${freshnessS} s (the defaults ${FINNHUB.budget.perMinute}/min and ${DEFAULT_FRESHNESS_S} s, ${SCALE}× faster), collector ${INTERVAL_MS} ms; planRefresh keeps at most ${max} symbols fresh`,
    );
    await setSetting(db, SProviderBudgets, { finnhub: budget, yahoo: YAHOO.budget }, 'system:bench');
    await setSetting(
      db,
      SQuoteFreshness,
      { defaultMaxAgeSeconds: freshnessS, retentionDays: 30 },
      'system:bench',
    );
    console.log(
      '  symbols | planned interval   | measured p50 / p95 (gaps) | ratio measured/planned | reads all fresh | max age | yahoo quotes | finnhub req/min',
    );
    const ratios: number[] = [];
    for (const n of [Math.round(max * 0.8), max, Math.round(max * 1.2)]) {
      const syms = Array.from(
        { length: n },
        (_, i) => `Z${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`,
      );
      const tIns = performance.now();
      await db.query(`UPDATE symbols SET tracked = false`);
      await db.query(
        `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source, tracked)
         SELECT 'US', s, s, s, 'USD', 'BENCH', 'bench', true FROM unnest($1::text[]) s
         ON CONFLICT (market, symbol) DO UPDATE SET tracked = true`,
        [syms],
      );
      await rt.providers.budgets.reset('finnhub');
      const planned = planRefresh({
        symbols: n,
        budget,
        collectorIntervalMs: INTERVAL_MS,
        freshnessSeconds: freshnessS,
      });
      // start once the new list has been polled in full
      const set = new Set(syms);
      const seen = new Set<string>();
      await waitArrival(
        tIns,
        (a) => {
          if (set.has(a.symbol)) seen.add(a.symbol);
          return seen.size === n;
        },
        planned.intervalMs + 30_000,
      );
      const t0 = performance.now();
      const caseMs = Math.max(CASE_MS, 2 * planned.intervalMs + INTERVAL_MS);
      const req0 = finnhub.requests.length;
      const refs = syms.map((symbol) => ({ market: 'US' as const, symbol }));
      let reads = 0;
      let allFresh = 0;
      let maxAge = 0;
      while (performance.now() - t0 < caseMs) {
        const latest = await getLatestQuotes(db, refs, freshnessS, new Date(), { alwaysOpen: true });
        reads += 1;
        if (latest.every((q) => q.status === 'fresh')) allFresh += 1;
        for (const q of latest) if ('ageSeconds' in q) maxAge = Math.max(maxAge, q.ageSeconds);
        await sleep(200);
      }
      const t1 = performance.now();
      const perMin = ((finnhub.requests.length - req0) * 60_000) / (t1 - t0);
      // every poll of the new list (from its first one on) counts for the intervals
      const window = arrivals.filter((a) => a.t >= tIns && a.t <= t1 && set.has(a.symbol));
      const yahooN = window.filter((a) => a.source === 'yahoo').length; // budget spent → failover
      const bySym = new Map<string, number[]>();
      for (const a of window) bySym.set(a.symbol, [...(bySym.get(a.symbol) ?? []), a.t]);
      const g: number[] = [];
      for (const ts of bySym.values()) for (let i = 1; i < ts.length; i++) g.push(ts[i]! - ts[i - 1]!);
      const m50 = g.length ? median(g) : Number.NaN;
      const ratio = m50 / planned.intervalMs;
      ratios.push(ratio);
      console.log(
        `  ${String(n).padStart(7)} | ${f0(planned.intervalMs).padStart(5)} ms ${planned.keepsFresh ? 'keepsFresh' : 'stale     '} | ${`${f0(m50)} / ${g.length ? f0(pct(g, 95)) : '—'} ms (${g.length})`.padStart(25)} | ${ratio.toFixed(2).padStart(22)} | ${`${((100 * allFresh) / reads).toFixed(0)} % of ${reads}`.padStart(15)} | ${`${maxAge.toFixed(1)} s`.padStart(7)} | ${String(yahooN).padStart(12)} | ${f0(perMin).padStart(15)}`,
      );
    }
    console.log(
      `  ratio measured/planned interval: ${median(ratios).toFixed(2)} (median of the ${ratios.length} cases)`,
    );
  } finally {
    stopHub.abort();
    await hubLoop;
    await rt?.close();
    await finnhub.close();
    await yahoo.close();
  }
}

async function main() {
  console.log(`providers bench; Node ${process.version}; ${new Date().toISOString()}`);
  const base = process.env.BENCH_DATABASE_URL;
  if (!base) {
    console.log('database: embedded PGlite (in memory)');
    const db = await createDatabase({ dataDir: 'memory://' });
    try {
      await run(db);
    } finally {
      await db.close();
    }
    return;
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  console.log(`database: PostgreSQL, throwaway ${name}`);
  try {
    const db = await createDatabase({ databaseUrl: withDatabase(base, name), poolMax: 5 });
    try {
      await run(db);
    } finally {
      await db.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
