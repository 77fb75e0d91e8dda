import type { RuntimeConfig } from '../runtime';
import type { FreshnessOptions } from './decide-freshness';

/**
 * How this process judges freshness: the demo market in `alwaysOpen` mode (tests, e2e, the default
 * demo install) ignores exchange sessions; every other set-up answers `closed` outside them.
 */
export function freshnessOptions(rt: { config: Pick<RuntimeConfig, 'provider' | 'demo'> }): FreshnessOptions {
  return { alwaysOpen: rt.config.provider === 'demo' && rt.config.demo.alwaysOpen };
}
