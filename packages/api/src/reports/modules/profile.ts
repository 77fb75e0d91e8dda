import { hasPrice } from '@investiq/contracts';
import type { DataProvider, Fundamentals, Sourced, SymbolRef } from '@investiq/market';
import { getLatestQuote } from '../../quotes/get-latest-quotes';
import { lastBarDate, type ModuleContext, type ModuleResult } from '../context';
import { describeFailure } from '../inference-gateway';
import type { ProfileOutput } from '../types';

const pct = (a: number, b: number) => (a / b - 1) * 100;

/** Fundamentals and who delivered them: a chain says which provider answered, a plain provider is its own source. */
async function fundamentalsWithSource(
  provider: DataProvider,
  ref: SymbolRef,
): Promise<Sourced<Fundamentals>> {
  const p = provider as DataProvider & {
    getFundamentalsSourced?: (r: SymbolRef) => Promise<Sourced<Fundamentals>>;
  };
  if (typeof p.getFundamentalsSourced === 'function') return p.getFundamentalsSourced(ref);
  return { source: provider.id, value: await provider.getFundamentals!(ref) };
}

/** Profile & fundamentals: symbol facts, price statistics from stored bars, live quote, provider fundamentals. */
export async function runProfile(
  ctx: ModuleContext,
  signal: AbortSignal,
): Promise<ModuleResult<ProfileOutput>> {
  const bars = ctx.bars;
  const last = bars.at(-1);
  const prev = bars.at(-2);
  const year = bars.slice(-252);
  const quote = ctx.backtestAsOf
    ? null
    : await getLatestQuote(
        ctx.db,
        { market: ctx.market, symbol: ctx.symbol },
        ctx.quoteMaxAgeSeconds,
        ctx.now(),
        ctx.quoteFreshness,
      );
  let fundamentals: Fundamentals | null = null;
  let fundamentalsNote: string | undefined;
  let fundamentalsSource: string | null = null;
  const provider = ctx.provider;
  if (!provider.getFundamentals) {
    fundamentalsNote = `provider '${provider.id}' does not supply fundamentals`;
  } else {
    try {
      const res = await ctx.providerPolicy.policy.execute(
        () => fundamentalsWithSource(provider, { market: ctx.market, symbol: ctx.symbol }),
        signal,
      );
      fundamentals = res.value;
      fundamentalsSource = res.source;
    } catch (err) {
      fundamentalsNote = `fundamentals unavailable: ${describeFailure(`provider ${provider.id}`, err)}`;
    }
  }
  const output: ProfileOutput = {
    ...ctx.symbolInfo,
    quote,
    lastClose: last?.close ?? null,
    lastCloseDate: last?.time ?? null,
    change1dPct: last && prev ? pct(last.close, prev.close) : null,
    high52w: year.length ? Math.max(...year.map((b) => b.high)) : null,
    low52w: year.length ? Math.min(...year.map((b) => b.low)) : null,
    return1yPct: year.length > 1 && last ? pct(last.close, year[0]!.close) : null,
    fundamentals,
    ...(fundamentalsNote ? { fundamentalsNote } : {}),
    fundamentalsSource,
  };
  return {
    output,
    inputsAsOf: {
      dailyBars: lastBarDate(ctx),
      quote: hasPrice(quote) ? quote.quote.ts : quote?.status === 'stale' ? quote.lastSeenAt : null,
      fundamentals: fundamentals?.asOf ?? null,
    },
  };
}
