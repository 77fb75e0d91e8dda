import { expect, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';

const HEADER = 'market,symbol,date,open,high,low,close,volume';

test('an admin imports a bad CSV (row report, nothing written) and then a good one', async ({
  page,
}, info) => {
  test.skip(info.project.name === 'phone', 'upload flow once, on desktop');
  await loginAs(page, 'admin', '/admin/import');
  await expect(page.getByTestId('admin-nav-import')).toHaveAttribute('aria-current', 'page');

  await page.getByTestId('import-kind').selectOption('bars');
  await page.getByTestId('import-file').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      `${HEADER}\nCN,601857.SH,2024-01-02,7.0,7.2,6.9,7.1,1000\nCN,601857.SH,2024-01-03,7.1,6.8,7.0,7.0,1000\n`,
    ),
  });
  await page.getByTestId('import-submit').click();
  const errors = page.getByTestId('import-errors');
  await expect(errors).toBeVisible();
  await expect(errors.locator('tbody tr')).toHaveCount(1);
  await expect(errors.locator('tbody tr').first()).toContainText('3');
  await expect(errors.locator('tbody tr').first()).toContainText('high');
  await expect(errors.locator('tbody tr').first()).toContainText('high 6.8 is below low 7');
  await expect(page.getByTestId('import-rejected')).toContainText('nothing was imported');

  await page.getByTestId('import-file').setInputFiles({
    name: 'good.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      `${HEADER}\nCN,601857.SH,2024-01-02,7.0,7.2,6.9,7.1,1000\nCN,601857.SH,2024-01-03,7.1,7.3,7.0,7.2,1200\n`,
    ),
  });
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-done')).toContainText(
    '2 rows imported (2 new, 0 updated, 1 new symbols)',
  );

  // the import is in the audit log
  const audit = await page.request.get(
    `/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ action: 'market.import' }))}`,
  );
  expect(audit.ok(), await audit.text()).toBe(true);
  const rows = (await audit.json()).result.data as { action: string; target: string }[];
  expect(rows.filter((r) => r.action === 'market.import').map((r) => r.target)).toEqual(['csv:bars']);
});
