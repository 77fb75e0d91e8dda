import { expect, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';

test.describe('a Chinese browser', () => {
  test.use({ locale: 'zh-CN' });

  test('gets Chinese on the first visit, from the server; an English choice is remembered', async ({
    page,
    request,
  }) => {
    // the server renders the first page in Chinese already: no English flash before hydration
    const html = await (
      await request.get('/', { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.5' } })
    ).text();
    expect(html).toContain('<html lang="zh-CN"');
    const en = await (await request.get('/', { headers: { 'Accept-Language': 'en-US,en;q=0.9' } })).text();
    expect(en).toContain('<html lang="en"');

    // the sign-in page is Chinese too, then the dashboard
    await page.goto('/login');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await loginAs(page, 'viewer');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { name: '自选股' })).toBeVisible();

    // the user's own choice beats the browser, on this page and the next visit
    await page.getByTestId('lang').selectOption('en');
    await expect(page.getByRole('heading', { name: 'Watchlist' })).toBeVisible();
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: 'Watchlist' })).toBeVisible();
    await expect(page.getByTestId('lang')).toHaveValue('en');
  });
});

test('admin settings: labelled fields in Chinese, list editors, inline validation', async ({
  page,
}, info) => {
  test.skip(info.project.name !== 'desktop', 'one pass is enough for the admin form');
  await loginAs(page, 'admin', '/admin');
  await page.getByTestId('lang').selectOption('zh-CN');
  const card = page.getByTestId('setting-analysis.modules');
  await expect(card.getByTestId('setting-analysis.modules-label')).toHaveText('报告模块');
  await expect(card.getByText('RSI 周期')).toBeVisible();

  // a number out of range: the message shows beside the field and Save stays off until it is fixed
  const rsi = card.getByTestId('setting-analysis.modules-indicators.rsiPeriod');
  await rsi.fill('0');
  await expect(card.getByTestId('setting-analysis.modules-indicators.rsiPeriod-error')).toHaveText(
    '不能小于 1。',
  );
  await expect(rsi).toHaveAttribute('aria-invalid', 'true');
  await expect(card.getByTestId('setting-analysis.modules-save')).toBeDisabled();
  await rsi.fill('14');
  await expect(card.getByTestId('setting-analysis.modules-indicators.rsiPeriod-error')).toHaveCount(0);

  // SMA periods are a list: add an entry, see it validated, remove it again; nothing was saved
  const sma = 'setting-analysis.modules-indicators.smaPeriods';
  const rows = card.getByTestId(sma).locator('li');
  const before = await rows.count();
  await card.getByTestId(`${sma}-add`).click();
  await expect(rows).toHaveCount(before + 1);
  await expect(card.getByTestId(`${sma}-${before}-error`)).toHaveText('必填。');
  await card.getByTestId(`${sma}-${before}`).fill('100');
  await expect(card.getByTestId(`${sma}-${before}-error`)).toHaveCount(0);
  await card.getByTestId(`${sma}-${before}-remove`).click();
  await expect(rows).toHaveCount(before);
  await expect(card.getByTestId('setting-analysis.modules-save')).toBeDisabled(); // back to the saved value
  await page.getByTestId('lang').selectOption('en');
});
