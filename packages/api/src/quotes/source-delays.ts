import type { TMarket } from '@investiq/contracts';

/**
 * Declared quote delays per source and market (e.g. a 15-minute HK feed). The provider chain fills it from
 * the vendors' descriptors (`DataProvider.quoteDelaySeconds`) when it builds the sources; freshness reads
 * it per quote. The demo declares none. Process-wide, like the provider wiring that fills it.
 */
const delays = new Map<string, Partial<Record<TMarket, number>>>();

/** Declare (or replace) the delay of `source`'s quotes per market, in seconds; 0 or absent = realtime. */
export function declareSourceDelay(source: string, perMarket: Partial<Record<TMarket, number>>): void {
  for (const [m, s] of Object.entries(perMarket)) {
    if (!Number.isInteger(s) || (s as number) < 0 || (s as number) > 86_400)
      throw new RangeError(`delay of source '${source}' for ${m} must be 0..86400 whole seconds, got ${s}`);
  }
  delays.set(source, { ...perMarket });
}

/** Seconds by which `source` declares its `market` quotes lag the exchange (0 when undeclared). */
export function sourceDelaySeconds(source: string, market: TMarket): number {
  return delays.get(source)?.[market] ?? 0;
}

/** Forget every declaration (tests, or a chain rebuilt from new settings). */
export function clearSourceDelays(): void {
  delays.clear();
}
