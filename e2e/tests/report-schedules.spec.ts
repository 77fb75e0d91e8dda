import { expect, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';

// An analyst schedules reports for a watchlist after the US close: the schedule lists its next run (a
// trading day, 16:30 New York time), can be disabled and deleted. The runs themselves are covered in
// packages/api/src/schedules (a clock is injected there; the browser test cannot choose the trading day).
test('an analyst schedules reports for a watchlist after the US close', async ({ page }) => {
  await loginAs(page, 'analyst');
  await page.getByTestId('nav-alerts').click();
  await expect(page).toHaveURL(/\/alerts$/);
  const section = page.getByTestId('report-schedules');
  await expect(section.getByRole('heading', { name: 'Scheduled reports' })).toBeVisible();
  // the user's default list is there to choose
  await expect(page.getByTestId('schedule-list').locator('option')).not.toHaveCount(0);
  await page.getByTestId('schedule-market').selectOption('US');
  await expect(page.getByTestId('schedule-time')).toHaveValue('16:30');
  await page.getByTestId('schedule-time').fill('16:45');
  await page.getByTestId('schedule-form').getByRole('button', { name: 'Add schedule' }).click();
  const row = page.getByTestId('schedules-list').getByRole('row', { name: /US 16:45 \(America\/New_York\)/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Next run');
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row).toContainText('disabled');
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
});
