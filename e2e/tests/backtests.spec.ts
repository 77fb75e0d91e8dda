import { expect, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';

test('run a backtest for a demo symbol from its page and see metrics, charts and trades', async ({
  page,
}) => {
  await loginAs(page, 'analyst', '/symbol/CN/600519.SH');
  await page.getByTestId('backtest-symbol-link').click();
  await expect(page).toHaveURL(/\/backtests\?symbols=600519\.SH/);
  await expect(page.getByTestId('bt-symbols')).toHaveValue('600519.SH');
  await page.getByTestId('bt-strategy').selectOption('ma-cross');
  await page.getByTestId('bt-param-fast').fill('5');
  await page.getByTestId('bt-param-slow').fill('20');
  await page.getByTestId('bt-sweep').check();
  await page.getByTestId('bt-folds').fill('2');
  await page.getByTestId('bt-run').click();
  await expect(page).toHaveURL(/\/backtests\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('bt-status')).toHaveText(/complete/, { timeout: 60_000 });

  // metrics are numbers, for the strategy and buy-and-hold
  const cagr = page.getByTestId('bt-metric-cagr').locator('td');
  await expect(cagr.nth(0)).toHaveText(/^-?[\d,.]+%$/);
  await expect(cagr.nth(1)).toHaveText(/^-?[\d,.]+%$/);
  await expect(page.getByTestId('bt-metric-sharpe').locator('td').first()).toHaveText(/^-?[\d,.]+$/);
  await expect(page.getByTestId('bt-equity-chart').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('bt-drawdown-chart').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('bt-symbols')).toContainText('100 / ±10%');
  await expect(page.getByTestId('bt-trades').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('bt-sweep')).toBeVisible();
  // nothing overflows sideways on a phone
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);

  const download = page.waitForEvent('download');
  await page.getByTestId('bt-export-equity').click();
  expect((await download).suggestedFilename()).toMatch(/^investiq-backtest-ma-cross-.*-equity\.csv$/);

  // the run is listed on the backtests page, reached from the header
  await page.getByTestId('nav-backtests').click();
  await expect(page.getByTestId('bt-recent')).toContainText('600519.SH');
});
