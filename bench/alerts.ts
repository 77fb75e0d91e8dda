/**
 * Alert evaluation (issue 10): 10 000 enabled alerts over 500 symbols (20 per symbol, 20 users with 500 each,
 * one webhook channel per user on a local receiver; price levels, day moves, moves over a window, RSI, MA and
 * MACD crosses on 60 stored daily bars), in a real runtime (ingest → NOTIFY → quote hub → AlertEngine →
 * notification queue (pg-boss) → signed webhook).
 *  1. paced: quotes arrive at --rate rows/s (default 1 000) for --seconds (default 30); prints the engine's
 *     evaluation rate, firings, and quote-to-delivery latency (quote timestamp → webhook received) p50/p99;
 *  2. burst: --burst rows (default 20 000) ingested as fast as the ingest path goes; prints the ingest rate and
 *     the engine's evaluation rate over the same rows, and their ratio (≥ 1: the engine keeps up with ingest).
 * Run: npx tsx bench/alerts.ts                                        (embedded PGlite, in memory)
 *      BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/alerts.ts
 * (on PostgreSQL a throwaway database is created next to the given one and dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import {
  createApiToken,
  createLogger,
  createRuntime,
  createUser,
  ingestQuotes,
  type Runtime,
} from '@investiq/api';
import { createApiHandler } from '@investiq/api/http';
import { withDatabase } from '@investiq/db/testing';
import pg from 'pg';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '30' },
    burst: { type: 'string', default: '20000' },
    symbols: { type: 'string', default: '500' },
    users: { type: 'string', default: '20' },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const BURST = Number(args.burst);
const SYMBOLS = Number(args.symbols);
const USERS = Number(args.users);
const PER_SYMBOL = 20;
const wallNow = () => performance.timeOrigin + performance.now();
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : Number.NaN;
};
const symbols = Array.from({ length: SYMBOLS }, (_, i) => `B${String(i).padStart(4, '0')}`);

/** The local webhook: when each firing (by its quote time, "at <ts>" in the text) was received. */
function receiver(): Promise<{ server: Server; url: string; latencies: number[]; requests: { n: number } }> {
  const latencies: number[] = [];
  const requests = { n: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const at = wallNow();
      requests.n++;
      try {
        const text = String((JSON.parse(body) as { text?: string }).text ?? '');
        for (const m of text.matchAll(/ at (\d{4}-\d\d-\d\dT[\d:.]+Z) — alert/g))
          latencies.push(at - Date.parse(m[1]!));
      } catch {}
      res.writeHead(200).end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        latencies,
        requests,
      }),
    ),
  );
}

function conditionFor(k: number, p0: number): unknown {
  if (k < 6) return { type: 'price_above', value: Math.round(p0 * (1 + (k + 1) * 0.004) * 100) / 100 };
  if (k < 12) return { type: 'price_below', value: Math.round(p0 * (1 - (k - 5) * 0.004) * 100) / 100 };
  if (k === 12) return { type: 'change_pct_above', value: 1 };
  if (k === 13) return { type: 'change_pct_below', value: -1 };
  if (k === 14) return { type: 'change_pct_window', windowMinutes: 1, value: 0.5 };
  if (k === 15) return { type: 'change_pct_window', windowMinutes: 1, value: -0.5 };
  if (k === 16) return { type: 'rsi_above', value: 60, period: 14 };
  if (k === 17) return { type: 'rsi_below', value: 40, period: 14 };
  if (k === 18) return { type: 'ma_cross', fast: 5, slow: 20, direction: 'up' };
  return { type: 'macd_cross', fast: 12, slow: 26, signal: 9, direction: 'down' };
}

