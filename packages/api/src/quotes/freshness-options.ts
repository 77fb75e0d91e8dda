import type { RuntimeConfig } from '../config';
import type { FreshnessOptions } from './decide-freshness';

/**
 * How this process judges freshness: quotes of the demo market in `alwaysOpen` mode (tests, e2e, the default
 * demo install) ignore exchange sessions; a real vendor's quote is answered `closed` outside its exchange's
 * sessions, whatever the demo setting (a chain may mix both).
 */
export function freshnessOptions(rt: { config: Pick<RuntimeConfig, 'provider' | 'demo'> }): FreshnessOptions {
  return {
    alwaysOpen: rt.config.provider === 'demo' && rt.config.demo.alwaysOpen,
    alwaysOpenSources: ['demo'],
  };
}
