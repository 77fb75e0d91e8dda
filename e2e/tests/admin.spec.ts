import { expect, type Page, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';

// Heavy flows (report generation) run once, on the desktop project; the phone project checks layout only.
test.describe.configure({ mode: 'serial' });

async function setSetting(page: Page, key: string, change: (v: Record<string, unknown>) => unknown) {
  const list = await page.request.get('/api/trpc/settings.list');
  expect(list.ok()).toBe(true);
  const rows = (await list.json()).result.data as {
    key: string;
    value: Record<string, unknown>;
    version: number;
  }[];
  const row = rows.find((r) => r.key === key);
  if (!row) throw new Error(`setting ${key} is not registered`);
  const res = await page.request.post('/api/trpc/settings.set', {
    headers: { 'content-type': 'application/json' },
    data: { key, value: change(structuredClone(row.value)) },
  });
  expect(res.ok(), await res.text()).toBe(true);
}

async function generate(page: Page, query: string, symbol: string) {
  await page.goto('/reports/new');
  await page.getByTestId('symbol-search').fill(query);
  await page.getByTestId(`suggest-${symbol}`).click();
  await page.getByTestId('generate').click();
  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}/);
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 90_000,
  });
}

test('anonymous visitors go to the login page; a viewer cannot open admin pages or call admin procedures', async ({
  page,
}) => {
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await loginAs(page, 'viewer');
  await expect(page.getByTestId('whoami')).toContainText('e2e-viewer');
  await expect(page.getByTestId('nav-admin')).toHaveCount(0);
  await page.goto('/admin/users');
  await expect(page).toHaveURL((u) => u.pathname === '/');
  const denied = await page.request.get('/api/trpc/settings.list');
  expect(denied.status()).toBe(403);
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get('/api/trpc/quotes.limits')).status()).toBe(401);
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('login-username').fill('e2e-admin');
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText('wrong username or password');
});

test('admin turns a report module off in settings and the next report honours it', async ({ page }, info) => {
  test.skip(info.project.name === 'phone', 'report generation runs once, on desktop');
  test.setTimeout(180_000);
  await loginAs(page, 'admin', '/admin');
  const card = page.getByTestId('setting-analysis.modules');
  await expect(card).toBeVisible();
  // module switches are labelled checkboxes, in the UI language
  const sentiment = card.getByTestId('setting-analysis.modules-enabled.sentiment');
  await expect(card.getByTestId('setting-analysis.modules-label')).toHaveText('Report modules');
  await expect(
    card.locator('label').filter({ has: page.getByTestId('setting-analysis.modules-enabled.sentiment') }),
  ).toHaveText('News sentiment');
  await sentiment.uncheck();
  await card.getByTestId('setting-analysis.modules-save').click();
  await expect(card.getByTestId('setting-analysis.modules-saved')).toBeVisible();
  try {
    // the audit log records it
    await page.getByTestId('admin-nav-audit').click();
    await page.getByTestId('audit-filter-target').fill('analysis.modules');
    await page.getByTestId('audit-filter-submit').click();
    await expect(page.getByTestId('audit-row').first()).toContainText('user:e2e-admin');
    await expect(page.getByTestId('audit-row').first()).toContainText('"sentiment": false');

    await generate(page, '600519', '600519.SH');
    await expect(page.getByTestId('section-profile')).toHaveAttribute('data-status', 'ok');
    await expect(page.getByTestId('section-indicators')).toHaveAttribute('data-status', 'ok');
    await expect(page.getByTestId('section-sentiment')).toHaveCount(0);
  } finally {
    await setSetting(page, 'analysis.modules', (v) => ({ ...v, enabled: {} }));
  }
});

test('admin edits the prompt template, sees the diff, previews it for a symbol with real numbers, rolls back', async ({
  page,
}, info) => {
  test.skip(info.project.name === 'phone', 'the preview runs the report modules: once, on desktop');
  await loginAs(page, 'admin', '/admin/prompts');
  await expect(page.getByTestId('prompt-active')).toContainText(/version (\d+)/);
  const before = (await page.getByTestId('prompt-active').textContent()) ?? '';
  const activeVersion = Number(/version (\d+)/.exec(before)?.[1]);
  const body = page.getByTestId('prompt-body');
  await expect(body).not.toHaveValue('');
  const original = await body.inputValue();
  await body.fill(`${original}\nAlways end with: E2E CHECK LINE for {{symbol}}.`);
  await page.getByTestId('prompt-note').fill('e2e edit');
  await page.getByTestId('prompt-save').click();
  const next = activeVersion + 1;
  await expect(page.getByTestId('prompt-active')).toContainText(`version ${next}`);
  await page.getByTestId(`prompt-diff-toggle-${next}`).click();
  await expect(page.getByTestId(`prompt-diff-${next}`).locator('[data-diff="add"]')).toContainText(
    'E2E CHECK LINE for {{symbol}}',
  );

  await page.getByTestId('preview-market').selectOption('CN');
  await page.getByTestId('preview-symbol').fill('600519.SH');
  await page.getByTestId('preview-run').click();
  const preview = page.getByTestId('preview-text');
  await expect(preview).toContainText('E2E CHECK LINE for 600519.SH.');
  await expect(preview).toContainText(/last close: \d[\d,]*\.\d+/); // a number computed for the symbol now
  await expect(preview).not.toContainText('{{facts}}');

  await page.getByTestId('preview-market').selectOption('US');
  await page.getByTestId('preview-symbol').fill('ZZZZ');
  await page.getByTestId('preview-run').click();
  await expect(page.getByTestId('preview-error')).toContainText('unknown symbol: US:ZZZZ');

  await page.getByTestId(`prompt-rollback-${activeVersion}`).click();
  await expect(page.getByTestId('prompt-active')).toContainText(`version ${activeVersion}`);
  await expect(body).toHaveValue(original);
});

test('admin pages fit a phone screen', async ({ page }) => {
  await loginAs(page, 'admin', '/admin');
  await expect(page.getByTestId('setting-quotes.freshness')).toBeVisible();
  for (const p of ['/admin', '/admin/users', '/admin/audit', '/admin/operations']) {
    await page.goto(p);
    await expect(page.getByTestId('admin-nav-audit')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, p).toBeLessThanOrEqual(1);
  }
});