async function setUp(rt: Runtime, hookUrl: string, base: string) {
  await rt.db.query(
    `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source, tracked)
     SELECT 'US', s, s, s, 'USD', 'BENCH', 'bench', false FROM unnest($1::text[]) s`,
    [symbols],
  );
  // 60 completed sessions before today, closes oscillating around 100
  await rt.db.query(
    `INSERT INTO daily_bars (market, symbol, date, source, open, high, low, close, volume)
     SELECT 'US', s, (now() AT TIME ZONE 'America/New_York')::date - 61 + i, 'bench', c, c, c, c, 1000000
       FROM unnest($1::text[]) s, generate_series(0, 59) i, LATERAL (SELECT round((100 + 3 * sin(i / 4.0))::numeric, 4) AS c) x`,
    [symbols],
  );
  const userIds: string[] = [];
  const channelIds: string[] = [];
  for (let u = 0; u < USERS; u++) {
    const user = await createUser(rt.db, {
      username: `bench${u}`,
      password: 'bench-password-1',
      role: 'analyst',
    });
    const { token } = await createApiToken(rt.db, { name: `bench${u}`, role: 'analyst', ownerId: user.id });
    const res = await fetch(`${base}/api/v1/notification-channels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'webhook',
        name: 'bench',
        url: `${hookUrl}/u${u}`,
        secret: 'bench-webhook-secret-1234',
      }),
    });
    if (res.status !== 201) throw new Error(`channel: ${res.status} ${await res.text()}`);
    userIds.push(user.id);
    channelIds.push(((await res.json()) as { id: string }).id);
  }
  const rows: unknown[][] = [[], [], [], []];
  symbols.forEach((s, i) => {
    for (let k = 0; k < PER_SYMBOL; k++) {
      const u = (i * PER_SYMBOL + k) % USERS;
      rows[0]!.push(userIds[u]);
      rows[1]!.push(s);
      rows[2]!.push(JSON.stringify(conditionFor(k, 100)));
      rows[3]!.push(channelIds[u]);
    }
  });
  await rt.db.query(
    `INSERT INTO alerts (user_id, market, symbol, condition, channel_ids, cooldown_seconds)
     SELECT u, 'US', s, c::jsonb, ARRAY[ch]::uuid[], 0 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) t(u, s, c, ch)`,
    rows,
  );
  await rt.alerts.changed();
  return rt.alerts.alertCount;
}

async function run(rt: Runtime, hook: Awaited<ReturnType<typeof receiver>>) {
  const api = createApiHandler(rt);
  const server = createServer(
    (req, res) => void api(req, res).then((h) => (h ? undefined : res.writeHead(404).end())),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const alerts = await setUp(rt, hook.url, base);
    console.log(
      `${rt.db.kind}: ${alerts} alerts on ${SYMBOLS} symbols (${USERS} users), Node ${process.version}`,
    );
    const price = new Map(symbols.map((s) => [s, 100]));
    let seq = 0;
    let lastTs = 0; // quote times strictly increase (an older quote is not a crossing, and not evaluated)
    let rnd = 7;
    const next = () => {
      rnd = (rnd * 1103515245 + 12345) % 2 ** 31;
      return rnd / 2 ** 31;
    };
    const batch = (n: number) => {
      return Array.from({ length: n }, () => {
        lastTs = Math.max(Date.now(), lastTs + 1);
        const symbol = symbols[seq++ % SYMBOLS]!;
        const p = Math.round(price.get(symbol)! * (1 + (next() - 0.5) * 0.006) * 100) / 100;
        price.set(symbol, p);
        return {
          market: 'US' as const,
          symbol,
          ts: new Date(lastTs),
          source: 'bench',
          price: p,
          open: null,
          high: null,
          low: null,
          prevClose: 100,
          volume: 1000,
        };
      });
    };
    // warm-up: one quote per symbol (loads bars and recent prices)
    const e0 = rt.alerts.quotesEvaluated;
    await ingestQuotes(rt.db, batch(SYMBOLS));
    const until = async (n: number, ms: number) => {
      const end = Date.now() + ms;
      while (rt.alerts.quotesEvaluated < n && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      return rt.alerts.quotesEvaluated >= n;
    };
    await until(e0 + SYMBOLS, 120_000);
    await rt.alerts.idle();
    await new Promise((r) => setTimeout(r, 5_000)); // warm-up firings delivered, not counted
    hook.latencies.length = 0;
    const fired0 = Number(
      (await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_events'))[0]!.n,
    );

    // 1. paced
    const tick = 100;
    const perTick = Math.round((RATE * tick) / 1000);
    const e1 = rt.alerts.quotesEvaluated;
    const t1 = performance.now();
    let sent = 0;
    for (let k = 0; k < (SECONDS * 1000) / tick; k++) {
      const due = t1 + k * tick;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await ingestQuotes(rt.db, batch(perTick));
      sent += perTick;
    }
    const ingestSecs = (performance.now() - t1) / 1000;
    await until(e1 + sent, 120_000);
    const evalSecs = (performance.now() - t1) / 1000;
    await rt.alerts.idle();
    const fired =
      Number((await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_events'))[0]!.n) -
      fired0;
    // deliveries drain: wait until nothing new arrives for 6 s (the queue polls every 2 s)
    let last = -1;
    for (let i = 0; i < 60 && hook.latencies.length !== last; i++) {
      last = hook.latencies.length;
      await new Promise((r) => setTimeout(r, 6_000));
    }
    const lat = hook.latencies;
    const [dl] = await rt.db.query<{ delivered: number; total: number }>(
      `SELECT count(*) FILTER (WHERE nd.state = 'delivered')::int AS delivered, count(*)::int AS total
         FROM alert_deliveries d LEFT JOIN notification_deliveries nd ON nd.id = d.delivery_id`,
    );
    console.log(
      `paced: offered ${RATE} rows/s, ingested ${sent} rows at ${(sent / ingestSecs).toFixed(0)} rows/s; engine evaluated ${rt.alerts.quotesEvaluated - e1} quotes (${((rt.alerts.quotesEvaluated - e1) * PER_SYMBOL).toLocaleString('en')} alert evaluations) in ${evalSecs.toFixed(1)} s = ${((rt.alerts.quotesEvaluated - e1) / evalSecs).toFixed(0)} quotes/s`,
    );
    console.log(
      `paced: ${fired} firings; channel messages delivered ${dl!.delivered}/${dl!.total} (warm-up's included) in ${hook.requests.n} webhook requests (digests per user every 2 s); ${lat.length} firings timed from webhook bodies (a digest's text is cut at 4 000 characters); quote→webhook latency p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms, max ${pct(lat, 100).toFixed(0)} ms`,
    );

    // 2. burst: ingest as fast as it goes, the engine behind it
    const e2 = rt.alerts.quotesEvaluated;
    const t2 = performance.now();
    // batches of one quote per symbol: the NOTIFY payload carries the newest quote per symbol of a batch
    for (let done = 0; done < BURST; done += SYMBOLS)
      await ingestQuotes(rt.db, batch(Math.min(SYMBOLS, BURST - done)));
    const burstIngest = (performance.now() - t2) / 1000;
    await until(e2 + BURST, 300_000);
    const burstEval = (performance.now() - t2) / 1000;
    const ingestRate = BURST / burstIngest;
    const evalRate = (rt.alerts.quotesEvaluated - e2) / burstEval;
    console.log(
      `burst: ingest ${BURST} rows in ${burstIngest.toFixed(2)} s = ${ingestRate.toFixed(0)} rows/s; engine done after ${burstEval.toFixed(2)} s = ${evalRate.toFixed(0)} quotes/s (${(evalRate * PER_SYMBOL).toFixed(0)} alert evaluations/s)`,
    );
    console.log(
      `ratio (engine evaluation rate / ingest rate, same rows): ${(evalRate / ingestRate).toFixed(2)}`,
    );
    await rt.alerts.idle();
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

async function main() {
  const hook = await receiver();
  const baseUrl = process.env.BENCH_DATABASE_URL;
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = baseUrl ? new pg.Client({ connectionString: baseUrl }) : null;
  if (admin) {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  }
  try {
    const rt = await createRuntime(
      {
        databaseUrl: baseUrl ? withDatabase(baseUrl, name) : undefined,
        dataDir: 'memory://',
        provider: 'demo',
        demo: { seed: 1, alwaysOpen: true },
        collector: { enabled: false, intervalMs: 1000 },
        quotes: { defaultMaxAgeSeconds: 3600, retentionDays: 30, historyYears: 1, maxIngestRows: 10_000 },
        logLevel: 'silent',
        security: { secretsKey: randomBytes(32).toString('base64') },
        notifications: { allowPrivate: true, queue: { concurrency: 8 } },
      },
      { log: createLogger({ level: 'silent' }), onProgress: () => {} },
    );
    try {
      await run(rt, hook);
    } finally {
      await rt.close();
    }
  } finally {
    hook.server.close();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
}

await main();
