import { MARKETS, type TMarket } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { DATA_KINDS, type DataKind, ProviderError } from '@investiq/market';
import { DEMO_UNIVERSE } from '@investiq/market/demo';
import type { CollectorStatus } from '../collector/collector';
import { getSetting } from '../settings/service';
import type { BudgetUsage } from './budget';
import { type CloseCheck, readCloseChecks } from './cross-check';
import type { ProviderStatsView } from './health';
import type { LiveProviders } from './live-providers';
import { providerDescriptors } from './registry';
import { SProviderCrossCheck } from './settings';

export interface ProviderOverview {
  id: string;
  label: string;
  markets: readonly TMarket[];
  kinds: readonly DataKind[];
  needsKey: boolean;
  keyConfigured: boolean;
  baseUrl: string | null;
  /** Why it cannot be called (no key), or null. */
  problem: string | null;
  /** Where it sits in the chains: market, kind and position (1 = primary). */
  serves: { market: TMarket; kind: DataKind; position: number }[];
  stats: ProviderStatsView;
  budget: BudgetUsage[];
  breaker: string;
  /** Markets whose quotes it polls as primary, with the collector's refresh plan. */
  refresh: {
    market: TMarket;
    symbols: number;
    /** Symbols of every market polled within this provider's budget. */
    budgetSymbols: number;
    intervalMs: number;
    limitedBy: string;
    keepsFresh: boolean;
    freshnessSeconds: number;
  }[];
}

/** Everything the admin Providers page shows: every registered provider, used or not. */
export async function getProviderOverview(deps: {
  db: DatabaseHandle;
  live: LiveProviders;
  collector: { status(): CollectorStatus };
}): Promise<{
  providers: ProviderOverview[];
  chains: Record<TMarket, Record<DataKind, string[]>> | null;
  /** Symbols whose daily closes from two sources disagree above the threshold. */
  closeChecks: { thresholdPercent: number; flagged: CloseCheck[]; compared: number };
}> {
  const { live } = deps;
  await live.current();
  const chains = live.chainSettings();
  const markets = deps.collector.status().markets;
  const out: ProviderOverview[] = [];
  for (const d of providerDescriptors()) {
    const serves: ProviderOverview['serves'] = [];
    for (const market of MARKETS)
      for (const kind of DATA_KINDS) {
        const i = chains?.[market][kind].indexOf(d.id) ?? -1;
        if (i >= 0) serves.push({ market, kind, position: i + 1 });
      }
    const resolved = live.resolvedProvider(d.id);
    let budget: BudgetUsage[] = [];
    try {
      budget = await live.budgets.usage(d.id);
    } catch {
      // the budget store is down: the page still shows the rest
    }
    out.push({
      id: d.id,
      label: d.label,
      markets: d.markets,
      kinds: d.kinds,
      needsKey: d.needsKey,
      keyConfigured: resolved?.keyConfigured ?? false,
      baseUrl: resolved?.baseUrl ?? (d.defaultBaseUrl || null),
      problem: resolved?.problem ?? null,
      serves,
      stats: live.health.view(d.id),
      budget,
      breaker: live.breakers.state(d.id),
      refresh: markets
        .filter((m) => m.provider === d.id)
        .map((m) => ({
          market: m.market,
          symbols: m.symbols,
          budgetSymbols: m.budgetSymbols,
          intervalMs: m.intervalMs,
          limitedBy: m.limitedBy,
          keepsFresh: m.keepsFresh,
          freshnessSeconds: m.freshnessSeconds,
        })),
    });
  }
  const { thresholdPercent } = await getSetting(deps.db, SProviderCrossCheck);
  const checks = await readCloseChecks(deps.db, { thresholdPercent });
  return {
    providers: out,
    chains,
    closeChecks: { thresholdPercent, flagged: checks.filter((c) => c.flagged), compared: checks.length },
  };
}

export interface ConnectionTestResult {
  provider: string;
  ok: boolean;
  latencyMs: number;
  /** What was asked (e.g. `quote US:AAPL`). */
  probe: string;
  kind?: string;
  message?: string;
  price?: number;
}

/**
 * One cheap call (a single quote) to a provider with its current settings and a short timeout, outside
 * the chains (its breaker is not touched) but inside its budget. Answers ok + latency, or the typed error.
 */
export async function testProviderConnection(
  live: LiveProviders,
  providerId: string,
  opts: { timeoutMs?: number; market?: TMarket; symbol?: string } = {},
): Promise<ConnectionTestResult> {
  const p = await live.providerInstance(providerId);
  if (!p)
    return {
      provider: providerId,
      ok: false,
      latencyMs: 0,
      probe: '-',
      kind: 'unsupported',
      message: 'unknown provider',
    };
  const market = opts.market ?? p.markets[0] ?? 'US';
  const symbol = opts.symbol ?? DEMO_UNIVERSE.find((i) => i.market === market)?.symbol ?? 'AAPL';
  const probe = `quote ${market}:${symbol}`;
  const t0 = performance.now();
  const timeoutMs = opts.timeoutMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await live.budgets.take(providerId, 1);
    const quotes = await Promise.race([
      p.getQuotes([{ market, symbol }]),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ProviderError(providerId, 'timeout', `no answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
    const latencyMs = Math.round(performance.now() - t0);
    const q = quotes[0];
    if (!q)
      return {
        provider: providerId,
        ok: false,
        latencyMs,
        probe,
        kind: 'not_found',
        message: `no quote for ${symbol}`,
      };
    return { provider: providerId, ok: true, latencyMs, probe, price: q.price };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - t0);
    const e = err instanceof ProviderError ? err : null;
    return {
      provider: providerId,
      ok: false,
      latencyMs,
      probe,
      kind: e?.kind ?? 'bad_response',
      message: err instanceof Error ? err.message : String(err),
    };
  } finally {
    clearTimeout(timer);
  }
}
