/**
 * Report end-to-end latency on the embedded default without an LLM (issue "Analysis reports").
 * The inference services run as one child process (`--service all`, as `npm start` does) on free ports;
 * the web runtime (PGlite in a temp dir, demo market, 3 years of daily bars) runs here. One warm-up report,
 * then N reports (default 20) round-robin over the demo universe, one at a time.
 * Prints p50/p95 end-to-end, the per-module breakdown, and the baseline ratio: end-to-end vs the sum of the
 * module times (what a sequential pipeline would take at least).
 * Cold figures count a symbol's first report only; later reports on the same symbol (and, with `--repeat`, a
 * second pass over the symbols) are printed apart: their ARIMA/GARCH answers come from the result cache.
 * Run: npx tsx bench/report-latency.ts [--reports 20] [--port 3401 (first of 4 inference ports)] [--repeat]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, createRuntime } from '@investiq/api';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('reports', 20);
const BASE = arg('port', 3401);
const REPEAT = process.argv.includes('--repeat');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function waitHealthy(url: string, deadlineMs: number) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      const r = await fetch(`${url}/health`);
      const b = (await r.json()) as { status: string; warmedUp: boolean };
      if (b.status === 'ok' || b.status === 'unconfigured') return;
    } catch {}
    if (Date.now() > end) throw new Error(`${url} not healthy in time`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  const ports = { llm: BASE, sentiment: BASE + 1, timeseries: BASE + 2, 'cpu-timeseries': BASE + 3 };
  const urls = Object.fromEntries(
    Object.entries(ports).map(([k, p]) => [k, `http://127.0.0.1:${p}`]),
  ) as Record<keyof typeof ports, string>;
  // the services refuse to start without their bearer secret; the runtime below sends the same one
  const token = process.env.INFERENCE_TOKEN || randomBytes(24).toString('base64url');
  const svc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--service', 'all'], {
    cwd: path.join(root, 'apps/inference'),
    stdio: 'inherit',
    env: {
      ...process.env,
      LLM_PORT: String(ports.llm),
      SENTIMENT_PORT: String(ports.sentiment),
      TIMESERIES_PORT: String(ports.timeseries),
      CPU_TIMESERIES_PORT: String(ports['cpu-timeseries']),
      LOG_LEVEL: 'warn',
      LLM_UPSTREAM_URL: '',
      INFERENCE_TOKEN: token,
    },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'investiq-bench-'));
  try {
    await Promise.all(Object.values(urls).map((u) => waitHealthy(u, 60_000)));
    const rt = await createRuntime(
      {
        dataDir: path.join(dir, 'pglite'),
        provider: 'demo',
        demo: { seed: 20240101, alwaysOpen: true },
        collector: { enabled: false, intervalMs: 2000 },
        quotes: { defaultMaxAgeSeconds: 30, retentionDays: 30, historyYears: 3, maxIngestRows: 10_000 },
        logLevel: 'warn',
        inference: {
          urls,
          token,
          timeoutMs: { llm: 60_000, sentiment: 5_000, timeseries: 5_000, 'cpu-timeseries': 15_000 },
        },
      },
      { log: createLogger({ level: 'warn' }), onProgress: () => {} },
    );
    try {
      const symbols = (await rt.provider.listSymbols()).map((s) => ({ market: s.market, symbol: s.symbol }));
      const run = async (i: number) => {
        const ref = symbols[i % symbols.length]!;
        const t0 = performance.now();
        const { id } = await rt.reports.create({ ...ref, language: i % 2 ? 'zh' : 'en', createdBy: 'bench' });
        await rt.reports.wait(id);
        const ms = performance.now() - t0;
        const rows = await rt.db.query<{ module: string; status: string; duration_ms: number }>(
          'SELECT module, status, duration_ms FROM report_sections WHERE report_id = $1',
          [id],
        );
        const bad = rows.filter((r) => r.status !== 'ok');
        if (bad.length)
          throw new Error(`report ${id}: ${bad.map((b) => `${b.module}=${b.status}`).join(', ')}`);
        return {
          ms,
          modules: Object.fromEntries(rows.map((r) => [r.module, r.duration_ms])) as Record<string, number>,
        };
      };
      await run(0); // warm-up (JIT, model sessions, first queries)
      // Cold figures come only from a symbol's first report: a second report on the same symbol and bar date
      // gets its ARIMA/GARCH answers from the cpu-timeseries result cache (CPU_RESULT_CACHE) and is counted
      // apart, as are the `--repeat` pass's reports (every cold symbol once more).
      const results: Awaited<ReturnType<typeof run>>[] = [];
      const repeats: Awaited<ReturnType<typeof run>>[] = [];
      const seen = new Set([0]);
      for (let i = 1; i <= N; i++) {
        const r = await run(i);
        if (seen.has(i % symbols.length)) repeats.push(r);
        else results.push(r);
        seen.add(i % symbols.length);
      }
      if (REPEAT) for (let i = 1; i <= Math.min(N, symbols.length - 1); i++) repeats.push(await run(i));
      const e2e = results.map((r) => r.ms);
      const sums = results.map((r) => Object.values(r.modules).reduce((a, b) => a + b, 0));
      const modules = Object.keys(results[0]!.modules);
      console.log(
        `\nReport latency, embedded default (PGlite, demo market, no LLM), ${results.length} cold reports (a symbol's first), 1 at a time\n`,
      );
      console.log(
        `end-to-end        p50 ${pct(e2e, 50).toFixed(0)} ms   p95 ${pct(e2e, 95).toFixed(0)} ms   max ${Math.max(...e2e).toFixed(0)} ms`,
      );
      console.log('\nper module (section duration):');
      for (const m of modules) {
        const xs = results.map((r) => r.modules[m]!);
        console.log(
          `  ${m.padEnd(12)} p50 ${String(pct(xs, 50)).padStart(5)} ms   p95 ${String(pct(xs, 95)).padStart(5)} ms`,
        );
      }
      const ratio = pct(e2e, 50) / pct(sums, 50);
      console.log(
        `\nbaseline: sum of module times (sequential lower bound) p50 ${pct(sums, 50).toFixed(0)} ms → end-to-end / sequential = ${ratio.toFixed(2)}`,
      );
      if (repeats.length) {
        const st = repeats.map((r) => r.modules.statistics!);
        const e = repeats.map((r) => r.ms);
        console.log(
          `\nrepeat reports (same symbol and bar date; ARIMA/GARCH from the result cache), ${repeats.length}: end-to-end p50 ${pct(e, 50).toFixed(0)} ms, statistics p50 ${pct(st, 50)} ms / p95 ${pct(st, 95)} ms`,
        );
      }
    } finally {
      await rt.close();
    }
  } finally {
    svc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
