import { MARKETS, type TMarket } from '@investiq/contracts';
import { DATA_KINDS, type DataKind } from '@investiq/market';
import { createDemoMarket } from '@investiq/market/demo';
import type { VendorDescriptor } from '@investiq/market/vendors';
import * as vendorModule from '@investiq/market/vendors';

/** The simulated market: serves every market and kind, offline, without a budget. */
export const DEMO_DESCRIPTOR: VendorDescriptor = {
  id: 'demo',
  label: 'Demo market (simulated)',
  markets: MARKETS,
  kinds: DATA_KINDS,
  needsKey: false,
  defaultBaseUrl: '',
  baseUrlEnv: 'DEMO_BASE_URL',
  budget: { perMinute: 0, perDay: 0 },
  formatSource: 'packages/market/src/demo (simulator, no vendor format)',
  create: (opts) => createDemoMarket({ now: opts.now }),
};

function isDescriptor(v: unknown): v is VendorDescriptor {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Partial<VendorDescriptor>;
  return typeof d.id === 'string' && typeof d.create === 'function' && Array.isArray(d.markets);
}

/** Every descriptor `@investiq/market/vendors` exports, alone or in arrays (adding a vendor adds no code here). */
function exportedVendors(): VendorDescriptor[] {
  const out: VendorDescriptor[] = [];
  for (const v of Object.values(vendorModule as Record<string, unknown>)) {
    if (isDescriptor(v)) out.push(v);
    else if (Array.isArray(v)) out.push(...v.filter(isDescriptor));
  }
  return out;
}

const registry = new Map<string, VendorDescriptor>();
for (const d of [DEMO_DESCRIPTOR, ...exportedVendors()]) registry.set(d.id, d);

/** Add a descriptor at run time (tests replaying a vendor format); an id is registered once. */
export function registerProviderDescriptor(d: VendorDescriptor): VendorDescriptor {
  const existing = registry.get(d.id);
  if (existing && existing !== d) throw new Error(`provider '${d.id}' is registered twice`);
  registry.set(d.id, d);
  return d;
}

export function providerDescriptor(id: string): VendorDescriptor | undefined {
  return registry.get(id);
}

export function providerDescriptors(): VendorDescriptor[] {
  return [...registry.values()];
}

/** Why a chain list is not acceptable for (market, kind), or null. */
export function chainListProblem(
  market: TMarket,
  kind: DataKind | null,
  ids: readonly string[],
): string | null {
  const seen = new Set<string>();
  for (const id of ids) {
    const d = registry.get(id);
    if (!d) return `unknown provider '${id}' (known: ${[...registry.keys()].join(', ')})`;
    if (!d.markets.includes(market)) return `provider '${id}' does not serve market ${market}`;
    if (kind && !d.kinds.includes(kind)) return `provider '${id}' does not serve ${kind}`;
    if (seen.has(id)) return `provider '${id}' is listed twice`;
    seen.add(id);
  }
  return null;
}

/** `PROVIDERS_US=finnhub,yahoo` → one chain per kind, holding the listed providers that serve it. */
export function chainsFromList(market: TMarket, ids: readonly string[]): Record<DataKind, string[]> {
  const out = {} as Record<DataKind, string[]>;
  for (const kind of DATA_KINDS)
    out[kind] = ids.filter((id) => {
      const d = registry.get(id);
      return d?.markets.includes(market) && d.kinds.includes(kind);
    });
  return out;
}
