// Micro-batching with a transformer encoder: the FinBERT-shaped random-weight model (12 layers, hidden 768,
// sequence ≤ 64; RANDOM WEIGHTS — for throughput measurement only) behind the sentiment service.
//   npm run models:build:bench -w @investiq/inference   # builds apps/inference/models/finbert-shaped (≈ 5 s)
//   npx tsx bench/encoder-batching.ts [--requests 4] [--connections 32] [--threads 0] [--spinning false]
// Starts the sentiment service as its own OS process (`node --import tsx src/main.ts --service sentiment`),
// SENTIMENT_MODEL_DIR at that model, twice — BATCH_MAX_SIZE=32 (BATCH_MAX_WAIT_MS=20, --max-wait) and BATCH_MAX_SIZE=1 —
// and drives each with `connections` concurrent keep-alive clients over real HTTP, each sending `requests`
// one-headline requests back to back. Prints `ratio batched/batch-1 throughput: <x>`.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FINBERT_SHAPED_DIR } from '../apps/inference/src/models/finbert-shaped';
import { startServiceProcess } from '../apps/inference/src/test-support/service-process';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '4' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '0' },
    spinning: { type: 'string', default: 'false' },
    'max-wait': { type: 'string', default: '20' },
    model: { type: 'string', default: FINBERT_SHAPED_DIR },
  },
});
const perClient = Number(values.requests);
const connections = Number(values.connections);
if (!existsSync(join(values.model, 'model.onnx'))) {
  console.error(
    `no model at ${values.model}: run \`npm run models:build:bench -w @investiq/inference\` first`,
  );
  process.exit(2);
}

// Headlines of realistic length (≈ 8–20 tokens); the model pads each batch to its longest text.
const TEXTS = [
  'Shares surged after record quarterly profit and raised guidance',
  'The company warned of a widening loss and cut its dividend',
  '公司业绩大幅增长，净利润创历史新高',
  '股价暴跌，公司面临巨额亏损和监管调查',
  'The board will meet on Tuesday to discuss the annual report',
  'Analysts downgraded the stock citing weak demand in China',
  'Revenue beat expectations as cloud sales accelerated',
  'Regulators fined the bank over compliance failures',
];
const TOKEN = 'bench-token-0123456789abcdef';

async function batchStats(url: string): Promise<{ count: number; sum: number }> {
  const text = await (
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).text();
  const read = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return Number(line?.split(' ').at(-1) ?? 0);
  };
  return { count: read('inference_batch_size_count'), sum: read('inference_batch_size_sum') };
}

async function load(url: string, clients: number, each: number) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let k = 0; k < each; k++) {
        const text = TEXTS[next++ % TEXTS.length];
        const started = performance.now();
        const res = await fetch(`${url}/v1/sentiment`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify({ texts: [text] }),
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

const rows: { label: string; rps: number; line: string }[] = [];
let note = '';
for (const maxBatch of [32, 1]) {
  const svc = await startServiceProcess('sentiment', {
    token: TOKEN,
    readyTimeoutMs: 180_000, // LOG_LEVEL stays info: the "listening at" line is how the URL is found
    env: {
      SENTIMENT_MODEL_DIR: values.model,
      BATCH_MAX_SIZE: String(maxBatch),
      BATCH_MAX_WAIT_MS: maxBatch === 1 ? '0' : String(values['max-wait']),
      BATCH_MAX_QUEUE: '4096',
      BATCH_DEADLINE_MS: '600000',
      INFERENCE_REQUEST_TIMEOUT_MS: '600000',
      INFERENCE_INTRA_OP_THREADS: String(values.threads),
      INFERENCE_ALLOW_SPINNING: String(values.spinning),
    },
  });
  try {
    const health = (await (await fetch(`${svc.url}/health`)).json()) as { model?: { note?: string } };
    note = health.model?.note ?? '(no note in /health!)';
    await load(svc.url, 2, 2); // warm-up: hot session, connections
    const before = await batchStats(svc.url);
    const r = await load(svc.url, connections, perClient);
    const after = await batchStats(svc.url);
    const meanBatch = (after.sum - before.sum) / Math.max(1, after.count - before.count);
    const rps = r.total / r.seconds;
    const label = `maxBatch=${maxBatch}`;
    rows.push({
      label,
      rps,
      line: `| ${label} | ${r.total} | ${r.seconds.toFixed(1)} | ${rps.toFixed(2)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.errors} | ${meanBatch.toFixed(1)} |`,
    });
  } finally {
    await svc.stop();
  }
}

console.log(`\nmodel: ${values.model}\n/health note: ${note}`);
console.log(
  `${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(
      ' ',
    )}, ${connections} connections x ${perClient} requests, INFERENCE_INTRA_OP_THREADS=${values.threads}, ` +
    `INFERENCE_ALLOW_SPINNING=${values.spinning}\n`,
);
console.log('| run | requests | seconds | req/s | p50 ms | p99 ms | errors | mean batch |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(r.line);
const [b, u] = rows;
if (b && u) console.log(`\nratio batched/batch-1 throughput: ${(b.rps / u.rps).toFixed(2)}`);
