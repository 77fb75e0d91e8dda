import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MARKETS } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import type { RuntimeConfig } from '../config';
import type { Logger } from '../observability/logger';
import { SProviderChains } from '../providers/settings';
import { loadOrCreateKeyFile, parseSecretsKey, type SecretsKeyring } from './crypto';
import { SInferenceEndpoints, SQuoteFreshness } from './keys';
import { attachSettings, getSetting, seedSetting } from './service';

/**
 * The keyring for secret settings: SECRETS_KEY (+ SECRETS_KEY_PREVIOUS during a rotation); on the
 * embedded default without SECRETS_KEY, a key file beside the data directory; in-memory databases
 * (tests) get a throw-away key; PostgreSQL without SECRETS_KEY gets none (secret settings are refused).
 */
export function keyringFromConfig(config: RuntimeConfig): SecretsKeyring | null {
  const sec = config.security;
  const previous = sec?.secretsKeyPrevious
    ? [parseSecretsKey(sec.secretsKeyPrevious, 'SECRETS_KEY_PREVIOUS')]
    : [];
  if (sec?.secretsKey) return { current: parseSecretsKey(sec.secretsKey), previous };
  if (config.databaseUrl) return null;
  if (config.dataDir.startsWith('memory://')) return { current: randomBytes(32), previous };
  return { current: loadOrCreateKeyFile(path.join(path.dirname(config.dataDir), 'secrets.key')), previous };
}

/**
 * Start the settings service for this process; env values become the defaults of their settings. The quote
 * freshness/retention setting is seeded into the database by the first process to start, so retention is
 * decided by one stored row, not by whichever process's environment runs maintenance.
 */
export async function startSettings(db: DatabaseHandle, config: RuntimeConfig, log: Logger) {
  const quotes = {
    defaultMaxAgeSeconds: config.quotes.defaultMaxAgeSeconds,
    retentionDays: config.quotes.retentionDays,
  };
  const stop = await attachSettings(db, {
    keyring: keyringFromConfig(config),
    defaults: {
      ...(config.inference
        ? {
            [SInferenceEndpoints.key]: { urls: config.inference.urls, timeoutMs: config.inference.timeoutMs },
          }
        : {}),
      [SQuoteFreshness.key]: quotes,
      // PROVIDERS_US/CN/HK replace the all-demo default of their market
      [SProviderChains.key]: Object.fromEntries(
        MARKETS.map((m) => [m, config.providers?.chains?.[m] ?? SProviderChains.default[m]]),
      ),
    },
    log,
  });
  if (await seedSetting(db, SQuoteFreshness, quotes))
    log.info(
      { setting: SQuoteFreshness.key, ...quotes },
      'quote freshness/retention stored from the environment',
    );
  return stop;
}

/** Quote TTL default and retention as currently configured (admin setting, else the environment). */
export function getQuoteSettings(rt: { db: DatabaseHandle }) {
  return getSetting(rt.db, SQuoteFreshness);
}
