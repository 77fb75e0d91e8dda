import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';

/**
 * A Finnhub-format vendor replayed by a local HTTP server this spec starts (the recorded `GET /quote`
 * answer of packages/market/fixtures/finnhub, see its README, stamped with the current time so it reads as
 * a live feed). An admin puts it in the US quotes chain through the settings UI; the dashboard then shows
 * its price with its source, and the demo banner only where demo quotes are on screen.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const quote = JSON.parse(
  readFileSync(path.join(root, 'packages/market/fixtures/finnhub/quote-AAPL.json'), 'utf8'),
);

test.describe.configure({ mode: 'serial' });

let vendor: Server;
let vendorUrl = '';
const tokens: string[] = [];

test.beforeAll(async () => {
  vendor = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    tokens.push(String(req.headers['x-finnhub-token'] ?? u.searchParams.get('token') ?? ''));
    if (u.pathname !== '/api/v1/quote') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no route"}');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify({ ...quote, t: Math.floor(Date.now() / 1000) }));
  });
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
});

// Put the US quotes chain back to demo for the specs that follow (even when this one failed half-way).
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  try {
    await loginAs(page, 'admin', '/admin');
    const rows = (await (await page.request.get('/api/trpc/settings.list')).json()).result.data as {
      key: string;
      value: { US: Record<string, string[]> };
    }[];
    const chains = rows.find((r) => r.key === 'providers.chains')?.value;
    if (chains && chains.US.quotes?.[0] !== 'demo') {
      chains.US.quotes = ['demo'];
      const res = await page.request.post('/api/trpc/settings.set', {
        headers: { 'content-type': 'application/json' },
        data: { key: 'providers.chains', value: chains },
      });
      expect(res.ok(), await res.text()).toBe(true);
    }
  } finally {
    await page.close();
    await new Promise<void>((resolve) => vendor?.close(() => resolve()));
  }
});

/** Empties a settings list editor and fills it with `values`, one row each. */
async function setList(page: Page, id: string, values: string[]) {
  // count the rows only once the editor shows the stored list: right after a client-side navigation the card
  // is still loading, count() does not wait, and the stored row would be overwritten instead of removed
  await expect(page.getByTestId(id)).toBeVisible();
  const rows = page.getByTestId(id).locator('li');
  for (let n = await rows.count(); n > 0; n--) {
    await page.getByTestId(`${id}-0-remove`).click();
    await expect(rows).toHaveCount(n - 1);
  }
  for (const [i, v] of values.entries()) {
    await page.getByTestId(`${id}-add`).click();
    await page.getByTestId(`${id}-${i}`).fill(v);
  }
}

async function saveSetting(page: Page, key: string, fill: () => Promise<void>) {
  const card = page.getByTestId(`setting-${key}`);
  await fill();
  await card.getByTestId(`setting-${key}-save`).click();
  await expect(card.getByTestId(`setting-${key}-saved`)).toBeVisible();
}

test('admin sets a US chain and key in the UI; the dashboard shows the vendor price with its source', async ({
  page,
}, info) => {
  test.skip(info.project.name !== 'desktop', 'changes server-wide settings once');
  await loginAs(page, 'admin', '/admin');
  await saveSetting(page, 'providers.apiKeys', () =>
    page.getByTestId('setting-providers.apiKeys-finnhub').fill('e2e-finnhub-key'),
  );
  await saveSetting(page, 'providers.baseUrls', async () => {
    const id = 'setting-providers.baseUrls-value';
    // a bad provider id is refused inline, before anything is sent
    await page.getByTestId(`${id}-new-key`).fill('Fin Hub');
    await page.getByTestId(`${id}-add`).click();
    await expect(page.getByTestId(`${id}-new-key-error`)).toContainText('Lower-case letters');
    await page.getByTestId(`${id}-new-key`).fill('finnhub');
    await page.getByTestId(`${id}-add`).click();
    await page.getByTestId('setting-providers.baseUrls-finnhub').fill(`${vendorUrl}/api/v1`);
  });
  await saveSetting(page, 'providers.chains', () =>
    setList(page, 'setting-providers.chains-US.quotes', ['finnhub']),
  );

  // the symbol page shows the replayed price, labelled with its source, and no demo banner
  await page.goto('/symbol/US/AAPL');
  await expect(page.getByTestId('quote-source')).toHaveText('finnhub', { timeout: 30_000 });
  await expect(page.getByTestId('quote-price')).toHaveText(/^261\.74$/);
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  expect(tokens).toContain('e2e-finnhub-key');

  // the dashboard still shows CN/HK demo quotes: there the banner is back, and each row names its source
  await page.goto('/');
  await expect(page.getByTestId('row-AAPL').getByTestId('source')).toHaveText('finnhub', { timeout: 30_000 });
  await expect(page.getByTestId('row-600519.SH').getByTestId('source')).toHaveText('demo');
  await expect(page.getByTestId('demo-banner')).toBeVisible();

  // the Providers page: Finnhub serves US quotes as primary, its calls succeed, and the test button answers
  await page.getByTestId('nav-admin').click();
  await page.getByTestId('admin-nav-providers').click();
  await expect(page.getByTestId('provider-finnhub-serves')).toContainText('US/quotes#1');
  await expect(page.getByTestId('provider-finnhub-breaker')).toHaveText('closed');
  await page.getByTestId('provider-finnhub-test').click();
  await expect(page.getByTestId('provider-finnhub-test-result')).toContainText('OK in');

  // back to demo in the UI: without a restart, the next quotes are demo again
  await page.getByTestId('admin-nav-settings').click();
  await saveSetting(page, 'providers.chains', () =>
    setList(page, 'setting-providers.chains-US.quotes', ['demo']),
  );
  await page.goto('/symbol/US/AAPL');
  await expect(page.getByTestId('quote-source')).toHaveText('demo', { timeout: 30_000 });
  await expect(page.getByTestId('demo-banner')).toBeVisible();
});

test('a viewer cannot read the provider overview or test a connection', async ({ page }) => {
  await loginAs(page, 'viewer');
  expect((await page.request.get('/api/trpc/providers.overview')).status()).toBe(403);
});
