// Starts the built web app on a fresh embedded database for the e2e run, after creating an admin API token
// (written to DATA_DIR/e2e-token) that tests use to pause and resume the collector.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR must be set');
rmSync(dataDir, { recursive: true, force: true });
const tsx = path.join(root, 'node_modules/.bin/tsx');
const web = path.join(root, 'apps/web');
const made = spawnSync(
  tsx,
  ['src/cli/token-create.ts', '--name', 'e2e', '--role', 'admin', '--out', path.join(dataDir, 'e2e-token')],
  {
    cwd: web,
    stdio: 'inherit',
    env: process.env,
  },
);
if (made.status !== 0) process.exit(made.status ?? 1);
// the admin / analyst / viewer users of tests/fixtures/auth.ts
const users = spawnSync(tsx, ['src/cli/admin-create.ts', '--users-json-stdin'], {
  cwd: web,
  stdio: ['pipe', 'inherit', 'inherit'],
  input: readFileSync(path.join(root, 'e2e/tests/fixtures/users.json')),
  env: process.env,
});
if (users.status !== 0) process.exit(users.status ?? 1);
const child = spawn(tsx, ['server.ts'], {
  cwd: web,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
