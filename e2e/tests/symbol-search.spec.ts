import { expect, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';

test('header search: an exact code plus Enter opens the symbol', async ({ page }) => {
  await loginAs(page, 'viewer');
  const box = page.getByTestId('header-search');
  await expect(box).toHaveAttribute('role', 'combobox');
  await box.fill('600519');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/symbol\/CN\/600519\.SH$/);
  await expect(page.getByTestId('quote-widget')).toBeVisible();
});

test('header search: pinyin initials, arrow keys and Enter', async ({ page }) => {
  await loginAs(page, 'viewer');
  const box = page.getByTestId('header-search');
  await box.fill('gzmt');
  const option = page.getByTestId('suggest-600519.SH');
  await expect(option).toHaveAttribute('role', 'option');
  await box.press('ArrowDown');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id')) ?? '');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/symbol\/CN\/600519\.SH$/);
});

test('report form: a short HK code plus Enter picks the symbol', async ({ page }) => {
  await loginAs(page, 'analyst', '/reports/new');
  const box = page.getByTestId('symbol-search');
  await box.fill('700');
  await box.press('Enter');
  await expect(page.getByTestId('picked-symbol')).toContainText('HK:0700.HK');
});
