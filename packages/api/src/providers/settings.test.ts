import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { getSetting, setSetting } from '../settings/service';
import { createTestRuntime } from '../test-support/runtime';
import { SProviderBaseUrls, SProviderBudgets, SProviderChains } from './settings';

describe('provider settings', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  }, 120_000);
  afterAll(async () => {
    await rt?.close();
  });

  const withUs = async (quotes: string[]) => {
    const cur = await getSetting(rt.db, SProviderChains);
    return setSetting(rt.db, SProviderChains, { ...cur, US: { ...cur.US, quotes } }, 'user:test');
  };

  it('defaults to demo everywhere (a fresh start stays offline)', async () => {
    const chains = await getSetting(rt.db, SProviderChains);
    for (const m of ['CN', 'HK', 'US'] as const) expect(chains[m].quotes).toEqual(['demo']);
    expect(rt.provider.id).toBe('demo');
  });

  it.each([
    [['nosuch'], /US\.quotes.*unknown provider 'nosuch'/],
    [['yahoo', 'yahoo'], /US\.quotes.*'yahoo' is listed twice/],
  ])('refuses the US quotes chain %j, naming the problem', async (quotes, message) => {
    await expect(withUs(quotes)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a provider for a market or kind it does not serve, and bad base URLs and budgets', async () => {
    const cur = await getSetting(rt.db, SProviderChains);
    await expect(
      setSetting(rt.db, SProviderChains, { ...cur, HK: { ...cur.HK, quotes: ['finnhub'] } }, 'user:test'),
    ).rejects.toThrow(/does not serve market HK/);
    await expect(
      setSetting(rt.db, SProviderChains, { ...cur, US: { ...cur.US, news: ['yahoo'] } }, 'user:test'),
    ).rejects.toThrow(/'yahoo' does not serve news/);
    await expect(setSetting(rt.db, SProviderBaseUrls, { finnhub: 'ftp://x' }, 'user:test')).rejects.toThrow(
      /http\(s\) URL/,
    );
    await expect(setSetting(rt.db, SProviderBaseUrls, { nosuch: 'http://x' }, 'user:test')).rejects.toThrow(
      /unknown provider 'nosuch'/,
    );
    await expect(
      setSetting(rt.db, SProviderBudgets, { finnhub: { perMinute: -1, perDay: 0 } }, 'user:test'),
    ).rejects.toThrow(/perMinute/);
  });

  it('a changed chain is used by the next call, without a restart', async () => {
    await withUs(['yahoo', 'demo']);
    await rt.providers.current();
    expect(rt.provider.id).toBe('chain');
    expect(rt.providers.peek()?.chain('US').describe().quotes).toEqual(['yahoo', 'demo']);
    await withUs(['demo']);
    await rt.providers.current();
    expect(rt.provider.id).toBe('demo');
  });
});
