import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.join(root, '.e2e-firstrun');

/**
 * A newcomer's first start: a second server on a fresh, empty data directory (port 0) prints a one-time
 * setup link; opening it creates the first admin. Desktop only (one extra server per run is enough).
 */
test.describe('first run', () => {
  let server: ChildProcess | undefined;
  let output = '';

  test.afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the printed one-time link creates the first admin, then stops working', async ({ page }, info) => {
    test.skip(info.project.name === 'phone', 'one first-run server per run');
    test.setTimeout(150_000);
    rmSync(dataDir, { recursive: true, force: true });
    server = spawn(path.join(root, 'node_modules/.bin/tsx'), ['server.ts'], {
      cwd: path.join(root, 'apps/web'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        COLLECTOR_MODE: 'off',
        QUOTE_HISTORY_YEARS: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    server.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    await expect
      .poll(() => /http:\/\/[\d.]+:\d+\/setup\?token=[\w-]+/.test(output), {
        timeout: 120_000,
        message: 'the server prints a setup link',
      })
      .toBe(true);
    const link = /http:\/\/[\d.]+:\d+\/setup\?token=[\w-]+/.exec(output)![0];
    const origin = new URL(link).origin;

    // without the token nothing else is reachable: every page leads to setup
    await page.goto(`${origin}/`);
    await expect(page).toHaveURL(`${origin}/setup`);
    await expect(page.locator('.auth-card')).toContainText('npm run admin:create');

    await page.goto(link);
    await page.getByTestId('setup-username').fill('owner');
    await page.getByTestId('setup-password').fill('owner-password-1');
    await page.getByTestId('setup-password2').fill('owner-password-1');
    await page.getByTestId('setup-submit').click();
    await expect(page).toHaveURL(`${origin}/admin`);
    await expect(page.getByTestId('whoami')).toContainText('owner');
    await expect(page.getByTestId('setting-quotes.freshness')).toBeVisible();

    // the link is spent: setup now leads to the login page
    await page.context().clearCookies();
    await page.goto(link);
    await expect(page).toHaveURL(/\/login/);
  });
});
