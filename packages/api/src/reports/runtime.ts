import type { DatabaseHandle } from '@investiq/db';
import type { DataProvider } from '@investiq/market';
import type { Registry } from 'prom-client';
import type { Logger } from '../observability/logger';
import { ensureDefaultTemplates } from '../prompts/templates';
import type { FreshnessOptions } from '../quotes/decide-freshness';
import {
  createInferenceGateway,
  INFERENCE_DEFAULTS,
  type InferenceConfig,
  type InferenceGateway,
} from './inference-gateway';
import { createReportMetrics } from './metrics';
import { ReportService } from './report-service';

/** The reports part of a Runtime: the inference gateway (policies, health) and the report service. */
export async function attachReports(deps: {
  db: DatabaseHandle;
  provider: DataProvider;
  log: Logger;
  now: () => Date;
  inference?: InferenceConfig | undefined;
  quoteMaxAgeSeconds: number;
  quoteFreshness?: FreshnessOptions;
  registry?: Registry;
  leaseMs?: number | undefined;
}): Promise<{ inference: InferenceGateway; reports: ReportService; close(): Promise<void> }> {
  const inference = createInferenceGateway(deps.inference ?? INFERENCE_DEFAULTS);
  await ensureDefaultTemplates(deps.db);
  const reports = new ReportService({
    ...deps,
    leaseMs: deps.leaseMs,
    inference,
    metrics: createReportMetrics(deps.registry),
  });
  // Only reports whose lease expired: another live process's running reports are left alone.
  await reports.recoverExpired();
  return { inference, reports, close: () => reports.close() };
}
