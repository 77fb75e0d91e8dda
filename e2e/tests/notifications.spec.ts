import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { loginAs } from './fixtures/auth';
import { adminToken } from './helpers';

// Notification channels through the UI: an analyst creates a webhook channel to a receiver started by the
// test and sends a test message; the receiver verifies the signature. The receiver is on 127.0.0.1, so the
// admin first allows private destinations through the `notifications.outbound` setting.
test('an analyst creates a webhook channel and its test message arrives signed', async ({
  page,
  request,
}, testInfo) => {
  // desktop and phone share one server: one channel per project
  const name = `e2e hook ${testInfo.project.name}`;
  const secret = 'e2e-webhook-secret-0123';
  const received: { verified: boolean; body: { event?: string } }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const sig = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
      received.push({ verified: req.headers['x-investiq-signature'] === sig, body: JSON.parse(raw) });
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const setOutbound = (allowPrivate: boolean) =>
    request.post('/api/trpc/settings.set', {
      headers: { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' },
      data: { key: 'notifications.outbound', value: { allowPrivate } },
    });
  try {
    expect((await setOutbound(true)).ok()).toBe(true);
    await loginAs(page, 'analyst');
    await page.getByTestId('nav-notifications').click();
    await expect(page).toHaveURL(/\/settings\/notifications$/);
    await page.getByTestId('channel-type').selectOption('webhook');
    await page.getByTestId('channel-name').fill(name);
    await page.getByTestId('channel-field-url').fill(`http://127.0.0.1:${port}/hook`);
    await page.getByTestId('channel-field-secret').fill(secret);
    await page.getByTestId('channel-submit').click();
    const row = page.getByTestId('channels').getByRole('row', { name: new RegExp(`^${name} `) });
    await expect(row).toBeVisible();
    // the secret is shown masked, never in full
    await expect(row).toContainText('••••••0123');
    await expect(page.locator('body')).not.toContainText(secret);
    await row.getByRole('button', { name: 'Send test' }).click();
    await expect(row.getByRole('status')).toHaveText('Test message delivered.');
    expect(received).toEqual([{ verified: true, body: expect.objectContaining({ event: 'test' }) }]);
    page.once('dialog', (d) => d.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    await expect(row).toHaveCount(0);
  } finally {
    await setOutbound(false);
    await new Promise((r) => server.close(r));
  }
});

test('an admin sees the notification dead-letter page', async ({ page }) => {
  await loginAs(page, 'admin', '/admin');
  await page.getByTestId('admin-nav-notifications').click();
  await expect(page).toHaveURL(/\/admin\/notifications$/);
  await expect(page.getByText('Notification dead letters')).toBeVisible();
  await expect(page.getByTestId('queue-counts')).toBeVisible();
});
