import type { DataProvider, NewsItem, Sourced } from '@investiq/market';
import { type ModuleContext, type ModuleResult, SectionSkipped } from '../context';
import { describeFailure, ServiceUnavailableError } from '../inference-gateway';
import type { SentimentOutput } from '../types';

/** Recent headlines from the provider, each labelled by the sentiment service. */
export async function runSentiment(
  ctx: ModuleContext,
  signal: AbortSignal,
): Promise<ModuleResult<SentimentOutput>> {
  const provider = ctx.provider;
  if (!provider.getNews) throw new SectionSkipped(`provider '${provider.id}' does not supply news`);
  const until = ctx.backtestAsOf ? new Date(`${ctx.backtestAsOf}T23:59:59Z`) : ctx.now();
  let news: NewsItem[];
  let newsProvider = provider.id;
  try {
    const ref = { market: ctx.market, symbol: ctx.symbol };
    const o = { limit: ctx.params.sentiment.headlines, until };
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
