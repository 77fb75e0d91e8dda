import { expect, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';
import { collector } from './helpers';

test.describe('realtime quote widget', () => {
  // the dashboard is for signed-in users (viewer and up)
  test.beforeEach(async ({ page }) => {
    await loginAs(page, 'viewer');
  });

  test('dashboard lists the demo universe with live prices, labelled as demo data', async ({ page }) => {
    // the page is server-rendered with its data: the browser's first render must match it (no hydration error)
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/');
    await expect(page.getByTestId('demo-banner')).toContainText('Demo data');
    const rows = page.locator('[data-testid^="row-"]');
    await expect(rows).toHaveCount(13);
    await expect(page.getByTestId('row-600519.SH').getByTestId('freshness')).toHaveAttribute(
      'data-status',
      'fresh',
    );
    await expect(page.getByTestId('row-AAPL').getByTestId('price')).toHaveText(/^\d[\d,]*\.\d+$/);
    // React names a mismatch in development, and by error number (418, 423, 425) in a production build
    expect(errors.filter((e) => /hydrat|did not match|error #4(18|23|25)/i.test(e))).toEqual([]);
    // the app names its icon (a browser asked for /favicon.ico otherwise: a 404 on every page)
    await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', /^\/icon\.svg/);
    expect(errors.filter((e) => /404/.test(e))).toEqual([]);
  });

  test('a price changes live without a reload', async ({ page }) => {
    await page.goto('/');
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-status', 'open');
    // NVDA is the most volatile demo symbol: its price moves within a few one-second ticks
    const price = page.getByTestId('row-NVDA').getByTestId('price');
    await expect(price).toHaveText(/\d/);
    const first = await price.textContent();
    await expect(price).not.toHaveText(first ?? '', { timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });

  test('symbol page: widget and chart update live; pausing the collector turns the badge stale', async ({
    page,
    request,
  }) => {
    await page.goto('/symbol/CN/600519.SH');
    const widget = page.getByTestId('quote-widget');
    await expect(widget.getByTestId('freshness')).toHaveAttribute('data-status', 'fresh');
    await expect(widget.getByTestId('quote-price')).toHaveText(/\d/);
    await expect(widget.getByTestId('quote-asof')).toContainText(/\d\d:\d\d:\d\d/);
    await expect(widget.getByTestId('chart').locator('canvas').first()).toBeVisible();
    const asOf = await widget.getByTestId('quote-asof').textContent();
    await expect(widget.getByTestId('quote-asof')).not.toHaveText(asOf ?? '', { timeout: 10_000 });

    await collector(request, 'pause');
    try {
      // QUOTE_MAX_AGE_SECONDS=5 for the e2e server
      await expect(widget.getByTestId('freshness')).toHaveAttribute('data-status', 'stale', {
        timeout: 20_000,
      });
      await expect(widget.getByTestId('freshness')).toContainText('Stale');
      await expect(widget.getByTestId('quote-price')).toHaveText('—'); // no old price shown as current
    } finally {
      await collector(request, 'resume');
    }
    await expect(widget.getByTestId('freshness')).toHaveAttribute('data-status', 'fresh', {
      timeout: 20_000,
    });
  });

  test('switches to Chinese and flips the colour convention', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('lang').selectOption('zh-CN');
    await expect(page.getByRole('heading', { name: '自选股' })).toBeVisible();
    await expect(page.getByTestId('demo-banner')).toContainText('演示数据');
    const row = page.getByTestId('row-600519.SH');
    await expect(row.getByTestId('price')).toHaveText(/\d/);
    const change = (await row.locator('td').nth(3).textContent()) ?? '';
    if (change.startsWith('+') || change.startsWith('-')) {
      const up = change.startsWith('+');
      const red = 'rgb(229, 56, 59)';
      const green = 'rgb(26, 155, 91)';
      await expect(row.getByTestId('price')).toHaveCSS('color', up ? red : green); // CN default: red up
      await page.getByTestId('colors').selectOption('green-up');
      await expect(row.getByTestId('price')).toHaveCSS('color', up ? green : red);
      await page.getByTestId('colors').selectOption('market');
    }
    await page.getByTestId('lang').selectOption('en');
  });

  test('an unknown symbol gets a clear message, not a crash', async ({ page }) => {
    await page.goto('/symbol/US/ZZZZ');
    await expect(page.getByTestId('quote-error')).toContainText('Unknown symbol: US:ZZZZ');
  });
});
