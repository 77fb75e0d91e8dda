import type { DataProvider, NewsItem, Sourced } from '@investiq/market';
import { z } from 'zod';
import { type ModuleContext, type ModuleResult, SectionSkipped } from '../context';
import { describeFailure, ServiceUnavailableError } from '../inference-gateway';
import { n } from '../markdown-format';
import { type AddFact, defineModule, type WriterTools } from '../module';

/** `analysis.modules.sentiment` */
const ZSentimentParams = z
  .object({ headlines: z.number().int().min(1).max(50).default(12) })
  .default({ headlines: 12 });
type TSentimentParams = z.output<typeof ZSentimentParams>;

export interface SentimentOutput {
  model: { name: string; version: string };
  /** The provider that delivered the headlines (each headline's `source` is its publisher). */
  newsProvider?: string;
  headlines: {
    id: string;
    publishedAt: string;
    lang: 'zh' | 'en';
    headline: string;
    source: string;
    isDemo: boolean;
    label: 'negative' | 'neutral' | 'positive';
    score: number;
  }[];
  counts: { positive: number; neutral: number; negative: number };
  /** mean(P(positive) − P(negative)) over headlines, in [−1, 1]. */
  netScore: number;
}

/** Recent headlines from the provider, each labelled by the sentiment service. */
async function runSentiment(
  ctx: ModuleContext<TSentimentParams>,
  signal: AbortSignal,
): Promise<ModuleResult<SentimentOutput>> {
  const provider = ctx.provider;
  if (!provider.getNews) throw new SectionSkipped(`provider '${provider.id}' does not supply news`);
  const until = ctx.backtestAsOf ? new Date(`${ctx.backtestAsOf}T23:59:59Z`) : ctx.now();
  let news: NewsItem[];
  let newsProvider = provider.id;
  try {
    const ref = { market: ctx.market, symbol: ctx.symbol };
    const o = { limit: ctx.params.headlines, until };
    const sourced = provider as DataProvider & {
      getNewsSourced?: (r: typeof ref, opts: typeof o) => Promise<Sourced<NewsItem[]>>;
    };
    const res = await ctx.providerPolicy.policy.execute(
      () =>
        typeof sourced.getNewsSourced === 'function'
          ? sourced.getNewsSourced(ref, o)
          : provider.getNews!(ref, o).then((value) => ({ source: provider.id, value })),
      signal,
    );
    news = res.value;
    newsProvider = res.source;
  } catch (err) {
    throw new ServiceUnavailableError(
      provider.id,
      `news unavailable: ${describeFailure(`provider ${provider.id}`, err)}`,
    );
  }
  if (news.length === 0) throw new SectionSkipped('no recent headlines for this symbol');
  const api = ctx.inference;
  const res = await api.sentiment({ texts: news.map((n) => n.headline), lang: 'auto' }, signal);
  if (res.results.length !== news.length)
    throw new Error(`sentiment answered ${res.results.length} results for ${news.length} headlines`);
  const headlines = news.map((n, i) => {
    const r = res.results[i]!;
    return {
      id: n.id,
      publishedAt: n.publishedAt,
      lang: n.lang,
      headline: n.headline,
      source: n.source,
      isDemo: n.isDemo,
      label: r.label,
      score: r.scores.positive - r.scores.negative,
    };
  });
  const counts = { positive: 0, neutral: 0, negative: 0 };
  for (const h of headlines) counts[h.label]++;
  const netScore = headlines.reduce((s, h) => s + h.score, 0) / headlines.length;
  return {
    output: { model: res.model, newsProvider, headlines, counts, netScore },
    inputsAsOf: { news: news[0]?.publishedAt ?? null },
  };
}

function sentimentFacts(se: SentimentOutput, add: AddFact): void {
  add('headlines', ['headlines scored', '新闻条数'], se.headlines.length, { decimals: 0 });
  add('positive', ['positive headlines', '正面'], se.counts.positive, { decimals: 0 });
  add('neutral', ['neutral headlines', '中性'], se.counts.neutral, { decimals: 0 });
  add('negative', ['negative headlines', '负面'], se.counts.negative, { decimals: 0 });
  add('netScore', ['net sentiment score (−1…1)', '净情绪得分（−1…1）'], se.netScore);
}

function writeSentiment(_se: SentimentOutput, w: WriterTools): string[] {
  const { zh, has, F, facts } = w;
  const out: string[] = [];
  if (has('headlines', 'netScore')) {
    const net = facts.get('netScore')!.value;
    const tone =
      net > 0.1
        ? zh
          ? '偏正面'
          : 'leans positive'
        : net < -0.1
          ? zh
            ? '偏负面'
            : 'leans negative'
          : zh
            ? '中性'
            : 'is neutral';
    out.push(
      zh
        ? `新闻情绪：近期 ${F('headlines')} 条新闻中正面 ${F('positive')} 条、中性 ${F('neutral')} 条、负面 ${F('negative')} 条，净得分 ${F('netScore')}，整体${tone}。`
        : `News sentiment ${tone}: of ${F('headlines')} recent headlines, ${F('positive')} are positive, ${F('neutral')} neutral and ${F('negative')} negative (net score ${F('netScore')}).`,
    );
  }
  return out;
}

/** Recent headlines labelled by the sentiment service. */
export const sentimentModule = defineModule({
  name: 'sentiment',
  deps: [],
  services: ['sentiment'],
  params: ZSentimentParams,
  run: runSentiment,
  facts: sentimentFacts,
  write: writeSentiment,
  sources: { inputs: ['news'], of: (se) => ({ news: se.newsProvider ?? null }) },
  markdown: {
    title: 'News sentiment',
    body: (se) => {
      const L: string[] = [];
      L.push(
        `${se.counts.positive} positive · ${se.counts.neutral} neutral · ${se.counts.negative} negative; net score ${n(se.netScore)} (model ${se.model.name} ${se.model.version}).`,
        '',
      );
      for (const h of se.headlines)
        L.push(`- [${h.label}] ${h.headline} — ${h.source}, ${h.publishedAt.slice(0, 16).replace('T', ' ')}`);
      return L;
    },
  },
});
