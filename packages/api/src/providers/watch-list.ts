import { CURRENCY, MARKETS, type TSymbolInfo } from '@investiq/contracts';
import type { ProviderSet } from '@investiq/market';
import { DEMO_UNIVERSE } from '@investiq/market/demo';

/**
 * The symbols the dashboard shows and the collector polls, per market: what the market's chain lists
 * (the demo universe for `demo`), else — a vendor that lists no default watchlist — the demo universe's
 * real tickers, registered as real (not demo) symbols of that vendor.
 */
export async function watchList(set: ProviderSet): Promise<TSymbolInfo[]> {
  const out: TSymbolInfo[] = [];
  for (const market of MARKETS) {
    const chain = set.chains.get(market);
    if (!chain) continue;
    const listed = await chain.listSymbols().catch(() => [] as TSymbolInfo[]);
    // a symbol is demo only while its quotes come from the demo market
    const demoQuotes = chain.primary('quotes')?.id === 'demo';
    if (listed.length > 0) {
      out.push(...listed.map((s) => ({ ...s, isDemo: s.isDemo && demoQuotes })));
      continue;
    }
    for (const i of DEMO_UNIVERSE.filter((x) => x.market === market))
      out.push({
        market,
        symbol: i.symbol,
        name: i.name,
        nameZh: i.nameZh,
        currency: CURRENCY[market],
        exchange: i.exchange,
        isDemo: demoQuotes,
      });
  }
  return out;
}
