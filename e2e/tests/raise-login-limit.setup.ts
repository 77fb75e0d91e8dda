import { expect, test as setup } from '@playwright/test';
import { adminToken } from './helpers';

/**
 * Every spec signs in through the login page from 127.0.0.1, about 60 sign-ins per run: more than the
 * product's default 30 per IP per 15 minutes (a real limit, tested in packages/api). This run's server
 * raises it through the admin API, as an operator would, before the specs start.
 */
setup('raise the per-IP sign-in limit for this run', async ({ request }) => {
  const auth = { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' };
  const list = await request.get('/api/trpc/settings.list', { headers: auth });
  expect(list.ok(), await list.text()).toBe(true);
  const rows = (await list.json()).result.data as { key: string; value: Record<string, number> }[];
  const limits = rows.find((r) => r.key === 'security.rateLimits')?.value;
  expect(limits).toBeTruthy();
  const res = await request.post('/api/trpc/settings.set', {
    headers: auth,
    data: { key: 'security.rateLimits', value: { ...limits, loginPerIpPer15Minutes: 1000 } },
  });
  expect(res.ok(), await res.text()).toBe(true);
});
