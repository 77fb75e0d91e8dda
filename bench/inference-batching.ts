// Dynamic micro-batching benchmark for the inference services.
//   npx tsx bench/inference-batching.ts [--requests 40] [--connections 32]
// Starts the real sentiment and timeseries services in-process (default ONNX models, CPU provider) twice
// each — maxBatch 32 / maxWait 4 ms versus maxBatch 1 — and drives them with `connections` concurrent
// fetch clients (keep-alive), each sending `requests` requests of one item back to back, against 127.0.0.1.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { defaultConfig, startService } from '../apps/inference/src/index';
import { loadForecastModel } from '../apps/inference/src/models/forecast';
import { loadSentimentModel } from '../apps/inference/src/models/sentiment';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '40' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    /** maxBatch:maxWaitMs pairs */
    variants: { type: 'string', default: '32:4,1:0' },
  },
});
const perClient = Number(values.requests);
const connections = Number(values.connections);
const rounds = Number(values.rounds);

const TEXTS = [
  'Shares surged after record quarterly profit and raised guidance',
  'The company warned of a widening loss and cut its dividend',
  '公司业绩大幅增长，净利润创历史新高',
  '股价暴跌，公司面临巨额亏损和监管调查',
  'The board will meet on Tuesday to discuss the annual report',
  '腾讯控股发布季度财报，收入同比增长',
  'Analysts downgraded the stock citing weak demand in China',
  'Revenue beat expectations as cloud sales accelerated',
];

interface Figures {
  label: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  meanBatch: number;
}

/** Batch count and item sum from the service's own Prometheus histogram. */
async function batchStats(url: string): Promise<{ count: number; sum: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return Number(line?.split(' ').at(-1) ?? 0);
  };
  return { count: read('inference_batch_size_count'), sum: read('inference_batch_size_sum') };
}

/** `connections` clients, each sending `perClient` requests back to back; exact wall time and latencies. */
async function load(url: string, bodies: readonly string[], clients: number, each: number) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let k = 0; k < each; k++) {
        const body = bodies[next++ % bodies.length];
        const started = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - started);
        if (!res.ok) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { total: latencies.length, seconds, p50: pct(50), p99: pct(99), errors };
}

async function run(label: string, url: string, path: string, bodies: string[]): Promise<Figures> {
  await load(`${url}${path}`, bodies, 4, 16); // warm-up: hot model, JIT and connections
  const before = await batchStats(url);
  const r = await load(`${url}${path}`, bodies, connections, perClient);
  const after = await batchStats(url);
  return {
    label,
    requests: r.total,
    rps: r.total / r.seconds,
    p50: Number(r.p50.toFixed(1)),
    p99: Number(r.p99.toFixed(1)),
    errors: r.errors,
    meanBatch: (after.sum - before.sum) / Math.max(1, after.count - before.count),
  };
}

const sentimentBodies = TEXTS.map((t) => JSON.stringify({ texts: [t] }));
const series = (seed: number) =>
  Array.from({ length: 600 }, (_, k) => 100 + seed + 0.05 * k + 2 * Math.sin((k + seed) / 6));
const forecastBodies = Array.from({ length: 8 }, (_, s) => JSON.stringify({ series: [series(s)] }));

// Rounds alternate the two variants so a noisy neighbour hurts both alike; the median round is reported.
const results: Figures[] = [];
for (const [service, path, bodies] of [
  ['sentiment', '/v1/sentiment', sentimentBodies],
  ['timeseries', '/v1/forecast', forecastBodies],
] as const) {
  const variants = String(values.variants)
    .split(',')
    .map((v) => {
      const [maxBatch, maxWaitMs] = v.split(':').map(Number);
      return { maxBatch: maxBatch ?? 32, maxWaitMs: maxWaitMs ?? 4 };
    });
  const perVariant: Figures[][] = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [v, batch] of variants.entries()) {
      const svc = await startService(service, {
        port: 0,
        logLevel: 'warn',
        batch: { ...batch, maxQueue: 4096 },
      });
      try {
        perVariant[v]!.push(
          await run(`${service} maxBatch=${batch.maxBatch} maxWaitMs=${batch.maxWaitMs}`, svc.url, path, [
            ...bodies,
          ]),
        );
      } finally {
        await svc.close();
      }
    }
  }
  for (const runs of perVariant) {
    const sorted = [...runs].sort((a, b) => a.rps - b.rps);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    results.push({
      ...median,
      label: `${median.label} (median of ${runs.length}: ${runs.map((r) => r.rps.toFixed(0)).join('/')} req/s)`,
    });
  }
}

console.log(
  `\n${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}, load average ${os.loadavg()[0]?.toFixed(1)}, ` +
    `${connections} connections x ${perClient} requests, ${rounds} rounds\n`,
);
console.log('| run | requests | req/s | p50 ms | p99 ms | errors | mean batch |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(
    `| ${r.label} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.meanBatch.toFixed(1)} |`,
  );
}
for (const service of ['sentiment', 'timeseries']) {
  const [b, u] = results.filter((r) => r.label.startsWith(service));
  if (b && u) console.log(`\n${service}: batched/unbatched throughput = ${(b.rps / u.rps).toFixed(2)}x`);
}

// Model-level: the same 32 items through the ONNX session one by one vs as one batch (no HTTP).
const config = defaultConfig();
const sentiment = await loadSentimentModel(config.sentimentModelDir, { provider: 'cpu' });
const forecaster = await loadForecastModel(config.timeseriesModelDir, { provider: 'cpu' });
const texts = Array.from({ length: 32 }, (_, i) => `${TEXTS[i % TEXTS.length]} ${i}`);
const windows = Array.from({ length: 32 }, (_, i) => series(i).slice(-forecaster.contextLength));
async function perItemMs(fn: () => Promise<unknown>, items: number, reps: number): Promise<number> {
  for (let w = 0; w < 20; w++) await fn();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) await fn();
  return (performance.now() - t0) / (reps * items);
}
const rows = [
  [
    'sentiment',
    await perItemMs(
      async () => {
        for (const t of texts) await sentiment.predict([t], 'auto');
      },
      32,
      50,
    ),
    await perItemMs(() => sentiment.predict(texts, 'auto'), 32, 50),
  ],
  [
    'timeseries',
    await perItemMs(
      async () => {
        for (const w of windows) await forecaster.predict([w]);
      },
      32,
      50,
    ),
    await perItemMs(() => forecaster.predict(windows), 32, 50),
  ],
] as const;
console.log('\n| model (no HTTP) | ms/item, batch 1 | ms/item, batch 32 | speed-up |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, single, batched] of rows) {
  console.log(
    `| ${name} | ${single.toFixed(3)} | ${batched.toFixed(3)} | ${(single / batched).toFixed(1)}x |`,
  );
}
await sentiment.close();
await forecaster.close();
