// Writes data/sentiment-train.jsonl: the default sentiment model's training set, generated from the
// phrase lists below (written for this project) by a seeded PRNG, so it is reproducible byte for byte.
// The compositional families of scripts/sentiment-templates.ts follow, drawn from the same PRNG.
// The evaluation sets (data/sentiment-eval*.jsonl) and the hard cases are written by hand separately
// and never used here; src/models/sentiment-eval.test.ts checks that none of them is near a training row.
// Run: npx tsx scripts/generate-sentiment-train.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/models/prng';
import { compositionalExamples } from './sentiment-templates.js';

type Label = 'negative' | 'neutral' | 'positive';
interface Example {
  text: string;
  label: Label;
  lang: 'zh' | 'en';
}

const EN_SUBJECTS = [
  'Apple',
  'Tesla',
  'Microsoft',
  'Nvidia',
  'Amazon',
  'Alphabet',
  'Alibaba',
  'JPMorgan',
  'Boeing',
  'Intel',
  'The company',
  'The bank',
  'The chipmaker',
  'The retailer',
  'The automaker',
  'The insurer',
  'Meta',
  'Netflix',
  'Ford',
  'Pfizer',
  'Exxon',
  'Walmart',
  'Tencent',
  'BYD',
  'Shell',
  'The airline',
  'The miner',
  'The drugmaker',
];
const EN: Record<Label, string[]> = {
  positive: [
    'shares jump {n}% after earnings beat estimates',
    'raises full-year guidance',
    'posts record quarterly revenue',
    'profit surges {n}% on strong demand',
    'stock rallies to an all-time high',
    'wins a major government contract',
    'upgraded to buy by analysts',
    'beats expectations as sales grow',
    'announces a $ {n} billion share buyback',
    'lifts its dividend by {n}%',
    'margins expand as costs fall',
    'strong orders boost outlook',
    'shares soar on upbeat forecast',
    'gains after regulator approves new drug',
    'climbs as revenue tops forecasts',
    'outperforms the market on robust growth',
    'rebounds as investors cheer results',
    'net income rises {n}%',
    'sees strong growth in cloud unit',
    'swings to a profit',
    'stock surges after takeover bid',
    'secures record orders',
    'expands market share',
    'reports better-than-expected profit',
    'shares climb to a record',
    'boosts forecast after solid quarter',
    'earnings improve sharply',
    'gets approval for expansion',
  ],
  negative: [
    'shares plunge {n}% after profit warning',
    'misses revenue estimates',
    'cuts full-year guidance',
    'reports a quarterly loss',
    'faces lawsuit over product defects',
    'downgraded to sell by analysts',
    'announces {n},000 layoffs',
    'recalls vehicles over safety flaw',
    'under investigation by regulators',
    'stock slumps to a multi-year low',
    'sales decline for a third quarter',
    'shares fall on weak demand',
    'tumbles after disappointing results',
    'slides as costs soar',
    'files for bankruptcy protection',
    'defaults on bond payment',
    'fined $ {n} million for violations',
    'warns of weaker demand',
    'profit drops {n}%',
    'losses widen as revenue shrinks',
    'shares sink after CEO resigns amid scandal',
    'suspends dividend',
    'fails to meet targets',
    'hit by fraud allegations',
    'shares tumble to record low',
    'slashes outlook on falling prices',
    'revenue falls short of forecasts',
    'writes down assets',
  ],
  neutral: [
    'to report earnings on {d}',
    'sets the agenda for its annual shareholder vote',
    'names new chief financial officer',
    'to present at investor conference',
    'files quarterly report',
    'shares unchanged in early trading',
    'trades flat ahead of data',
    'schedules conference call for {d}',
    'opens office in Singapore',
    'board to meet next week',
    'changes its ticker symbol',
    'completes previously announced reorganization',
    'appoints new board member',
    'to hold analyst day in {d}',
    'publishes annual sustainability report',
    'confirms meeting with regulators',
    'maintains quarterly dividend',
    'reaffirms full-year guidance',
    'holds shareholder vote on {d}',
    'releases product roadmap',
    'moves headquarters to Texas',
    'shares steady as investors await results',
    'announces management changes',
    'issues statement on media report',
    'lists new bonds in Hong Kong',
    'to release monthly sales data',
    'keeps rating at hold',
    'signs memorandum with partner',
  ],
};
const EN_MACRO: Record<Label, string[]> = {
  positive: [
    'Stocks rally as inflation cools',
    'Markets rebound on strong jobs data',
    'Global shares hit record highs',
    'Investors cheer trade deal',
    'Economy grows faster than expected',
  ],
  negative: [
    'Stocks slump as recession fears grow',
    'Markets tumble on rate hike worries',
    'Oil prices crash amid weak demand',
    'Investors flee risky assets',
    'Economy contracts for second quarter',
  ],
  neutral: [
    'Central bank holds rates steady',
    'Markets await inflation data',
    'Stocks little changed ahead of holiday',
    'Treasury yields flat in quiet trade',
    'Index provider announces rebalancing date',
  ],
};

