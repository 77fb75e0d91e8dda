import { expect, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';

// The admin Operations page against the e2e server: real inference processes, the running collector.
test('admin sees services, database, live ingest and the error list on the Operations page', async ({
  page,
}) => {
  await loginAs(page, 'admin', '/admin');
  await page.getByTestId('admin-nav-operations').click();
  await expect(page).toHaveURL(/\/admin\/operations$/);
  const services = page.getByTestId('ops-services');
  for (const s of ['llm', 'sentiment', 'timeseries', 'cpu-timeseries']) {
    await expect(services.getByTestId(`ops-service-${s}`)).toBeVisible();
  }
  // the llm has no upstream in e2e: reports use the deterministic writer, and the page says so
  await expect(services.getByTestId('ops-service-llm')).toContainText('unconfigured');
  await expect(services.getByTestId('ops-service-timeseries')).toContainText('closed');
  await expect(page.getByTestId('ops-database')).toContainText('ms');
  // the collector writes demo quotes every few seconds: the live page shows a non-zero rate
  await expect(page.getByTestId('ops-ingest').locator('dd').first()).not.toHaveText('0', { timeout: 20_000 });
  await expect(page.getByTestId('ops-errors')).toBeVisible();
  // provider budgets: the demo market has none (a real provider lists its day/minute budget and breaker)
  const providers = page.getByTestId('ops-providers');
  await expect(providers).toContainText('Provider budgets');
  await expect(
    providers.getByText('No real providers configured').or(providers.locator('tbody tr').first()),
  ).toBeVisible();
});

test('a viewer cannot read the Operations overview', async ({ page }) => {
  await loginAs(page, 'viewer');
  const res = await page.request.get('/api/trpc/operations.overview');
  expect(res.status()).toBe(403);
});
