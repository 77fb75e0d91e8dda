#!/usr/bin/env node
// `npm start`: build what is missing (default models, the web app), then run the whole product on the
// embedded default — the inference services (all in one process, each on its own port) and the web server
// (PGlite, demo market, collector) — and print the dashboard URL. Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  TURBO_TELEMETRY_DISABLED: '1',
  ONNXRUNTIME_NODE_INSTALL: 'skip',
  NODE_ENV: 'production',
  // The web and the inference services share a bearer secret; when none is configured, this run makes one
  // for its own processes (it lives only in their environment and changes on every start).
  INFERENCE_TOKEN: process.env.INFERENCE_TOKEN || randomBytes(32).toString('hex'),
};
const bin = (name) => path.join(root, 'node_modules/.bin', name);

function step(title, cmd, args, cwd = root) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(
      `\n✖ ${title} failed (exit ${r.status}). See the output above; README.md → Troubleshooting.`,
    );
    process.exit(r.status ?? 1);
  }
  console.log(`✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

step(
  'Building default models (skipped when up to date)',
  bin('tsx'),
  ['scripts/build-models.ts'],
  path.join(root, 'apps/inference'),
);
step('Building the web app (cached when unchanged)', bin('turbo'), [
  'run',
  'build',
  '--filter=@investiq/web',
  '--output-logs=errors-only',
]);

const children = [];
let exiting = false;
function run(name, args, cwd) {
  const child = spawn(bin('tsx'), args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env });
  child.on('exit', (code, signal) => {
    if (exiting) return;
    console.error(`\n✖ ${name} exited (${signal ?? code}); stopping.`);
    shutdown(code || 1);
  });
  children.push(child);
  return child;
}

function shutdown(code = 0) {
  exiting = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  void Promise.all(
    children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))),
  ).then(() => process.exit(code));
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

console.log(
  '\n▶ Starting inference services (llm :8001, sentiment :8002, timeseries :8003, cpu-timeseries :8004)',
);
run('inference', ['src/main.ts', '--service', 'all'], path.join(root, 'apps/inference'));
console.log('▶ Starting the web server (embedded PGlite, demo market, collector)…');
run('web', ['server.ts'], path.join(root, 'apps/web'));
