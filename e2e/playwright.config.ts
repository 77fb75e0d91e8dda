import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.E2E_PORT ?? 3199);
export const baseURL = `http://127.0.0.1:${port}`;
/** Lets tests read the detailed /api/health (inference reachability) without an admin session. */
export const e2eMetricsToken = 'e2e-metrics-credential-0123456789abcdef';
export const e2eDataDir = path.join(root, '.e2e-data');

// Debian's Chromium, never a downloaded browser. The flags keep it off the (closed) network.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
  ],
};

export default defineConfig({
  testDir: './tests',
  forbidOnly: true,
  fullyParallel: false,
  workers: 1,
  retries: 0, // a flaky test is fixed, not retried
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: { baseURL, trace: 'retain-on-failure', screenshot: 'only-on-failure', launchOptions },
  projects: [
    { name: 'setup', testMatch: /\.setup\.ts$/ },
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], launchOptions },
      dependencies: ['setup'],
      testIgnore: /\.setup\.ts$/,
    },
    {
      name: 'phone',
      use: { ...devices['Pixel 7'], launchOptions },
      dependencies: ['setup'],
      testIgnore: /\.setup\.ts$/,
    },
  ],
  webServer: {
    // a fresh embedded database, a short TTL so staleness shows quickly, and an admin token for the test
    command: `node ${path.join(root, 'e2e/start-server.mjs')}`,
    url: `${baseURL}/api/health`,
    timeout: Number(process.env.E2E_SERVER_TIMEOUT_MS ?? 120_000),
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      DATA_DIR: e2eDataDir,
      QUOTE_MAX_AGE_SECONDS: '5',
      COLLECTOR_INTERVAL_MS: '1000',
      DEMO_ALWAYS_OPEN: 'true',
      // providers.spec.ts replays a US vendor: poll it whatever the hour in New York
      COLLECTOR_SESSIONS: 'always',
      LOG_LEVEL: 'warn',
      METRICS_TOKEN: e2eMetricsToken,
    },
  },
});
