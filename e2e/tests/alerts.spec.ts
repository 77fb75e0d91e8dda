import { expect, type Page, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';
import { adminToken } from './helpers';

async function pickSymbol(page: Page, testId: string, query: string, symbol: string): Promise<void> {
  await page.getByTestId(`${testId}-input`).fill(query);
  await page.getByTestId(`${testId}-options`).getByTestId(`option-${symbol}`).click();
}

// An analyst creates a price alert on /alerts; a crossing quote arrives through the REST ingest API; the
// header bell shows the unread firing live (SSE, no reload) and the history lists it; "mark all read" clears it.
test('an alert fires on an ingested quote: the bell counts it, the history shows it', async ({
  page,
  request,
}) => {
  await loginAs(page, 'analyst');
  await page.getByTestId('nav-alerts').click();
  await expect(page).toHaveURL(/\/alerts$/);
  await pickSymbol(page, 'alert-symbol', 'AAPL', 'AAPL');
  await expect(page.getByTestId('alert-picked')).toContainText('AAPL');
  await page.getByTestId('alert-type').selectOption('price_above');
  await page.getByTestId('alert-value').fill('900000');
  await page.getByTestId('alert-form').getByRole('button', { name: 'Create alert' }).click();
  const row = page.getByTestId('alerts-list').getByRole('row', { name: /AAPL \(US\) price above 900000/ });
  await expect(row).toBeVisible();
  await expect(page.getByTestId('alert-unread')).toHaveCount(0);

  const res = await request.post('/api/v1/market-data/quotes', {
    headers: { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' },
    data: {
      quotes: [{ market: 'US', symbol: 'AAPL', ts: new Date().toISOString(), price: 900001, prevClose: 200 }],
    },
  });
  expect(res.ok(), await res.text()).toBe(true);

  await expect(page.getByTestId('alert-unread')).toHaveText('1');
  await expect(page.getByTestId('alerts-history')).toContainText(
    'AAPL (US) price above 900000: last 900001.00',
  );
  await page.getByTestId('alerts-mark-read').click();
  await expect(page.getByTestId('alert-unread')).toHaveCount(0);
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
});

// Each condition kind has its own fields; bad values are refused with the field named (client and server),
// an indicator alert is created, and quiet hours are saved on the settings page.
test('condition kinds: fields per kind, validation naming the field, quiet hours saved', async ({ page }) => {
  await loginAs(page, 'analyst');
  await page.goto('/alerts');
  await pickSymbol(page, 'alert-symbol', 'AAPL', 'AAPL');
  await page.getByTestId('alert-type').selectOption('ma_cross');
  await page.getByTestId('alert-field-fast').fill('60');
  const form = page.getByTestId('alert-form');
  await form.getByRole('button', { name: 'Create alert' }).click();
  await expect(page.getByTestId('alert-error')).toHaveText('Fast must be shorter than slow');
  await page.getByTestId('alert-type').selectOption('rsi_above');
  await page.getByTestId('alert-value').fill('120');
  await form.getByRole('button', { name: 'Create alert' }).click();
  await expect(page.getByTestId('alert-error')).toContainText('condition.value: value must be below 100');
  await page.getByTestId('alert-type').selectOption('macd_cross');
  await page.getByTestId('alert-field-direction').selectOption('down');
  await form.getByRole('button', { name: 'Create alert' }).click();
  const row = page
    .getByTestId('alerts-list')
    .getByRole('row', { name: /MACD\(12,26,9\) crosses below its signal/ });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);

  await page.goto('/settings/notifications');
  const quiet = page.getByTestId('quiet-hours');
  // the form is filled from the stored settings (or the browser's zone) once they load
  await expect(quiet.getByTestId('quiet-zone')).not.toHaveValue('');
  await quiet.getByTestId('quiet-zone').fill('Mars/Base');
  await quiet.getByTestId('quiet-save').click();
  await expect(quiet.getByRole('alert')).toContainText('timeZone');
  await quiet.getByTestId('quiet-zone').fill('Asia/Shanghai');
  await quiet.getByTestId('quiet-start').fill('22:00');
  await quiet.getByTestId('quiet-end').fill('07:00');
  await quiet.getByTestId('quiet-save').click();
  await expect(quiet.getByRole('status')).toHaveText('Saved');
});
