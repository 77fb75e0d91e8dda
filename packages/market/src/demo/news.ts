import type { NewsItem } from '../provider';
import { hashSeed, RandomStream } from './random';
import type { DemoInstrument } from './universe';

type Tone = 'positive' | 'neutral' | 'negative';

// Headline templates; `{n}` is the company name. Simulated, and every item says so (`isDemo`, source).
const EN: Record<Tone, string[]> = {
  positive: [
    '{n} beats quarterly earnings expectations as revenue growth accelerates',
    '{n} raises full-year guidance on strong demand',
    'Analysts upgrade {n} to buy, citing margin expansion',
    '{n} announces share buyback programme',
    '{n} wins major new contract, shares rally',
  ],
  neutral: [
    '{n} to hold annual shareholder meeting next month',
    '{n} appoints new chief financial officer',
    '{n} publishes sustainability report',
    '{n} shares trade flat ahead of industry data',
  ],
  negative: [
    '{n} misses profit estimates as costs rise',
    'Regulators open inquiry into {n} sales practices',
    '{n} cuts outlook, warns of weaker demand',
    'Analysts downgrade {n} on valuation concerns',
    '{n} shares slump after product recall',
  ],
};

const ZH: Record<Tone, string[]> = {
  positive: [
    '{n}季度业绩超预期，营收增速加快',
    '{n}上调全年业绩指引，需求强劲',
    '分析师上调{n}评级至买入，看好利润率提升',
    '{n}宣布股份回购计划',
    '{n}斩获重大新订单，股价大涨',
  ],
  neutral: [
    '{n}将于下月召开年度股东大会',
    '{n}任命新任首席财务官',
    '{n}发布可持续发展报告',
    '{n}股价平稳，市场等待行业数据',
  ],
  negative: [
    '{n}利润不及预期，成本上升',
    '监管机构对{n}销售行为展开调查',
    '{n}下调业绩展望，警告需求走弱',
    '分析师因估值担忧下调{n}评级',
    '{n}产品召回，股价大跌',
  ],
};

const DAY_MS = 86_400_000;

/**
 * Simulated headlines for a demo instrument: for each calendar day, 0–2 items in English and Chinese,
 * deterministic per (seed, symbol, day), newest first, none after `until`.
 */
export function demoNews(
  seed: number,
  inst: DemoInstrument,
  opts: { limit?: number; lang?: 'zh' | 'en'; until: Date },
): NewsItem[] {
  const limit = opts.limit ?? 10;
  const out: NewsItem[] = [];
  const day0 = Math.floor(opts.until.getTime() / DAY_MS);
  for (let d = day0; d > day0 - 120 && out.length < limit; d--) {
    const date = new Date(d * DAY_MS).toISOString().slice(0, 10);
    const r = new RandomStream(hashSeed(seed, inst.symbol, date, 'news'));
    const count = Math.floor(r.uniform() * 3);
    const items: NewsItem[] = [];
    for (let i = 0; i < count; i++) {
      const u = r.uniform();
      const tone: Tone = u < 0.38 ? 'positive' : u < 0.68 ? 'neutral' : 'negative';
      const lang: 'zh' | 'en' = r.uniform() < 0.5 ? 'zh' : 'en';
      const pool = (lang === 'zh' ? ZH : EN)[tone];
      const template = pool[Math.floor(r.uniform() * pool.length)]!;
      const minute = Math.floor(r.uniform() * 24 * 60);
      const publishedAt = new Date(d * DAY_MS + minute * 60_000);
      items.push({
        id: `demo-${inst.symbol}-${date}-${i}`,
        publishedAt: publishedAt.toISOString(),
        lang,
        headline: template.replace('{n}', lang === 'zh' ? inst.nameZh : inst.name),
        source: lang === 'zh' ? '演示新闻' : 'Demo Newswire',
        url: null,
        isDemo: true,
      });
    }
    items
      .filter((it) => Date.parse(it.publishedAt) <= opts.until.getTime())
      .filter((it) => !opts.lang || it.lang === opts.lang)
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
      .forEach((it) => {
        if (out.length < limit) out.push(it);
      });
  }
  return out;
}
