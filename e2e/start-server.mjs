// Starts the built web app on a fresh embedded database for the e2e run, after creating an admin API token
// (written to DATA_DIR/e2e-token) that tests use to pause and resume the collector.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR must be set');
rmSync(dataDir, { recursive: true, force: true });
const tsx = path.join(root, 'node_modules/.bin/tsx');
const web = path.join(root, 'apps/web');
// the admin / analyst / viewer users of tests/fixtures/auth.ts
const users = spawnSync(tsx, ['src/cli/admin-create.ts', '--users-json-stdin'], {
  cwd: web,
  stdio: ['pipe', 'inherit', 'inherit'],
  input: readFileSync(path.join(root, 'e2e/tests/fixtures/users.json')),
  env: process.env,
});
if (users.status !== 0) process.exit(users.status ?? 1);
const made = spawnSync(
  tsx,
  [
    'src/cli/token-create.ts',
    '--name',
    'e2e',
    '--owner',
    'e2e-admin', // tokens act for a user (created above)
    '--role',
    'admin',
    '--out',
    path.join(dataDir, 'e2e-token'),
  ],
  {
    cwd: web,
    stdio: 'inherit',
    env: process.env,
  },
);
if (made.status !== 0) process.exit(made.status ?? 1);
// Real inference services, one process each on their own ports (not 8001–8004, so a running `npm start`
// does not clash). Each writes DATA_DIR/inference-<name>.pid; a test may kill one (reports.spec.ts stops
// sentiment) and this supervisor starts it again after E2E_INFERENCE_RESTART_MS.
const inferencePorts = {
  llm: Number(process.env.E2E_INFERENCE_BASE_PORT ?? 3201),
  sentiment: Number(process.env.E2E_INFERENCE_BASE_PORT ?? 3201) + 1,
  timeseries: Number(process.env.E2E_INFERENCE_BASE_PORT ?? 3201) + 2,
  'cpu-timeseries': Number(process.env.E2E_INFERENCE_BASE_PORT ?? 3201) + 3,
};
const portEnv = {
  llm: 'LLM_PORT',
  sentiment: 'SENTIMENT_PORT',
  timeseries: 'TIMESERIES_PORT',
  'cpu-timeseries': 'CPU_TIMESERIES_PORT',
};
// the bearer secret shared by the web and the services of this run
const inferenceToken = process.env.INFERENCE_TOKEN || randomBytes(32).toString('hex');
const restartMs = Number(process.env.E2E_INFERENCE_RESTART_MS ?? 6000);
const inference = path.join(root, 'apps/inference');
const services = new Map();
let shuttingDown = false;
mkdirSync(dataDir, { recursive: true });
function startInference(name) {
  // node itself (not the tsx wrapper, which forks) so the pid file names the process that listens
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--service', name], {
    cwd: inference,
    stdio: 'inherit',
    env: {
      ...process.env,
      [portEnv[name]]: String(inferencePorts[name]),
      INFERENCE_HOST: '127.0.0.1',
      INFERENCE_TOKEN: inferenceToken,
      LOG_LEVEL: 'warn',
      LLM_UPSTREAM_URL: '',
    },
  });
  writeFileSync(path.join(dataDir, `inference-${name}.pid`), String(proc.pid));
  services.set(name, proc);
  proc.on('exit', () => {
    if (shuttingDown) return;
    setTimeout(() => {
      if (!shuttingDown) startInference(name);
    }, restartMs);
  });
}
for (const name of Object.keys(inferencePorts)) startInference(name);
const inferenceUrls = {
  INFERENCE_LLM_URL: `http://127.0.0.1:${inferencePorts.llm}`,
  INFERENCE_SENTIMENT_URL: `http://127.0.0.1:${inferencePorts.sentiment}`,
  INFERENCE_TIMESERIES_URL: `http://127.0.0.1:${inferencePorts.timeseries}`,
  INFERENCE_CPU_URL: `http://127.0.0.1:${inferencePorts['cpu-timeseries']}`,
};
const child = spawn(tsx, ['server.ts'], {
  cwd: web,
  stdio: 'inherit',
  env: { ...process.env, ...inferenceUrls, INFERENCE_TOKEN: inferenceToken, NODE_ENV: 'production' },
});
const stopAll = (sig) => {
  shuttingDown = true;
  for (const proc of services.values()) proc.kill(sig);
  child.kill(sig);
};
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stopAll(sig));
child.on('exit', (code) => {
  shuttingDown = true;
  for (const proc of services.values()) proc.kill('SIGTERM');
  process.exit(code ?? 0);
});