const ZH_SUBJECTS = [
  '贵州茅台',
  '宁德时代',
  '腾讯控股',
  '比亚迪',
  '招商银行',
  '中国平安',
  '小米集团',
  '美团',
  '阿里巴巴',
  '该公司',
  '公司',
  '中芯国际',
  '万科',
  '格力电器',
  '工商银行',
  '隆基绿能',
  '五粮液',
  '京东',
  '恒瑞医药',
  '中国石油',
  '海天味业',
  '紫金矿业',
];
const ZH: Record<Label, string[]> = {
  positive: [
    '股价大涨{n}%',
    '净利润同比增长{n}%',
    '业绩超预期',
    '营收创历史新高',
    '获得大额订单',
    '获机构上调评级至买入',
    '宣布回购股份',
    '拟提高分红比例',
    '股价涨停',
    '市场份额持续扩大',
    '盈利能力显著提升',
    '签署重大合作协议',
    '上半年业绩预增',
    '毛利率明显改善',
    '股价创新高',
    '订单饱满产能扩张',
    '获北向资金大幅增持',
    '新药获批上市',
    '扭亏为盈',
    '销量强劲增长',
    '中标重大项目',
    '经营持续向好',
    '一季度净利翻倍',
    '业绩亮眼股价走高',
    '需求回暖带动营收回升',
    '获多家券商看好',
  ],
  negative: [
    '股价大跌{n}%',
    '净利润同比下滑{n}%',
    '业绩不及预期',
    '营收下降',
    '遭证监会立案调查',
    '被下调评级',
    '发布业绩预警',
    '股价跌停',
    '出现巨额亏损',
    '债券违约',
    '大股东减持股份',
    '因违规被罚款',
    '宣布裁员',
    '需求疲软拖累业绩',
    '计提大额商誉减值',
    '产品召回',
    '陷入专利诉讼',
    '股价创新低',
    '上半年业绩预亏',
    '毛利率持续恶化',
    '被出具警示函',
    '高管被调查',
    '资金链紧张',
    '经营承压',
    '未能完成业绩承诺',
    '销量下滑股价走低',
  ],
  neutral: [
    '将于{d}发布年报',
    '召开年度股东大会',
    '发布董事会决议公告',
    '董事会完成换届',
    '聘任新财务总监',
    '股价收平',
    '维持评级不变',
    '披露第三季度报告',
    '举行业绩说明会',
    '股票简称变更',
    '完成工商变更登记',
    '参加投资者交流会',
    '发布关于会计政策变更的公告',
    '公布股东大会通知',
    '召开临时股东大会',
    '将于{d}举行投资者开放日',
    '股价窄幅震荡',
    '更换审计机构',
    '发布社会责任报告',
    '回复交易所问询函',
    '公告董事辞职',
    '变更注册地址',
    '成交量与前日持平',
    '发布关于召开电话会议的通知',
  ],
};
const ZH_MACRO: Record<Label, string[]> = {
  positive: [
    'A股三大指数集体大涨',
    '沪指强势反弹站上三千点',
    '外资大幅流入市场情绪回暖',
    '经济数据超预期市场信心提升',
    '政策利好提振市场',
  ],
  negative: [
    'A股三大指数集体下跌',
    '沪指跌破三千点',
    '外资大幅流出市场情绪低迷',
    '经济数据不及预期市场承压',
    '恐慌情绪蔓延股市暴跌',
  ],
  neutral: [
    '央行维持利率不变',
    '沪指窄幅震荡收平',
    '国家统计局将于下周公布数据',
    '交易所发布节假日休市安排',
    '市场等待议息会议结果',
  ],
};

const DATES_EN = ['May 5', 'June 12', 'July 28', 'October 30', 'March'];
const DATES_ZH = ['4月28日', '下周', '8月30日', '月底', '10月15日'];

function fill(t: string, rand: () => number, dates: string[]): string {
  return t
    .replace('{n}', String(1 + Math.floor(rand() * 30)))
    .replace('{d}', dates[Math.floor(rand() * dates.length)] as string);
}

export function generateSentimentTrainingSet(seed = 20261121): Example[] {
  const rand = mulberry32(seed);
  const out: Example[] = [];
  for (const label of ['negative', 'neutral', 'positive'] as const) {
    for (const phrase of EN[label]) {
      // each phrase with 6 subjects drawn without regard to order: enough variety, deterministic
      for (let k = 0; k < 6; k++) {
        const subject = EN_SUBJECTS[Math.floor(rand() * EN_SUBJECTS.length)] as string;
        out.push({ text: `${subject} ${fill(phrase, rand, DATES_EN)}`, label, lang: 'en' });
      }
    }
    for (const phrase of EN_MACRO[label]) out.push({ text: phrase, label, lang: 'en' });
    for (const phrase of ZH[label]) {
      for (let k = 0; k < 6; k++) {
        const subject = ZH_SUBJECTS[Math.floor(rand() * ZH_SUBJECTS.length)] as string;
        out.push({ text: `${subject}${fill(phrase, rand, DATES_ZH)}`, label, lang: 'zh' });
      }
    }
    for (const phrase of ZH_MACRO[label]) out.push({ text: phrase, label, lang: 'zh' });
  }
  out.push(...compositionalExamples(rand));
  // the same text under two labels would be noise; keep the first
  const seen = new Set<string>();
  return out.filter((e) => !seen.has(e.text) && seen.add(e.text));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const here = dirname(fileURLToPath(import.meta.url));
  const rows = generateSentimentTrainingSet();
  writeFileSync(
    join(here, '../data/sentiment-train.jsonl'),
    `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
  );
  console.log(`wrote ${rows.length} training examples`);
}
