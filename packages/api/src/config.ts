import type { StreamLimits } from './http/stream-guard';
import type { NotificationsConfig } from './notifications/runtime';
import type { ProvidersConfig } from './providers/live-providers';
import type { InferenceConfig } from './reports/inference-gateway';
import type { TrustProxy } from './security/client-ip';

/** What one server process is started with (apps/web/src/env.ts builds it from the environment). */
export interface RuntimeConfig {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL pool limits (defaults: connect 5 s, statement 30 s; 0 disables either). */
  database?: { connectTimeoutMs?: number; statementTimeoutMs?: number };
  provider: 'demo';
  demo: { seed: number; alwaysOpen: boolean };
  /** Provider chains, keys and base URLs from the environment (admin settings override them; docs/providers.md). */
  providers?: ProvidersConfig;
  /** leaderRetryMs: how often a standby collector retries the cluster lock (collector/leader.ts, default 5 s). */
  collector: { enabled: boolean; intervalMs: number; leaderRetryMs?: number };
  quotes: {
    defaultMaxAgeSeconds: number;
    retentionDays: number;
    historyYears: number;
    maxIngestRows: number;
  };
  logLevel: string;
  /** How long a running report stays claimed by this process without a heartbeat (default 30 s). */
  reportLeaseMs?: number;
  /** Inference service URLs and timeouts (defaults: 127.0.0.1:8001–8004). */
  inference?: InferenceConfig;
  /** How long one /api/health answer is reused (ms, default 5000). */
  healthCacheMs?: number;
  /** Limits of SSE streams (see http/stream-guard.ts). */
  streams?: Partial<StreamLimits>;
  /** Accounts and secrets (docs/admin.md). */
  security?: {
    /** Which reverse proxies in front of us to believe (X-Forwarded-For/-Host): see security/client-ip.ts. */
    trustProxy?: TrustProxy;
    /** Bearer credential for /api/metrics and detailed /api/health (besides admin sessions and tokens). */
    metricsToken?: string | undefined;
    /** 32 random bytes, base64: encrypts secret settings (AES-256-GCM). */
    secretsKey?: string | undefined;
    /** The previous key during a rotation: secrets under it are re-encrypted at start-up. */
    secretsKeyPrevious?: string | undefined;
  };
  /** Notification delivery (notifications/): outbound policy, worker, queue tuning. */
  notifications?: NotificationsConfig;
  /** Alert evaluation (alerts/): digest window for firings of one user (default 2000 ms). */
  alerts?: { groupWindowMs?: number; sweepIntervalMs?: number };
  /** Where users reach the web app: links in scheduled report summaries (default http://127.0.0.1:3000). */
  publicUrl?: string;
  /** Scheduled reports (schedules/): how often due slots are looked for (default 30 s). */
  schedules?: { tickMs?: number };
}
