import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { loginAs } from './fixtures/auth';
import { adminToken } from './helpers';

async function pickSymbol(page: Page, testId: string, query: string, symbol: string): Promise<void> {
  await page.getByTestId(`${testId}-input`).fill(query);
  await page.getByTestId(`${testId}-options`).getByTestId(`option-${symbol}`).click();
}

// An analyst adds an e-mail channel pointing at a real SMTP server started by this test, creates a price
// alert that uses it, and a crossing quote arrives through the REST ingest API: within 5 s of the ingest
// the header bell counts the firing and the SMTP inbox has the mail. The SMTP server is on 127.0.0.1, so
// the admin allows private destinations (`notifications.outbound`) for the duration of the test.
test('a price alert with an e-mail channel: the bell and the SMTP inbox show it within 5 s', async ({
  page,
  request,
}, testInfo) => {
  const project = testInfo.project.name;
  const rcpt = `analyst-${project}@example.org`;
  const mails: { to: string[]; mail: ParsedMail }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, cb) {
      simpleParser(stream).then(
        (mail) => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const admin = { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' };
  const setOutbound = (allowPrivate: boolean) =>
    request.post('/api/trpc/settings.set', {
      headers: admin,
      data: { key: 'notifications.outbound', value: { allowPrivate } },
    });
  try {
    expect((await setOutbound(true)).ok()).toBe(true);
    await loginAs(page, 'analyst');

    // the e-mail channel, through the settings form
    const channel = `e2e mail ${project}`;
    await page.getByTestId('nav-notifications').click();
    await expect(page).toHaveURL(/\/settings\/notifications$/);
    await page.getByTestId('channel-type').selectOption('email');
    await page.getByTestId('channel-name').fill(channel);
    await page.getByTestId('channel-field-host').fill('127.0.0.1');
    await page.getByTestId('channel-field-port').fill(String(smtpPort));
    await page.locator('#channel-field-requireTls').uncheck(); // the test server offers no STARTTLS
    await page.getByTestId('channel-field-from').fill('investiq@example.org');
    await page.getByTestId('channel-field-to').fill(rcpt);
    await page.getByTestId('channel-submit').click();
    const channelRow = page.getByTestId('channels').getByRole('row', { name: new RegExp(`^${channel} `) });
    await expect(channelRow).toBeVisible();

    // the alert, sent to that channel
    await page.getByTestId('nav-alerts').click();
    await expect(page).toHaveURL(/\/alerts$/);
    await pickSymbol(page, 'alert-symbol', 'MSFT', 'MSFT');
    await expect(page.getByTestId('alert-picked')).toContainText('MSFT');
    await page.getByTestId('alert-type').selectOption('price_above');
    await page.getByTestId('alert-value').fill('800000');
    await page.getByTestId('alert-form').getByRole('checkbox', { name: channel }).check();
    await page.getByTestId('alert-form').getByRole('button', { name: 'Create alert' }).click();
    const row = page.getByTestId('alerts-list').getByRole('row', { name: /MSFT \(US\) price above 800000/ });
    await expect(row).toBeVisible();
    await expect(page.getByTestId('alert-unread')).toHaveCount(0);

    const res = await request.post('/api/v1/market-data/quotes', {
      headers: admin,
      data: {
        quotes: [
          { market: 'US', symbol: 'MSFT', ts: new Date().toISOString(), price: 800001, prevClose: 400 },
        ],
      },
    });
    expect(res.ok(), await res.text()).toBe(true);
    const ingestedAt = Date.now();
    const left = () => Math.max(1, 5_000 - (Date.now() - ingestedAt));

    await expect(page.getByTestId('alert-unread')).toHaveText('1', { timeout: left() });
    await expect
      .poll(() => mails.filter((m) => m.to.includes(rcpt)).length, { timeout: left(), intervals: [100] })
      .toBe(1);
    const { mail } = mails.find((m) => m.to.includes(rcpt))!;
    expect(mail.subject).toBe('MSFT price above 800000');
    expect(mail.text).toContain('MSFT (US) price above 800000: last 800001.00');
    expect(mail.headers.get('x-investiq-event')).toBe('alert.triggered');

    await page.getByTestId('alerts-mark-read').click();
    await expect(page.getByTestId('alert-unread')).toHaveCount(0);
    await row.getByRole('button', { name: 'Delete' }).click();
    await expect(row).toHaveCount(0);
    await page.getByTestId('nav-notifications').click();
    page.once('dialog', (d) => d.accept());
    await channelRow.getByRole('button', { name: 'Delete' }).click();
    await expect(channelRow).toHaveCount(0);
  } finally {
    await setOutbound(false);
    await new Promise<void>((r) => smtp.close(() => r()));
  }
});
