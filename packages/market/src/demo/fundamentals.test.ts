import { describe, expect, it } from 'vitest';
import { createDemoMarket } from './simulator';

const now = () => new Date('2026-06-15T08:00:00Z');

describe('demo fundamentals and news', () => {
  it('are deterministic per (seed, symbol) and internally consistent', async () => {
    const a = await createDemoMarket({ seed: 7, now }).getFundamentals({ market: 'CN', symbol: '600519.SH' });
    const b = await createDemoMarket({ seed: 7, now }).getFundamentals({ market: 'CN', symbol: '600519.SH' });
    const c = await createDemoMarket({ seed: 8, now }).getFundamentals({ market: 'CN', symbol: '600519.SH' });
    expect(a).toEqual(b);
    expect(c.income.revenue).not.toBe(a.income.revenue);
    expect(a.isDemo).toBe(true);
    expect(a.fiscalPeriodEnd).toBe('2025-12-31');
    // ROE = net income / equity; net margin = net income / revenue (rounded to 6 decimals).
    expect(a.ratios.roe).toBeCloseTo(a.income.netIncome / a.balance.equity, 4);
    expect(a.ratios.netMargin).toBeCloseTo(a.income.netIncome / a.income.revenue, 4);
    expect(a.balance.totalAssets).toBeCloseTo(a.balance.equity + a.balance.totalLiabilities, -4);
    expect(a.ratios.pe).toBeGreaterThan(0);
  });

  it('gives zh and en headlines, newest first, none after `until`', async () => {
    const m = createDemoMarket({ seed: 7, now });
    const news = await m.getNews({ market: 'HK', symbol: '0700.HK' }, { limit: 12 });
    expect(news).toHaveLength(12);
    expect(new Set(news.map((n) => n.lang))).toEqual(new Set(['zh', 'en']));
    for (let i = 1; i < news.length; i++) expect(news[i - 1]!.publishedAt >= news[i]!.publishedAt).toBe(true);
    expect(news.every((n) => Date.parse(n.publishedAt) <= now().getTime() && n.isDemo)).toBe(true);
    expect(news.some((n) => n.headline.includes('腾讯控股'))).toBe(true);
    const en = await m.getNews({ market: 'HK', symbol: '0700.HK' }, { limit: 5, lang: 'en' });
    expect(en.every((n) => n.lang === 'en' && n.headline.includes('Tencent'))).toBe(true);
    await expect(m.getNews({ market: 'US', symbol: 'ZZZZ' })).rejects.toThrow(/unknown demo symbol/);
  });
});
